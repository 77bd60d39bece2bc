/**
 * One HTTP request to `/api/v1`: credentials, timeout, and the split of every failure into
 * {@link ApiError} (the API answered no) or {@link NetworkError} (no usable answer).
 */
import { apiUrl, basicAuthorization, type QueryParams } from './encoding';
import { ApiError, NetworkError } from './errors';

/**
 * Who the client is. `username`/`password` logs in as the user's `user` device; `apikey` as the
 * device owning the key; `cookie` relies on the session cookie set by `createSession` (or by the
 * web app's login page); `anonymous` is the `nobody` operator.
 */
export type Credentials =
  { username: string; password: string } | { apikey: string } | { cookie: true } | { anonymous: true };

/** Default time a request (including reading its body) may take before it fails. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** How one request is sent. */
export interface RequestOptions {
  query?: QueryParams;
  /** Serialised as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Send and accept cookies even when the credentials are not `cookie`: login and logout must, or
   * the browser would ignore their `Set-Cookie`.
   */
  withCookies?: boolean;
}

/** What the transport is built from (the client's options, resolved). */
export interface HttpTransportOptions {
  baseUrl: string;
  credentials: Credentials;
  fetch?: typeof fetch;
  timeoutMs: number;
}

/** Sends requests to one server with one identity. */
export class HttpTransport {
  private readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly usesCookie: boolean;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: HttpTransportOptions) {
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs;
    const credentials = options.credentials;
    this.usesCookie = 'cookie' in credentials;
    // An API key travels as Basic with an empty username (contract §2.2) rather than `?apikey=`,
    // so it does not end up in access logs.
    if ('username' in credentials) {
      this.authorization = basicAuthorization(credentials.username, credentials.password);
    } else if ('apikey' in credentials) {
      this.authorization = basicAuthorization('', credentials.apikey);
    }
    // Resolved per call and never called as a method: `window.fetch` throws "Illegal invocation"
    // when invoked with another `this`, and a polyfill installed later is still picked up.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The request's URL, exactly as it is sent. */
  url(route: string, query?: QueryParams): string {
    return apiUrl(this.baseUrl, route, query);
  }

  /** Sends a request and returns the 2xx body as text. */
  async text(method: string, route: string, options: RequestOptions = {}): Promise<string> {
    return (await this.send(method, route, options, (response) => response.text())).body;
  }

  /** Sends a request and returns the 2xx body as bytes, with the response headers. */
  async bytes(
    method: string,
    route: string,
    options: RequestOptions = {},
  ): Promise<{ body: ArrayBuffer; headers: Headers }> {
    return this.send(method, route, options, (response) => response.arrayBuffer());
  }

  private async send<T>(
    method: string,
    route: string,
    options: RequestOptions,
    read: (response: Response) => Promise<T>,
  ): Promise<{ body: T; headers: Headers }> {
    const url = this.url(route, options.query);
    const headers: Record<string, string> = { Accept: 'application/json, text/plain', ...options.headers };
    if (this.authorization) headers.Authorization = this.authorization;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    let response: Response;
    let result: T | undefined;
    let errorText = '';
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body,
        // Only the configured identity is sent: a stray session cookie must not turn an
        // anonymous or API-key client into someone else.
        credentials: this.usesCookie || options.withCookies ? 'include' : 'omit',
        signal: controller.signal,
      });
      if (response.ok) result = await read(response);
      else errorText = await response.text();
    } catch (error) {
      const reason = timedOut ? `timed out after ${this.timeoutMs} ms` : describeFailure(error);
      throw new NetworkError(`${method} ${url}: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }

    // The API never redirects; a redirect is a captive portal or a misconfigured proxy, and its
    // page is not an answer to this request (a 200 there must not count as a saved insert).
    if (response.redirected) {
      throw new NetworkError(`${method} ${url}: redirected to ${response.url}, not an API answer`);
    }
    if (!response.ok) throw ApiError.fromResponse(response.status, response.statusText, errorText);
    return { body: result as T, headers: response.headers };
  }

  /** Sends a request and parses the 2xx body as JSON. */
  async json(method: string, route: string, options: RequestOptions = {}): Promise<unknown> {
    const text = await this.text(method, route, options);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw unexpectedResponse(method, this.url(route, options.query), text, error);
    }
  }
}

/**
 * A 2xx whose body is not what the API sends. Reported as a {@link NetworkError}: whatever answered
 * was not a working Tributary API, so the request counts as not delivered and may be retried.
 */
export function unexpectedResponse(method: string, url: string, text: string, cause?: unknown): NetworkError {
  const preview = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new NetworkError(`${method} ${url}: unexpected response ${JSON.stringify(preview)}`, { cause });
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND…) is in `cause`. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
