/**
 * The typed client of the ConnectorDB 0.3 wire API as Tributary serves it (shared/api/connectordb-v1.md),
 * plus Tributary's extensions (DESIGN.md §2). Every method maps to one request or one websocket
 * command; nothing is retried or cached here — the local-first layer decides that.
 */
import type { Datapoint, Device, Stream, User, UserStream } from '../core/model';
import { decodeM4, type M4Result } from '../core/timeseries';
import {
  basicAuthorization,
  crudPath,
  requireName,
  splitStreamPath,
  websocketUrl,
  type QueryParams,
} from './encoding';
import type { NetworkError } from './errors';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  HttpTransport,
  unexpectedResponse,
  type Credentials,
} from './HttpTransport';
import {
  deviceToWire,
  streamToWire,
  userToWire,
  type DeviceCreate,
  type DevicePatch,
  type StreamCreate,
  type StreamPatch,
  type UserCreate,
  type UserPatch,
} from './objectProps';
import type { DataRange, DatasetQuery, StreamQuery } from './queries';
import {
  RealtimeConnection,
  type ConnectionState,
  type SocketEndpoint,
  type Subscription,
  type SubscriptionHandler,
} from './realtime';
import { asObject, normalizeDatapoints, parseIntegerText } from './responses';
import type {
  ClientOptions,
  DatapointInput,
  DownlinkHandler,
  DownsampleRequest,
  InsertOptions,
  InterpolatorInfo,
  PlotData,
  PlotWindow,
  ReadOptions,
  TransformInfo,
  UserStreamFilter,
} from './ClientOptions';

/**
 * A client for one server and one identity. HTTP methods reject with `ApiError` (the server said
 * no) or `NetworkError` (no usable answer); argument mistakes (a malformed path) reject with a
 * `TypeError` before anything is sent.
 */
export class TributaryClient {
  private readonly url: string;
  private readonly credentials: Credentials;
  private readonly http: HttpTransport;
  private readonly realtime: RealtimeConnection;
  private readonly onError: (error: unknown) => void;

  constructor(options: ClientOptions) {
    this.url = options.url;
    this.credentials = options.credentials ?? { anonymous: true };
    const report = options.onError ?? ((error: unknown) => console.error('tributary sdk:', error));
    // Called from socket events and promise chains: an exception here would have nowhere to go.
    this.onError = (error) => {
      try {
        report(error);
      } catch {
        // The error reporter failed; dropping is all that is left.
      }
    };
    this.http = new HttpTransport({
      baseUrl: options.url,
      credentials: this.credentials,
      fetch: options.fetch,
      timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    });
    this.realtime = new RealtimeConnection({
      endpoint: () => this.socketEndpoint(),
      createWebSocket: options.createWebSocket,
      reconnect: options.reconnect,
      onError: (error) => this.onError(error),
    });
  }

  // ── session & meta ─────────────────────────────────────────────────────────────────────────

  /** The authenticated device's path (`user/device`), or `nobody`. */
  async whoami(): Promise<string> {
    return (await this.http.text('GET', '/', { query: { q: 'this' } })).trim();
  }

  /**
   * Logs in with the client's credentials and lets the server set its session cookie (in a
   * browser; Node's fetch keeps no cookies). `remember` asks for a long-lived cookie.
   */
  async createSession(remember?: boolean): Promise<void> {
    await this.http.text('GET', '/login', { query: { remember }, withCookies: true });
  }

  /** Deletes the session cookie. */
  async endSession(): Promise<void> {
    await this.http.text('GET', '/logout', { withCookies: true });
  }

  /** Whether the server has no user yet; then the web app offers to create the first admin. */
  async setupStatus(): Promise<{ needsSetup: boolean; version: string }> {
    const value = await this.getObject<{ needsSetup: unknown; version: unknown }>('/setup');
    return { needsSetup: value.needsSetup === true, version: String(value.version ?? '') };
  }

  /**
   * Creates the first admin on a server that has no user yet, and starts a session as that admin
   * (the server sets the cookie, so in a browser a `{cookie: true}` client is then logged in).
   */
  async setUp(admin: { name: string; email: string; password: string }): Promise<User> {
    const value = await this.http.json('POST', '/setup', { body: admin, withCookies: true });
    if (!asObject(value)) throw this.unexpected('POST', '/setup', undefined, value);
    return value as unknown as User;
  }

  /** The server's version, e.g. `0.3.0`. */
  async version(): Promise<string> {
    return (await this.http.text('GET', '/meta/version')).trim();
  }

  /** The PipeScript transforms the server knows, by name. */
  async transforms(): Promise<Record<string, TransformInfo>> {
    return this.getObject<Record<string, TransformInfo>>('/meta/transforms');
  }

  /** The dataset interpolators the server knows, by name. */
  async interpolators(): Promise<Record<string, InterpolatorInfo>> {
    return this.getObject<Record<string, InterpolatorInfo>>('/meta/interpolators');
  }

  /** Number of users (admin only by default). */
  countUsers(): Promise<number> {
    return this.getInteger('/', { q: 'countusers' });
  }

  /** Number of devices (admin only by default). */
  countDevices(): Promise<number> {
    return this.getInteger('/', { q: 'countdevices' });
  }

  /** Number of streams (admin only by default). */
  countStreams(): Promise<number> {
    return this.getInteger('/', { q: 'countstreams' });
  }

  // ── users ──────────────────────────────────────────────────────────────────────────────────
  // Objects come back with the fields the caller may read: the others are absent (contract §2.4).

  /** The users the caller may list (admins). */
  async listUsers(): Promise<User[]> {
    return this.getArray<User[]>('/crud/', { q: 'ls' });
  }

  /** Reads a user. */
  async readUser(user: string): Promise<User> {
    return this.getObject<User>(crudPath(requireName('user', user)));
  }

  /** Creates a user (admins), optionally with devices and streams; stream schemas may be objects. */
  async createUser(user: string, props: UserCreate): Promise<User> {
    return this.sendObject<User>('POST', crudPath(requireName('user', user)), userToWire(props));
  }

  /** Updates some fields of a user; returns the user after the update. */
  async updateUser(user: string, patch: UserPatch): Promise<User> {
    return this.sendObject<User>('PUT', crudPath(requireName('user', user)), patch);
  }

  /** Deletes a user with all its devices, streams and data. */
  async deleteUser(user: string): Promise<void> {
    await this.http.text('DELETE', crudPath(requireName('user', user)));
  }

  // ── devices ────────────────────────────────────────────────────────────────────────────────

  /** The user's devices that the caller may see. */
  async listDevices(user: string): Promise<Device[]> {
    return this.getArray<Device[]>(crudPath(requireName('user', user)), { q: 'ls' });
  }

  /** Reads a device. */
  async readDevice(user: string, device: string): Promise<Device> {
    return this.getObject<Device>(devicePath(user, device));
  }

  /** Creates a device, optionally with streams. */
  async createDevice(user: string, device: string, props: DeviceCreate = {}): Promise<Device> {
    return this.sendObject<Device>('POST', devicePath(user, device), deviceToWire(props));
  }

  /** Updates some fields of a device; returns the device after the update. */
  async updateDevice(user: string, device: string, patch: DevicePatch): Promise<Device> {
    return this.sendObject<Device>('PUT', devicePath(user, device), patch);
  }

  /** Deletes a device with its streams (the `user` and `meta` devices cannot be deleted). */
  async deleteDevice(user: string, device: string): Promise<void> {
    await this.http.text('DELETE', devicePath(user, device));
  }

  /** Gives the device a new API key (the old one stops working) and returns it. */
  async resetApiKey(user: string, device: string): Promise<string> {
    const updated = await this.updateDevice(user, device, { apikey: '' });
    if (typeof updated.apikey !== 'string' || updated.apikey === '') {
      throw unexpectedResponse('PUT', this.http.url(devicePath(user, device)), JSON.stringify(updated));
    }
    return updated.apikey;
  }

  // ── streams ────────────────────────────────────────────────────────────────────────────────

  /** The device's streams. */
  async listStreams(user: string, device: string): Promise<Stream[]> {
    return this.getArray<Stream[]>(devicePath(user, device), { q: 'ls' });
  }

  /** All streams of a user the caller may see, each with its `device` name (`q=streams`). */
  async listUserStreams(user: string, filter: UserStreamFilter = {}): Promise<UserStream[]> {
    return this.getArray<UserStream[]>(crudPath(requireName('user', user)), {
      q: 'streams',
      public: filter.public,
      downlink: filter.downlink,
      visible: filter.visible,
      tag: filter.tag,
    });
  }

  /** Reads a stream (`u/d/s`); its `schema` is a JSON string. */
  async readStream(path: string): Promise<Stream> {
    return this.getObject<Stream>(streamRoute(path));
  }

  /** Creates a stream; `schema` may be an object or a JSON string and is sent as a string. */
  async createStream(path: string, props: StreamCreate = {}): Promise<Stream> {
    return this.sendObject<Stream>('POST', streamRoute(path), streamToWire(props));
  }

  /** Updates some fields of a stream (a new schema does not re-validate stored data). */
  async updateStream(path: string, patch: StreamPatch): Promise<Stream> {
    return this.sendObject<Stream>('PUT', streamRoute(path), streamToWire(patch));
  }

  /** Deletes a stream and its data. */
  async deleteStream(path: string): Promise<void> {
    await this.http.text('DELETE', streamRoute(path));
  }

  // ── data ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Inserts a batch, all or nothing. Within a batch timestamps must not decrease (except with
   * `method: 'insert'`); each `d` must match the stream's schema. An empty batch sends nothing.
   * Bodies are capped at 10 MB by the server, so split very large imports.
   */
  async insert(path: string, points: readonly DatapointInput[], options: InsertOptions = {}): Promise<void> {
    const target = dataTarget(path, options.downlink);
    if (points.length === 0) return;
    const method = options.method ?? 'append';
    const query: QueryParams = {
      method: method === 'insert' ? 'insert' : undefined,
      downlink: target.downlink,
    };
    await this.http.text(method === 'restamp' ? 'PUT' : 'POST', target.route, {
      query,
      body: points.map(toWirePoint),
      headers: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : undefined,
    });
  }

  /** Inserts one value stamped now, restamped if needed — how the original clients insert from a UI. */
  insertNow(path: string, d: unknown): Promise<void> {
    return this.insert(path, [{ t: Date.now() / 1000, d }], { method: 'restamp' });
  }

  /**
   * Reads a range: by index (`{ i1: -10 }` = the last ten, `{}` = everything) or by time
   * (`(t1, t2]`, optionally relative like `now-1h`, with a `limit`).
   */
  async read(path: string, range: DataRange, options: ReadOptions = {}): Promise<Datapoint[]> {
    const target = dataTarget(path, options.downlink);
    const query: QueryParams = {
      ...rangeQuery(range),
      transform: options.transform || undefined,
      downlink: target.downlink,
    };
    return this.getDatapoints(target.route, query);
  }

  /** The number of stored datapoints. */
  length(path: string, options: { downlink?: boolean } = {}): Promise<number> {
    const target = dataTarget(path, options.downlink);
    return this.getInteger(target.route, { q: 'length', downlink: target.downlink });
  }

  /**
   * The index of the first datapoint with a timestamp greater than `t` (unix seconds), in the
   * stream or (`downlink: true`, or a `…/downlink` path) its downlink substream.
   */
  async time2index(path: string, t: number, options: { downlink?: boolean } = {}): Promise<number> {
    const target = dataTarget(path, options.downlink);
    const query: QueryParams = { q: 'time2index', t, downlink: target.downlink };
    const value = await this.http.json('GET', target.route, { query });
    if (typeof value !== 'number') throw this.unexpected('GET', target.route, query, value);
    return value;
  }

  /**
   * Plot data for a window at a pixel width: per pixel column the first, minimum, maximum and last
   * value (M4), computed by the server from its rollups (or the raw points when zoomed in far), in
   * the compact binary form. Drawing it is pixel-identical to drawing every point. `before` and
   * `after` are the nearest datapoints outside the window, so a line can enter and leave it.
   */
  async plot(path: string, window: PlotWindow, options: { downlink?: boolean } = {}): Promise<PlotData> {
    const target = dataTarget(path, options.downlink);
    const query: QueryParams = {
      q: 'plot',
      format: 'binary',
      t1: window.t1,
      t2: window.t2,
      width: window.width,
      downlink: target.downlink,
    };
    const { body, headers } = await this.http.bytes('GET', target.route, { query });
    let edges: { before: Datapoint | null; after: Datapoint | null };
    let m4: M4Result;
    try {
      edges = JSON.parse(headers.get('X-Plot-Edges') ?? '{"before":null,"after":null}') as typeof edges;
      m4 = decodeM4(new Uint8Array(body));
    } catch (error) {
      throw unexpectedResponse('GET', this.http.url(target.route, query), '(binary plot data)', error);
    }
    const level = Number(headers.get('X-Plot-Level') ?? 0);
    return {
      source: headers.get('X-Plot-Source') === 'rollup' ? 'rollup' : 'raw',
      ...(level > 0 && { level }),
      width: Number(headers.get('X-Plot-Width') ?? m4.column.length),
      m4,
      ...(edges.before && { before: edges.before }),
      ...(edges.after && { after: edges.after }),
    };
  }

  /**
   * One datapoint per bucket of a rollup level (`10s`, `1m`, `10m`, `1h`, `1d`): the bucket's
   * `value` (mean, sum, min, max, sum_squares, std_dev, count) at its `time` (first, last, mean).
   */
  downsample(
    path: string,
    request: DownsampleRequest,
    options: { downlink?: boolean } = {},
  ): Promise<Datapoint[]> {
    const target = dataTarget(path, options.downlink);
    return this.getDatapoints(target.route, {
      q: 'downsample',
      level: request.level,
      value: request.value,
      time: request.time,
      t1: request.t1,
      t2: request.t2,
      downlink: target.downlink,
    });
  }

  /** Merges up to 10 stream queries into one array in time order (`POST /query/merge`). */
  merge(queries: readonly StreamQuery[]): Promise<Datapoint[]> {
    return this.postDatapoints('/query/merge', queries);
  }

  /** Builds a T- or X-dataset; each datapoint's `d` is a row `{column: value}` (`POST /query/dataset`). */
  dataset(query: DatasetQuery): Promise<Datapoint[]> {
    return this.postDatapoints('/query/dataset', query);
  }

  // ── realtime ───────────────────────────────────────────────────────────────────────────────

  /**
   * Calls `handler` with every batch published to `path` (`u/d/s` or `u/d/s/downlink`), after the
   * optional server-side `transform`. Opens the websocket on first use and keeps subscriptions
   * across reconnections. Batches published while the socket was down are not replayed: read the
   * gap over HTTP on reconnect if it matters. With the default (browser) WebSocket only an API key
   * (`?apikey=`) or the session cookie authenticate the socket; a username/password needs
   * `createSession()` first, else subscriptions are silently refused by the server.
   */
  subscribe(path: string, handler: SubscriptionHandler, options: { transform?: string } = {}): Subscription {
    splitStreamPath(path, true); // a malformed path would subscribe to nothing, silently
    return this.realtime.subscribe(path, options.transform, handler);
  }

  /**
   * Inserts over the websocket: always restamped, and fire and forget — the server reports neither
   * success nor failure, so use {@link insert} when the outcome matters. Queued while connecting.
   */
  insertViaSocket(path: string, points: readonly Datapoint[]): void {
    splitStreamPath(path, true); // the server would drop a malformed path without a word
    this.realtime.insert(path, points);
  }

  /** The websocket's state now ('closed' until first used). */
  get connectionState(): ConnectionState {
    return this.realtime.state;
  }

  /**
   * Calls `listener` on each websocket state change (`connecting`, `open`, `closed`); an `open`
   * after a `closed` is a reconnection. Returns the function that removes the listener.
   */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    return this.realtime.onStateChange(listener);
  }

  /**
   * The device side of a downlink stream (the Python client's pattern): subscribes to
   * `path/downlink` and passes each request batch to `handler`. Returning `true` writes the same
   * data into `path` as its owner (HTTP PUT, restamped) — the acknowledgement the requesting side
   * waits for; returning an array writes that instead (e.g. the value actually reached). Batches
   * are handled one at a time, in order, so the last request is also the last acknowledgement.
   * Failures go to `onError`.
   */
  acknowledgeDownlinks(path: string, handler: DownlinkHandler): Subscription {
    const { user, device, stream } = splitStreamPath(path, true);
    const base = `${user}/${device}/${stream}`;
    let queue: Promise<void> = Promise.resolve();
    return this.subscribe(`${base}/downlink`, (points) => {
      queue = queue
        .then(async () => {
          const result = await handler(points);
          const ack =
            result === true ? points.map(({ t, d }) => ({ t, d })) : Array.isArray(result) ? result : [];
          if (ack.length > 0) await this.insert(base, ack, { method: 'restamp' });
        })
        .catch((error: unknown) => this.onError(error));
    });
  }

  /** Closes the websocket, drops all subscriptions and stops reconnecting. HTTP methods keep working. */
  close(): void {
    this.realtime.close();
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private socketEndpoint(): SocketEndpoint {
    const credentials = this.credentials;
    if ('apikey' in credentials) return { url: websocketUrl(this.url, credentials.apikey), headers: {} };
    const headers: Record<string, string> = {};
    if ('username' in credentials) {
      headers.Authorization = basicAuthorization(credentials.username, credentials.password);
    }
    return { url: websocketUrl(this.url), headers };
  }

  private unexpected(
    method: string,
    route: string,
    query: QueryParams | undefined,
    value: unknown,
  ): NetworkError {
    return unexpectedResponse(method, this.http.url(route, query), JSON.stringify(value) ?? String(value));
  }

  // The server's objects are checked for shape (an object, an array), not field by field: which
  // fields are present depends on the caller's read permissions.
  private async getObject<T>(route: string, query?: QueryParams): Promise<T> {
    const value = await this.http.json('GET', route, { query });
    if (!asObject(value)) throw this.unexpected('GET', route, query, value);
    return value as T;
  }

  private async getArray<T extends unknown[]>(route: string, query?: QueryParams): Promise<T> {
    const value = await this.http.json('GET', route, { query });
    if (!Array.isArray(value)) throw this.unexpected('GET', route, query, value);
    return value as T;
  }

  private async sendObject<T>(method: 'POST' | 'PUT', route: string, body: unknown): Promise<T> {
    const value = await this.http.json(method, route, { body });
    if (!asObject(value)) throw this.unexpected(method, route, undefined, value);
    return value as T;
  }

  private async getInteger(route: string, query: QueryParams): Promise<number> {
    const text = await this.http.text('GET', route, { query });
    const value = parseIntegerText(text);
    if (value === undefined) throw unexpectedResponse('GET', this.http.url(route, query), text);
    return value;
  }

  private async getDatapoints(route: string, query: QueryParams): Promise<Datapoint[]> {
    const value = await this.http.json('GET', route, { query });
    const points = normalizeDatapoints(value);
    if (!points) throw this.unexpected('GET', route, query, value);
    return points;
  }

  private async postDatapoints(route: string, body: unknown): Promise<Datapoint[]> {
    const value = await this.http.json('POST', route, { body });
    const points = normalizeDatapoints(value);
    if (!points) throw this.unexpected('POST', route, undefined, value);
    return points;
  }
}

function devicePath(user: string, device: string): string {
  return crudPath(requireName('user', user), requireName('device', device));
}

function streamRoute(path: string): string {
  const { user, device, stream } = splitStreamPath(path);
  return crudPath(user, device, stream);
}

/**
 * The data route of a stream. The REST API names the downlink substream with `?downlink=true`,
 * not in the path, so `u/d/s/downlink` is accepted as a convenience and turned into the flag.
 */
function dataTarget(
  path: string,
  downlink: boolean | undefined,
): { route: string; downlink: true | undefined } {
  const parts = splitStreamPath(path, true);
  return {
    route: crudPath(parts.user, parts.device, parts.stream, 'data'),
    downlink: parts.downlink || downlink ? true : undefined,
  };
}

/** The query parameters of a range; `{}` reads the whole stream (`i1=0`, `i2` defaults to 0 = end). */
export function rangeQuery(range: DataRange): QueryParams {
  const isTime = range.t1 !== undefined || range.t2 !== undefined || range.limit !== undefined;
  const isIndex = range.i1 !== undefined || range.i2 !== undefined;
  if (isTime && isIndex)
    throw new TypeError('A range is by index (i1, i2) or by time (t1, t2, limit), not both');
  if (isTime) return { t1: range.t1 ?? 0, t2: range.t2, limit: range.limit || undefined };
  return { i1: range.i1 ?? 0, i2: range.i2 };
}

/** The wire form: `t` left out when absent or 0, so the server stamps it (as Go's omitempty did). */
function toWirePoint(point: DatapointInput): DatapointInput {
  return point.t ? { t: point.t, d: point.d } : { d: point.d };
}
