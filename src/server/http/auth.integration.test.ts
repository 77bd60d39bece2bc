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

  it('rate-limits failed password logins per address, even with the correct password afterwards', async () => {
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
      expect(
        (await fetch(`${limited.url}/api/v1/login`, { headers: { authorization: basic('test', 'test') } }))
          .status,
      ).toBe(429);
      // Requests without credentials are not affected.
      expect(await (await fetch(`${limited.url}/api/v1/?q=this`)).text()).toBe('nobody');
    } finally {
      await limited.close();
    }
  });

  /** `?q=this` as `test` with each password, all at once; the answers as `status body`. */
  const whoamiInParallel = (url: string, passwords: string[]) =>
    Promise.all(
      passwords.map(async (password) => {
        const response = await fetch(`${url}/api/v1/?q=this`, {
          headers: { authorization: basic('test', password) },
        });
        return `${response.status} ${await response.text()}`;
      }),
    );

  it('counts guesses sent in parallel against the limit as they arrive', async () => {
    const limited = await startTestServer({ auth: { maxFailedLogins: 3, failedLoginDelayMs: 0 } });
    try {
      const answers = await whoamiInParallel(
        limited.url,
        Array.from({ length: 12 }, (_, i) => `guess ${i}`),
      );
      expect(answers.filter((a) => a.startsWith('401 '))).toHaveLength(3);
      expect(answers.filter((a) => a.startsWith('429 '))).toHaveLength(9);
    } finally {
      await limited.close();
    }
  });

  it("shares one check among a client's identical parallel logins, which the limit does not refuse", async () => {
    const limited = await startTestServer({ auth: { maxFailedLogins: 3, failedLoginDelayMs: 0 } });
    try {
      const answers = await whoamiInParallel(limited.url, Array(12).fill('test'));
      expect(new Set(answers)).toEqual(new Set(['200 test/user']));
    } finally {
      await limited.close();
    }
  });

  it('never refuses a valid API key or session cookie because of failed logins from its address', async () => {
    const limited = await startTestServer({ auth: { maxFailedLogins: 3, failedLoginDelayMs: 0 } });
    try {
      const key = (await api(limited.url, basic('test', 'test')).get('crud/test/user')).json.apikey as string;
      const login = await fetch(`${limited.url}/api/v1/login`, {
        headers: { authorization: basic('test', 'test') },
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      for (let i = 0; i < 5; i++) {
        await fetch(`${limited.url}/api/v1/?q=this`, { headers: { authorization: basic('test', 'bad') } });
      }
      const whoamiOn = async (headers: Record<string, string>, query = '') => {
        const response = await fetch(`${limited.url}/api/v1/?q=this${query}`, { headers });
        return `${response.status} ${await response.text()}`;
      };
      expect(await whoamiOn({ authorization: basic('test', 'test') })).toMatch(/^429 /);
      expect(await whoamiOn({ authorization: basic('', key) })).toBe('200 test/user');
      expect(await whoamiOn({}, `&apikey=${key}`)).toBe('200 test/user');
      expect(await whoamiOn({ cookie })).toBe('200 test/user');
      // A wrong API key is still refused as a failed login (401, not 429).
      expect(await whoamiOn({ authorization: basic('', 'not-a-key') })).toMatch(/^401 /);
    } finally {
      await limited.close();
    }
  });

  it('does not count wrong API keys against password logins from the same address', async () => {
    const limited = await startTestServer({ auth: { maxFailedLogins: 3, failedLoginDelayMs: 0 } });
    try {
      for (let i = 0; i < 5; i++) {
        expect((await fetch(`${limited.url}/api/v1/?q=this&apikey=stale-key-${i}`)).status).toBe(401);
      }
      const response = await fetch(`${limited.url}/api/v1/?q=this`, {
        headers: { authorization: basic('test', 'test') },
      });
      expect(await response.text()).toBe('test/user');
    } finally {
      await limited.close();
    }
  });

  it('delays a failed API key like a failed password', async () => {
    const started = Date.now();
    expect((await fetch(`${t.url}/api/v1/?q=this&apikey=not-a-key`)).status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
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

  it("resetting a device's API key ends that device's cookie sessions, and only that device's", async () => {
    const alice = api(t.url, basic('alice', 'wonderland'));
    const phoneKey = (await alice.post('crud/alice/phone')).json.apikey as string;
    const cookieOf = async (authorization: string) =>
      (await fetch(`${t.url}/api/v1/login`, { headers: { authorization } })).headers
        .get('set-cookie')!
        .split(';')[0]!;
    const phoneCookie = await cookieOf(basic('', phoneKey));
    const userCookie = await cookieOf(basic('alice', 'wonderland'));
    expect(await whoami({ cookie: phoneCookie })).toBe('alice/phone');

    const reset = await alice.put('crud/alice/phone', { apikey: '' });
    expect(reset.status).toBe(200);
    expect(reset.json.apikey).not.toBe(phoneKey);
    expect(await whoami({ cookie: phoneCookie })).toBe('nobody');
    expect(await whoami({ authorization: basic('', reset.json.apikey) })).toBe('alice/phone');
    expect(await whoami({ cookie: userCookie })).toBe('alice/user');
    // Other changes to the device leave its sessions alone.
    const newCookie = await cookieOf(basic('', reset.json.apikey));
    await alice.put('crud/alice/phone', { nickname: 'Phone' });
    expect(await whoami({ cookie: newCookie })).toBe('alice/phone');
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

  it('describes what each interpolator takes and gives with ischema and oschema', async () => {
    const interpolators = (await (await fetch(`${t.url}/api/v1/meta/interpolators`)).json()) as Record<
      string,
      Record<string, unknown>
    >;
    for (const [name, info] of Object.entries(interpolators)) {
      expect(Object.keys(info).sort(), name).toEqual([
        'description',
        'documentation',
        'ischema',
        'name',
        'oschema',
      ]);
      expect(typeof info.ischema, name).toBe('object');
      expect(typeof info.oschema, name).toBe('object');
    }
    expect(interpolators.closest).toMatchObject({ ischema: {}, oschema: {} });
    expect(interpolators.sum).toMatchObject({ ischema: { type: 'number' }, oschema: { type: 'number' } });
    expect(interpolators.count!.oschema).toMatchObject({ type: 'integer' });
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

  it('answers /api/v1/ without a query command with 404, like an unknown API path', async () => {
    for (const path of ['/api/v1/', '/api/v1', '/api/v1/?q=']) {
      const response = await fetch(`${t.url}${path}`, { headers: { authorization: basic('test', 'test') } });
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ code: 404 });
    }
  });

  it('marks every API response uncacheable, errors and unknown paths included', async () => {
    const responses = await Promise.all([
      fetch(`${t.url}/api/v1/nothing/here`),
      fetch(`${t.url}/api`),
      fetch(`${t.url}/api/v2/crud/test`, { method: 'POST', body: '{}' }),
      fetch(`${t.url}/api/v1/`),
      fetch(`${t.url}/api/v1/crud/nobody-here`),
      fetch(`${t.url}/api/v1/?q=this&apikey=not-a-key`),
      fetch(`${t.url}/api/v1/crud/test`, {
        method: 'PUT',
        body: 'garbage',
        headers: { authorization: basic('test', 'test') },
      }),
      fetch(`${t.url}/api/v1/meta/version`),
    ]);
    for (const response of responses) {
      expect(response.headers.get('cache-control'), `${response.status} ${response.url}`).toBe(
        'no-store, must-revalidate',
      );
    }
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 401, 400, 200]);
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
