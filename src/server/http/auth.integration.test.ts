import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, basic, startTestServer, type TestServer } from '../testing/testServer';

describe('authentication', () => {
  let t: TestServer;
  let adminKey: string;

  beforeAll(async () => {
    t = await startTestServer();
    const admin = api(t.url, basic('test', 'test'));
    adminKey = (await admin.get('crud/test/user')).json.apikey;
    await admin.post('crud/alice', { email: 'Alice@Example.com', password: 'wonderland' });
  });
  afterAll(() => t.close());

  const whoami = async (headers: Record<string, string> = {}, query = '') =>
    (await fetch(`${t.url}/api/v1/?q=this${query}`, { headers })).text();

  it('answers nobody without credentials', async () => {
    expect(await whoami()).toBe('nobody');
  });

  it('logs in with HTTP Basic username and password as the user device', async () => {
    expect(await whoami({ authorization: basic('test', 'test') })).toBe('test/user');
    expect(await whoami({ authorization: basic('alice', 'wonderland') })).toBe('alice/user');
  });

  it('accepts the email instead of the username, ignoring case', async () => {
    expect(await whoami({ authorization: basic('alice@example.COM', 'wonderland') })).toBe('alice/user');
    expect(await whoami({ authorization: basic('ALICE', 'wonderland') })).toBe('alice/user');
  });

  it('logs in with an API key as the Basic password with an empty user, or as ?apikey=', async () => {
    expect(await whoami({ authorization: basic('', adminKey) })).toBe('test/user');
    expect(await whoami({}, `&apikey=${adminKey}`)).toBe('test/user');
  });

  it('refuses bad credentials with 401 and the error body, after a delay', async () => {
    const started = Date.now();
    const response = await fetch(`${t.url}/api/v1/?q=this`, {
      headers: { authorization: basic('test', 'wrong') },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(401);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.code).toBe(401);
    expect(typeof body.msg).toBe('string');
    expect(body.ref).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${t.url}/api/v1/?q=this&apikey=not-a-key`)).status).toBe(401);
  });

  it('rate-limits failed logins per address, even with correct credentials afterwards', async () => {
    const limited = await startTestServer({ auth: { maxFailedLogins: 3, failedLoginDelayMs: 0 } });
    try {
      for (let i = 0; i < 3; i++) {
        expect(
          (await fetch(`${limited.url}/api/v1/?q=this`, { headers: { authorization: basic('test', 'bad') } }))
            .status,
        ).toBe(401);
      }
      const blocked = await fetch(`${limited.url}/api/v1/?q=this`, {
        headers: { authorization: basic('test', 'test') },
      });
      expect(blocked.status).toBe(429);
      expect(((await blocked.json()) as { msg: string }).msg).toMatch(/Too many failed logins/);
      // Requests without credentials are not affected.
      expect(await (await fetch(`${limited.url}/api/v1/?q=this`)).text()).toBe('nobody');
    } finally {
      await limited.close();
    }
  });

  it('sets an HttpOnly session cookie on login and forgets it on logout', async () => {
    const login = await fetch(`${t.url}/api/v1/login?remember=true`, {
      headers: { authorization: basic('alice', 'wonderland') },
    });
    expect(login.status).toBe(200);
    expect(await login.text()).toBe('ok');
    const setCookie = login.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^connectordb-session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Max-Age=2592000/);
    const cookie = setCookie.split(';')[0]!;
    expect(await whoami({ cookie })).toBe('alice/user');

    const logout = await fetch(`${t.url}/api/v1/logout`, { headers: { cookie } });
    expect(await logout.text()).toBe('ok');
    expect(logout.headers.get('set-cookie')).toMatch(/connectordb-session=;/);
    // The session is gone on the server too, so a copied cookie no longer works.
    expect(await whoami({ cookie })).toBe('nobody');
  });

  it('makes a session cookie without Max-Age unless asked to remember', async () => {
    const login = await fetch(`${t.url}/api/v1/login`, {
      headers: { authorization: basic('alice', 'wonderland') },
    });
    expect(login.headers.get('set-cookie')).not.toMatch(/Max-Age/);
  });

  it('treats an unknown session cookie as nobody', async () => {
    expect(await whoami({ cookie: 'connectordb-session=garbage' })).toBe('nobody');
  });

  it('refuses login without credentials', async () => {
    const response = await fetch(`${t.url}/api/v1/login`);
    expect(response.status).toBe(401);
  });

  it('refuses cookie-authenticated writes from another origin, but accepts our own', async () => {
    const login = await fetch(`${t.url}/api/v1/login`, {
      headers: { authorization: basic('alice', 'wonderland') },
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const body = JSON.stringify({ nickname: 'changed' });
    const hostile = await fetch(`${t.url}/api/v1/crud/alice`, {
      method: 'PUT',
      headers: { cookie, origin: 'https://evil.example' },
      body,
    });
    expect(hostile.status).toBe(403);
    const own = await fetch(`${t.url}/api/v1/crud/alice`, {
      method: 'PUT',
      headers: { cookie, origin: t.url },
      body,
    });
    expect(own.status).toBe(200);
    // Explicit credentials are not subject to the rule (they cannot be sent by a hostile page).
    const explicit = await fetch(`${t.url}/api/v1/crud/alice`, {
      method: 'PUT',
      headers: { authorization: basic('alice', 'wonderland'), origin: 'https://other.example' },
      body,
    });
    expect(explicit.status).toBe(200);
  });

  it('changing a password invalidates the old one at once', async () => {
    const alice = api(t.url, basic('alice', 'wonderland'));
    await alice.put('crud/alice', { password: 'looking-glass' });
    expect(
      (await fetch(`${t.url}/api/v1/?q=this`, { headers: { authorization: basic('alice', 'wonderland') } }))
        .status,
    ).toBe(401);
    expect(await whoami({ authorization: basic('alice', 'looking-glass') })).toBe('alice/user');
    await api(t.url, basic('alice', 'looking-glass')).put('crud/alice', { password: 'wonderland' });
  });
});

describe('meta and headers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('serves the version, transforms and interpolators without authentication', async () => {
    const version = await fetch(`${t.url}/api/v1/meta/version`);
    expect(version.status).toBe(200);
    expect((await version.text()).length).toBeGreaterThan(1);
    const transforms = (await (await fetch(`${t.url}/api/v1/meta/transforms`)).json()) as Record<
      string,
      { description: string }
    >;
    expect(Object.keys(transforms).length).toBeGreaterThan(40);
    expect(transforms.sum?.description).toBeTruthy();
    const interpolators = (await (await fetch(`${t.url}/api/v1/meta/interpolators`)).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(interpolators).sort()).toEqual(['after', 'before', 'closest', 'count', 'mean', 'sum']);
  });

  it('marks API responses uncacheable and sets the security headers', async () => {
    const response = await fetch(`${t.url}/api/v1/?q=this`);
    expect(response.headers.get('cache-control')).toBe('no-store, must-revalidate');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-xss-protection')).toBe('1; mode=block');
  });

  it('answers CORS preflights and reflects only our own origin', async () => {
    const preflight = await fetch(`${t.url}/api/v1/crud/test`, {
      method: 'OPTIONS',
      headers: { origin: t.url },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, DELETE');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Content-Type, Authorization/);
    const same = await fetch(`${t.url}/api/v1/?q=this`, { headers: { origin: t.url } });
    expect(same.headers.get('access-control-allow-origin')).toBe(t.url);
    expect(same.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await fetch(`${t.url}/api/v1/?q=this`, {
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown API path with a 404 error body', async () => {
    const response = await fetch(`${t.url}/api/v1/nothing/here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 404 });
  });

  it('answers unknown q commands with 400', async () => {
    const admin = api(t.url, basic('test', 'test'));
    expect((await admin.get('?q=whatever')).status).toBe(400);
    expect((await admin.get('crud/test?q=whatever')).json).toMatchObject({
      code: 400,
      msg: 'Unrecognized query command.',
    });
  });

  it('serves a page at / and the app shell for page routes before the web app is built', async () => {
    for (const path of ['/', '/test', '/test/user/mood', '/downlinks']) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toMatch(/Tributary/);
    }
  });
});
