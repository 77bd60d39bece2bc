/**
 * Pure helpers that turn the sdk's arguments into what goes on the wire: URLs, path segments,
 * Basic credentials and idempotency keys. Browser- and Node-safe: no Buffer, no node:*.
 */

/** The subset of Web Crypto the key generator needs; injectable so the fallback can be tested. */
export interface RandomSource {
  randomUUID?: () => string;
  getRandomValues(array: Uint8Array): Uint8Array;
}

/** Base64 of a string's UTF-8 bytes (`btoa` alone only takes Latin-1 and throws on "é" or "😀"). */
export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  // Chunked so a long string does not overflow the argument limit of String.fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * An `Authorization` header value for HTTP Basic. ConnectorDB reads an empty username as "the
 * password is a device API key" (contract §2.2).
 */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${utf8ToBase64(`${username}:${password}`)}`;
}

/**
 * A fresh random UUID v4 for the `Idempotency-Key` header. `crypto.randomUUID` exists only in
 * secure contexts, so a phone opening the app over plain `http://192.168.x.y` falls back to
 * `crypto.getRandomValues`, which every browser and Node 20 have everywhere.
 */
export function createIdempotencyKey(random: RandomSource = globalThis.crypto): string {
  if (typeof random.randomUUID === 'function') return random.randomUUID();
  const bytes = random.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A stream path split into its parts; `downlink` is true for `u/d/s/downlink`. */
export interface StreamPathParts {
  user: string;
  device: string;
  stream: string;
  downlink: boolean;
}

/**
 * Splits `u/d/s` (or `u/d/s/downlink` when `allowDownlink`). Names are not checked against the
 * name pattern — the server judges them — but the shape is, because a wrong segment count would
 * silently address another object (`u/d` is a device).
 */
export function splitStreamPath(path: string, allowDownlink = false): StreamPathParts {
  const parts = path.split('/');
  const isDownlink = allowDownlink && parts.length === 4 && parts[3] === 'downlink';
  if ((parts.length !== 3 && !isDownlink) || parts.some((p) => p === '')) {
    const expected = allowDownlink
      ? '"user/device/stream" or "user/device/stream/downlink"'
      : '"user/device/stream"';
    throw new TypeError(`Invalid stream path "${path}": expected ${expected}`);
  }
  const [user, device, stream] = parts as [string, string, string];
  return { user, device, stream, downlink: isDownlink };
}

/** Rejects an empty user or device name for the same reason: `crud/` + '' is another route. */
export function requireName(kind: string, name: string): string {
  if (name === '') throw new TypeError(`The ${kind} name must not be empty`);
  return name;
}

/** `/crud/u/d/s` with every segment percent-encoded on its own, so a `/` or `?` in a name cannot reroute. */
export function crudPath(...segments: readonly string[]): string {
  return `/crud/${segments.map(encodeURIComponent).join('/')}`;
}

/** Query parameter values the sdk sends; undefined values are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** The server origin without trailing slashes ('' stays '' and means "same origin"). */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** `base + /api/v1 + route + ?query`. `route` starts with `/` (e.g. `/crud/u`, `/` for the root). */
export function apiUrl(baseUrl: string, route: string, query?: QueryParams): string {
  let url = `${normalizeBaseUrl(baseUrl)}/api/v1${route}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.append(key, String(value));
    }
    const search = params.toString();
    if (search) url += `?${search}`;
  }
  return url;
}

/**
 * The websocket URL for a server origin: `http(s)` becomes `ws(s)`; '' derives the origin from the
 * page's `location` (the web app served by the server itself).
 */
export function websocketUrl(baseUrl: string, apikey?: string): string {
  let origin = normalizeBaseUrl(baseUrl);
  if (origin === '') {
    if (typeof location === 'undefined') {
      throw new TypeError(
        'ClientOptions.url is "" (same origin) but there is no page location: pass the server URL',
      );
    }
    origin = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
  } else {
    origin = origin.replace(/^http(s?):/i, 'ws$1:');
  }
  const url = `${origin}/api/v1/websocket`;
  return apikey === undefined ? url : `${url}?${new URLSearchParams({ apikey }).toString()}`;
}
