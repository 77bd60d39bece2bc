/**
 * Bad input never crashes the server or changes anything: seeded random garbage (paths, query
 * parameters, bodies) against every route must always get an answer below 500, with an error body
 * of the right shape, and leave the server serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, basic, startTestServer, type TestServer } from '../testing/testServer';

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;

describe('robustness against bad input', () => {
  let t: TestServer;

  beforeAll(async () => {
    // Garbage credentials are part of the input; keep the login limiter out of the way.
    t = await startTestServer({ auth: { maxFailedLogins: 100_000, failedLoginDelayMs: 0 } });
    const admin = api(t.url, basic('test', 'test'));
    await admin.post('crud/alice', { email: 'alice@localhost', password: 'pw' });
    await api(t.url, basic('alice', 'pw')).post('crud/alice/user/s', { schema: '{}' });
  });
  afterAll(() => t.close());

  it('answers every kind of garbage below 500, with a {code, msg, ref} error body', async () => {
    const random = prng(1234);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const names = [
      'alice',
      'user',
      's',
      'meta',
      'log',
      'x'.repeat(40),
      '%00',
      '%2F',
      'é',
      '..',
      '',
      'data',
      'downlink',
      '1a',
      'a b',
    ];
    const values = [
      '',
      '0',
      '-1',
      '1e309',
      'NaN',
      'true',
      'True',
      'now-1h',
      'now-x',
      "'",
      '%',
      'if $ >',
      '$'.repeat(5000),
      '9'.repeat(400),
    ];
    const params = [
      'q',
      'i1',
      'i2',
      't1',
      't2',
      'limit',
      'transform',
      'downlink',
      'method',
      't',
      'width',
      'level',
      'value',
      'format',
      'apikey',
    ];
    const bodies = [
      '',
      'null',
      '{',
      '[]',
      '[{}]',
      '[{"t":"x","d":1}]',
      '[{"t":1e400,"d":1}]',
      `[{"t":1,"d":${deep(5000)}}]`,
      deep(5000),
      '{"schema":123}',
      '{"schema":"{\\"type\\":\\"blah\\"}"}',
      '{"email":["a"],"password":{}}',
      '{"streams":{"a b":{}}}',
      '{"devices":[1,2]}',
      '{"nickname":"' + 'n'.repeat(300) + '"}',
      '{"apikey":null}',
      '[{"d":"\\ud800"}]',
      JSON.stringify([{ stream: 'alice/user/s', transform: 'while(' }]),
      JSON.stringify({ t1: 0, t2: 1e12, dt: 0.001, dataset: { a: { stream: 'alice/user/s' } } }),
    ];
    const auths = [basic('alice', 'pw'), basic('test', 'test'), basic('', 'garbage'), ''];
    const routes = [
      '',
      'crud',
      'crud/*',
      'crud/*/*',
      'crud/*/*/*',
      'crud/*/*/*/data',
      'query/merge',
      'query/dataset',
      'feed/*/*/*',
      'meta/transforms',
      'login',
      'setup',
    ];

    for (let i = 0; i < 400; i++) {
      const path = pick(routes).replace(/\*/g, () => pick(names));
      const query = Array.from(
        { length: Math.floor(random() * 4) },
        () => `${pick(params)}=${encodeURIComponent(pick(values))}`,
      ).join('&');
      const method = pick(['GET', 'POST', 'PUT', 'DELETE']);
      const auth = pick(auths);
      const response = await fetch(`${t.url}/api/v1/${path}${query ? `?${query}` : ''}`, {
        method,
        headers: auth ? { authorization: auth } : {},
        ...(method !== 'GET' && { body: pick(bodies) }),
      });
      const text = await response.text();
      const label = `${method} ${path}?${query}`.slice(0, 200);
      expect(response.status, label).toBeLessThan(500);
      if (response.status >= 400) {
        const body = JSON.parse(text) as Record<string, unknown>;
        expect(body.code, label).toBe(response.status);
        expect(typeof body.msg, label).toBe('string');
        expect(typeof body.ref, label).toBe('string');
      }
    }
    expect(await (await fetch(`${t.url}/api/v1/?q=this`)).text()).toBe('nobody');
  });

  it('refuses absurdly deep values with 400 and stores nothing', async () => {
    const alice = api(t.url, basic('alice', 'pw'));
    const before = (await alice.get('crud/alice/user/s/data?q=length')).text;
    const response = await alice.post('crud/alice/user/s/data', `[{"t":1,"d":${deep(10_000)}}]`);
    expect(response.status).toBe(400);
    expect(response.json.msg).toMatch(/nested/);
    expect((await alice.get('crud/alice/user/s/data?q=length')).text).toBe(before);
  });
});
