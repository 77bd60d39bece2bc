import { describe, expect, it } from 'vitest';
import {
  apiUrl,
  basicAuthorization,
  createIdempotencyKey,
  crudPath,
  splitStreamPath,
  utf8ToBase64,
  websocketUrl,
} from './encoding';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Basic credentials', () => {
  it('encodes ASCII like the reference base64', () => {
    expect(basicAuthorization('test', 'pass')).toBe(`Basic ${Buffer.from('test:pass').toString('base64')}`);
  });

  it('encodes non-Latin-1 passwords as UTF-8 instead of throwing', () => {
    const password = 'pässwörd-密码-😀';
    const header = basicAuthorization('émile', password);
    expect(header).toBe(`Basic ${Buffer.from(`émile:${password}`, 'utf8').toString('base64')}`);
    expect(Buffer.from(header.slice(6), 'base64').toString('utf8')).toBe(`émile:${password}`);
  });

  it('sends an API key as the password of an empty username', () => {
    expect(basicAuthorization('', 'key-1')).toBe(`Basic ${Buffer.from(':key-1').toString('base64')}`);
  });

  it('handles strings longer than one fromCharCode chunk', () => {
    const long = 'ü'.repeat(50_000);
    expect(utf8ToBase64(long)).toBe(Buffer.from(long, 'utf8').toString('base64'));
  });
});

describe('idempotency keys', () => {
  it('uses crypto.randomUUID when the context has it', () => {
    expect(createIdempotencyKey({ randomUUID: () => 'from-random-uuid', getRandomValues: (a) => a })).toBe(
      'from-random-uuid',
    );
  });

  it('falls back to getRandomValues on insecure origins, still producing UUID v4s', () => {
    const insecure = { getRandomValues: (array: Uint8Array) => crypto.getRandomValues(array) };
    const keys = new Set(Array.from({ length: 1000 }, () => createIdempotencyKey(insecure)));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(UUID_V4);
  });

  it('sets the version and variant bits whatever the random bytes are', () => {
    expect(createIdempotencyKey({ getRandomValues: (a: Uint8Array) => a.fill(0xff) })).toBe(
      'ffffffff-ffff-4fff-bfff-ffffffffffff',
    );
    expect(createIdempotencyKey({ getRandomValues: (a: Uint8Array) => a.fill(0) })).toBe(
      '00000000-0000-4000-8000-000000000000',
    );
  });

  it('works with the platform crypto by default', () => {
    expect(createIdempotencyKey()).toMatch(UUID_V4);
  });
});

describe('paths and URLs', () => {
  it('percent-encodes each path segment on its own', () => {
    expect(crudPath('a b', 'c/d', 'e?f')).toBe('/crud/a%20b/c%2Fd/e%3Ff');
  });

  it('splits stream paths and rejects other shapes', () => {
    expect(splitStreamPath('u/d/s')).toEqual({ user: 'u', device: 'd', stream: 's', downlink: false });
    expect(splitStreamPath('u/d/s/downlink', true)).toEqual({
      user: 'u',
      device: 'd',
      stream: 's',
      downlink: true,
    });
    expect(() => splitStreamPath('u/d/s/downlink')).toThrow(TypeError);
    expect(() => splitStreamPath('u/d')).toThrow(TypeError);
    expect(() => splitStreamPath('u//s')).toThrow(TypeError);
    expect(() => splitStreamPath('u/d/s/other', true)).toThrow(TypeError);
  });

  it('builds API URLs with URLSearchParams, leaving out undefined values', () => {
    expect(apiUrl('http://h:3124/', '/', { q: 'this' })).toBe('http://h:3124/api/v1/?q=this');
    expect(apiUrl('', '/crud/u', { q: 'streams', public: undefined, downlink: true })).toBe(
      '/api/v1/crud/u?q=streams&downlink=true',
    );
    expect(apiUrl('http://h', '/crud/u/d/s/data', { i1: -10, transform: 'if $ > 5 & x' })).toBe(
      'http://h/api/v1/crud/u/d/s/data?i1=-10&transform=if+%24+%3E+5+%26+x',
    );
  });

  it('derives the websocket URL from the server origin', () => {
    expect(websocketUrl('http://127.0.0.1:3124')).toBe('ws://127.0.0.1:3124/api/v1/websocket');
    expect(websocketUrl('https://example.org/')).toBe('wss://example.org/api/v1/websocket');
    expect(websocketUrl('http://h', 'k&y')).toBe('ws://h/api/v1/websocket?apikey=k%26y');
  });

  it('refuses a same-origin websocket URL where there is no page', () => {
    expect(() => websocketUrl('')).toThrow(/no page location/);
  });
});
