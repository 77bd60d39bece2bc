import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCannedServer, unusedPort, type CannedServer } from './testing/cannedServer';
import { ApiError, NetworkError } from './errors';
import { TributaryClient } from './TributaryClient';

let server: CannedServer;

beforeAll(async () => {
  server = await startCannedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.respond(() => ({ body: 'ok' }));
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function client(options: Partial<ConstructorParameters<typeof TributaryClient>[0]> = {}) {
  return new TributaryClient({
    url: server.origin,
    credentials: { username: 'u', password: 'p' },
    ...options,
  });
}

/** The one request the last call made. */
function lastRequest() {
  const request = server.requests.at(-1);
  if (!request) throw new Error('no request recorded');
  return request;
}

describe('credentials', () => {
  it('sends username/password as Basic', async () => {
    server.respond(() => ({ body: 'u/user' }));
    expect(await client().whoami()).toBe('u/user');
    expect(lastRequest().headers.authorization).toBe(basic('u', 'p'));
    expect(lastRequest().url).toBe('/api/v1/?q=this');
  });

  it('sends an API key as Basic with an empty username', async () => {
    await client({ credentials: { apikey: 'k-1' } }).endSession();
    expect(lastRequest().headers.authorization).toBe(basic('', 'k-1'));
  });

  it('sends nothing for anonymous and cookie clients', async () => {
    server.respond(() => ({ body: 'nobody' }));
    expect(await client({ credentials: { anonymous: true } }).whoami()).toBe('nobody');
    expect(lastRequest().headers.authorization).toBeUndefined();
    await client({ credentials: { cookie: true } }).whoami();
    expect(lastRequest().headers.authorization).toBeUndefined();
  });

  it('logs in with the remember flag and logs out', async () => {
    await client().createSession(true);
    expect(lastRequest().url).toBe('/api/v1/login?remember=true');
    await client().createSession();
    expect(lastRequest().url).toBe('/api/v1/login');
    await client().endSession();
    expect(lastRequest().url).toBe('/api/v1/logout');
  });
});

describe('requests', () => {
  it('parses text answers of meta and count routes', async () => {
    server.respond((r) => ({ body: r.url.startsWith('/api/v1/meta') ? '0.3.0\n' : '42' }));
    const c = client();
    expect(await c.version()).toBe('0.3.0');
    expect(await c.countUsers()).toBe(42);
    expect(lastRequest().url).toBe('/api/v1/?q=countusers');
    expect(await c.countDevices()).toBe(42);
    expect(await c.countStreams()).toBe(42);
    expect(lastRequest().url).toBe('/api/v1/?q=countstreams');
  });

  it('addresses users, devices and streams with encoded segments', async () => {
    server.respond((r) => ({ body: r.url.includes('q=') ? [] : { name: 'x' } }));
    const c = client();
    await c.listUsers();
    expect(lastRequest().url).toBe('/api/v1/crud/?q=ls');
    await c.readUser('bob');
    expect(lastRequest()).toMatchObject({ method: 'GET', url: '/api/v1/crud/bob' });
    await c.listDevices('bob');
    expect(lastRequest().url).toBe('/api/v1/crud/bob?q=ls');
    await c.readDevice('bob', 'ph one');
    expect(lastRequest().url).toBe('/api/v1/crud/bob/ph%20one');
    await c.listStreams('bob', 'phone');
    expect(lastRequest().url).toBe('/api/v1/crud/bob/phone?q=ls');
    await c.readStream('bob/phone/steps');
    expect(lastRequest().url).toBe('/api/v1/crud/bob/phone/steps');
    await c.listUserStreams('bob', { downlink: true, visible: false, tag: 'home' });
    expect(lastRequest().url).toBe('/api/v1/crud/bob?q=streams&downlink=true&visible=false&tag=home');
    await c.deleteStream('bob/phone/steps');
    expect(lastRequest()).toMatchObject({ method: 'DELETE', url: '/api/v1/crud/bob/phone/steps' });
  });

  it('sends stream schemas as strings, also nested in users and devices', async () => {
    server.respond(() => ({ body: { name: 'x' } }));
    const c = client();
    await c.createStream('u/d/s', { schema: { type: 'number' }, datatype: 'number' });
    expect(lastRequest().method).toBe('POST');
    expect(JSON.parse(lastRequest().body)).toEqual({ schema: '{"type":"number"}', datatype: 'number' });

    await c.updateStream('u/d/s', { schema: '{"type":"string"}' });
    expect(lastRequest().method).toBe('PUT');
    expect(JSON.parse(lastRequest().body)).toEqual({ schema: '{"type":"string"}' });

    await c.createUser('new', {
      email: 'a@localhost',
      password: 'pw',
      streams: { mood: { schema: { type: 'integer' } } },
      devices: { lamp: { streams: { on: { schema: { type: 'boolean' }, downlink: true } } } },
    });
    expect(JSON.parse(lastRequest().body)).toEqual({
      email: 'a@localhost',
      password: 'pw',
      streams: { mood: { schema: '{"type":"integer"}' } },
      devices: { lamp: { streams: { on: { schema: '{"type":"boolean"}', downlink: true } } } },
    });

    await c.createDevice('u', 'lamp');
    expect(lastRequest()).toMatchObject({ method: 'POST', url: '/api/v1/crud/u/lamp', body: '{}' });
  });

  it('resets an API key with an empty apikey and returns the new one', async () => {
    server.respond(() => ({ body: { name: 'lamp', apikey: 'new-key' } }));
    expect(await client().resetApiKey('u', 'lamp')).toBe('new-key');
    expect(lastRequest()).toMatchObject({ method: 'PUT', url: '/api/v1/crud/u/lamp', body: '{"apikey":""}' });
  });

  it('maps insert methods to POST, PUT and POST ?method=insert', async () => {
    const c = client();
    await c.insert('u/d/s', [{ t: 1.5, d: 1 }]);
    expect(lastRequest()).toMatchObject({
      method: 'POST',
      url: '/api/v1/crud/u/d/s/data',
      body: '[{"t":1.5,"d":1}]',
    });
    expect(lastRequest().headers['content-type']).toBe('application/json');
    await c.insert('u/d/s', [{ d: 'x' }, { t: 0, d: null }], { method: 'restamp' });
    expect(lastRequest()).toMatchObject({
      method: 'PUT',
      url: '/api/v1/crud/u/d/s/data',
      body: '[{"d":"x"},{"d":null}]',
    });
    await c.insert('u/d/s', [{ t: 2, d: true }], { method: 'insert', idempotencyKey: 'key-7' });
    expect(lastRequest()).toMatchObject({ method: 'POST', url: '/api/v1/crud/u/d/s/data?method=insert' });
    expect(lastRequest().headers['idempotency-key']).toBe('key-7');
  });

  it('writes the downlink substream by flag or by path', async () => {
    const c = client();
    await c.insert('u/d/s', [{ d: 1 }], { downlink: true });
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?downlink=true');
    await c.insert('u/d/s/downlink', [{ d: 1 }], { method: 'restamp' });
    expect(lastRequest()).toMatchObject({ method: 'PUT', url: '/api/v1/crud/u/d/s/data?downlink=true' });
  });

  it('sends nothing for an empty batch', async () => {
    await client().insert('u/d/s', []);
    expect(server.requests).toHaveLength(0);
  });

  it('stamps insertNow with the current time in seconds and restamps', async () => {
    const before = Date.now() / 1000;
    await client().insertNow('u/d/s', 7);
    const [point] = JSON.parse(lastRequest().body) as { t: number; d: number }[];
    expect(lastRequest().method).toBe('PUT');
    expect(point!.d).toBe(7);
    expect(point!.t).toBeGreaterThanOrEqual(before);
    expect(point!.t).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('builds index and time ranges, transforms and relative times', async () => {
    server.respond(() => ({ body: [] }));
    const c = client();
    await c.read('u/d/s', { i1: -10 });
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?i1=-10');
    await c.read('u/d/s', {});
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?i1=0');
    await c.read('u/d/s', { i1: 0, i2: 5 }, { transform: 'if $ > 5', downlink: true });
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?i1=0&i2=5&transform=if+%24+%3E+5&downlink=true');
    await c.read('u/d/s', { t1: 'now-1h', limit: 100 });
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?t1=now-1h&limit=100');
    await c.read('u/d/s', { t1: 1490000000.123, t2: 1490000100 });
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?t1=1490000000.123&t2=1490000100');
  });

  it('refuses a range mixing index and time before sending', async () => {
    const mixed = { i1: 0, t1: 5 } as unknown as { i1: number };
    await expect(client().read('u/d/s', mixed)).rejects.toThrow(TypeError);
    await expect(client().read('u/d', {})).rejects.toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });

  it('fills the t and d that the original omitted (Go omitempty)', async () => {
    server.respond(() => ({
      body: [{ d: 1 }, { t: 2 }, { t: 3, d: 0, o: 'u/user' }, { t: 4, d: 5, o: '' }],
    }));
    expect(await client().read('u/d/s', {})).toEqual([
      { t: 0, d: 1 },
      { t: 2, d: null },
      { t: 3, d: 0, o: 'u/user' },
      { t: 4, d: 5 },
    ]);
  });

  it('reads length as text and time2index as JSON', async () => {
    server.respond((r) => ({ body: r.url.includes('length') ? '12' : 3 }));
    expect(await client().length('u/d/s', { downlink: true })).toBe(12);
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?q=length&downlink=true');
    expect(await client().time2index('u/d/s', 1.5)).toBe(3);
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?q=time2index&t=1.5');
  });

  it('asks time2index of the downlink substream by option or by path', async () => {
    server.respond(() => ({ body: 2 }));
    expect(await client().time2index('u/d/s', 1.5, { downlink: true })).toBe(2);
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?q=time2index&t=1.5&downlink=true');
    await client().time2index('u/d/s/downlink', 1.5);
    expect(lastRequest().url).toBe('/api/v1/crud/u/d/s/data?q=time2index&t=1.5&downlink=true');
  });

  it('posts merge and dataset queries as JSON', async () => {
    server.respond(() => ({ body: [{ t: 1, d: { x: 7, temperature: 73 } }] }));
    const c = client();
    const merged = await c.merge([
      { stream: 'u/d/a', i1: 0 },
      { stream: 'u/d/b', t1: 3 },
    ]);
    expect(merged).toEqual([{ t: 1, d: { x: 7, temperature: 73 } }]);
    expect(lastRequest()).toMatchObject({ method: 'POST', url: '/api/v1/query/merge' });
    expect(JSON.parse(lastRequest().body)).toEqual([
      { stream: 'u/d/a', i1: 0 },
      { stream: 'u/d/b', t1: 3 },
    ]);

    const query = {
      stream: 'u/d/mood',
      i1: 0,
      dataset: { temperature: { stream: 'u/d/temp', interpolator: 'closest' } },
      posttransform: 'd("x")',
    };
    await c.dataset(query);
    expect(lastRequest().url).toBe('/api/v1/query/dataset');
    expect(JSON.parse(lastRequest().body)).toEqual(query);
  });
});

describe('first-run setup', () => {
  it('asks whether the server needs its first admin', async () => {
    server.respond(() => ({ body: { needsSetup: true, version: '0.3.0' } }));
    const anonymous = client({ credentials: { anonymous: true } });
    expect(await anonymous.setupStatus()).toEqual({ needsSetup: true, version: '0.3.0' });
    expect(lastRequest()).toMatchObject({ method: 'GET', url: '/api/v1/setup' });
    // A server that leaves a field out is read as set up, with an unknown version.
    server.respond(() => ({ body: {} }));
    expect(await anonymous.setupStatus()).toEqual({ needsSetup: false, version: '' });
  });

  it('creates the first admin from a JSON body and returns the new user', async () => {
    server.respond(() => ({ body: { name: 'chief', role: 'admin' } }));
    const admin = { name: 'chief', email: 'chief@example.com', password: 'correct horse battery' };
    expect(await client({ credentials: { cookie: true } }).setUp(admin)).toMatchObject({
      name: 'chief',
      role: 'admin',
    });
    expect(lastRequest()).toMatchObject({ method: 'POST', url: '/api/v1/setup' });
    expect(JSON.parse(lastRequest().body)).toEqual(admin);
    expect(lastRequest().headers['content-type']).toMatch(/^application\/json/);
  });

  it('rejects a second setup with the server’s reason', async () => {
    server.respond(() => ({
      status: 403,
      body: { code: 403, msg: 'This repository is already set up', ref: 'r1' },
    }));
    const attempt = client({ credentials: { cookie: true } }).setUp({
      name: 'x',
      email: 'x@y.z',
      password: 'p',
    });
    await expect(attempt).rejects.toBeInstanceOf(ApiError);
    await expect(attempt).rejects.toMatchObject({ status: 403, msg: 'This repository is already set up' });
  });
});

describe('errors', () => {
  it('rejects with ApiError carrying code, msg and ref from the JSON body', async () => {
    server.respond(() => ({
      status: 403,
      body: { code: 403, msg: 'Timestamps are not ordered!', ref: 'f1d2c3b4-0000-4000-8000-000000000000' },
    }));
    const error = await client()
      .insert('u/d/s', [{ t: 2, d: 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 403,
      code: 403,
      msg: 'Timestamps are not ordered!',
      ref: 'f1d2c3b4-0000-4000-8000-000000000000',
      isRetryable: false,
    });
    expect((error as ApiError).message).toContain('Timestamps are not ordered!');
  });

  it('synthesises the body when the error is not JSON', async () => {
    server.respond(() => ({
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'Content-Type': 'text/html' },
    }));
    const error = await client()
      .whoami()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 502,
      code: 502,
      msg: '<html>Bad Gateway</html>',
      ref: '',
      isRetryable: true,
    });
  });

  it('uses the status text when the error body is empty', async () => {
    server.respond(() => ({ status: 404 }));
    await expect(client().readUser('ghost')).rejects.toMatchObject({
      status: 404,
      code: 404,
      msg: 'Not Found',
      ref: '',
    });
  });

  it('rejects with NetworkError when the connection is refused', async () => {
    const c = new TributaryClient({ url: `http://127.0.0.1:${await unusedPort()}` });
    const error = await c.whoami().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('rejects with NetworkError when the server does not answer in time', async () => {
    server.respond(() => 'hang');
    const error = await client({ requestTimeoutMs: 100 })
      .insert('u/d/s', [{ d: 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/timed out after 100 ms/);
  });

  it('treats a 2xx that is not what the API sends as not delivered', async () => {
    server.respond(() => ({ body: '<html>Sign in to the Wi-Fi</html>' }));
    await expect(client().read('u/d/s', {})).rejects.toBeInstanceOf(NetworkError);
    server.respond(() => ({ body: { not: 'an array' } }));
    await expect(client().read('u/d/s', {})).rejects.toBeInstanceOf(NetworkError);
    server.respond(() => ({ body: 'many' }));
    await expect(client().length('u/d/s')).rejects.toBeInstanceOf(NetworkError);
  });

  it('treats a redirected answer (captive portal) as not delivered', async () => {
    server.respond((r) =>
      r.url.startsWith('/portal') ? { body: 'ok' } : { status: 302, headers: { Location: '/portal' } },
    );
    await expect(client().insertNow('u/d/s', 1)).rejects.toBeInstanceOf(NetworkError);
  });

  it('rejects malformed paths with TypeError before sending', async () => {
    await expect(client().readUser('')).rejects.toThrow(TypeError);
    await expect(client().readDevice('u', '')).rejects.toThrow(TypeError);
    await expect(client().createStream('u/d/s/downlink')).rejects.toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });
});
