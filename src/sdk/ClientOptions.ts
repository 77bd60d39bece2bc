/**
 * The options and argument types of `TributaryClient`'s methods that are not query bodies
 * (queries.ts) or object fields (objectProps.ts).
 */
import type { Datapoint } from '../core/model';
import type { M4Result } from '../core/timeseries';
import type { Credentials } from './HttpTransport';
import type { CreateWebSocket, ReconnectOptions } from './realtime';

/** Options of a `TributaryClient`. */
export interface ClientOptions {
  /** Server origin, e.g. `http://127.0.0.1:3124`; `''` means the page's own origin (browser). */
  url: string;
  /** Who the client is; default anonymous. `cookie` sends requests with `credentials: 'include'`. */
  credentials?: Credentials;
  /** The `fetch` to use; default the global one. */
  fetch?: typeof fetch;
  /**
   * Opens the websocket. Node 20 has no global WebSocket: pass
   * `(u, h) => new WebSocket(u, { headers: h })` with `WebSocket` from `ws`. The default is the
   * global `WebSocket`, which cannot send headers (see `TributaryClient.subscribe`).
   */
  createWebSocket?: CreateWebSocket;
  /** Time limit of one HTTP request including its body, in ms; default 30 s. */
  requestTimeoutMs?: number;
  /** Websocket reconnection timing; default 1 s doubling to 30 s, ±20 %, reset after 15 s open. */
  reconnect?: Partial<ReconnectOptions>;
  /**
   * Receives errors that have no caller to go to: exceptions of subscription handlers, failed
   * downlink acknowledgements, failures to open the socket. Default `console.error`.
   */
  onError?: (error: unknown) => void;
}

/** A datapoint to insert; without `t` (or with `t: 0`) the server stamps it with its time. */
export interface DatapointInput {
  /** Unix time in seconds (not milliseconds). */
  t?: number;
  d: unknown;
}

/** How an insert treats timestamps. */
export type InsertMethod =
  /** `POST`: refuses (403) a batch older than the stream's last datapoint. */
  | 'append'
  /** `PUT`: moves older datapoints up to the stream's last timestamp. */
  | 'restamp'
  /** `POST ?method=insert` (Tributary): any order, stored in time order, never restamped. */
  | 'insert';

/** Options of `TributaryClient.insert`. */
export interface InsertOptions {
  /** Default `append`. */
  method?: InsertMethod;
  /**
   * Sent as the `Idempotency-Key` header: a retry with the same key and body inserts nothing again.
   * Make one with `createIdempotencyKey()` and keep it with the batch until it is confirmed.
   */
  idempotencyKey?: string;
  /** Write the `downlink` substream (same as a path ending in `/downlink`). */
  downlink?: boolean;
}

/** Options of `TributaryClient.read`. */
export interface ReadOptions {
  /** A PipeScript applied server-side to the range. */
  transform?: string;
  /** Read the `downlink` substream (same as a path ending in `/downlink`). */
  downlink?: boolean;
}

/** Filters of `TributaryClient.listUserStreams`; left-out filters are not applied. */
export interface UserStreamFilter {
  /** Only streams of public devices. */
  public?: boolean;
  /** Only downlink streams. */
  downlink?: boolean;
  /** Only streams of visible devices (hides `meta`). */
  visible?: boolean;
  /** Tributary extension: only streams carrying this tag. */
  tag?: string;
}

/** One entry of `GET /meta/transforms`. */
export interface TransformInfo {
  name: string;
  description: string;
  documentation?: string;
  args?: unknown[];
  one_to_one?: boolean;
  stateless?: boolean;
  peek?: boolean;
  ischema?: unknown;
  oschema?: unknown;
}

/** One entry of `GET /meta/interpolators`. */
export interface InterpolatorInfo {
  name: string;
  description: string;
  documentation?: string;
  ischema?: unknown;
  oschema?: unknown;
}

/**
 * Answers a downlink batch: `true` acknowledges it (the same data is written to the stream),
 * an array writes that instead, `false`/nothing leaves the request unacknowledged.
 */
export type DownlinkHandler = (
  points: Datapoint[],
) => boolean | DatapointInput[] | void | Promise<boolean | DatapointInput[] | void>;

/** The window of a plot: `t1`/`t2` in unix seconds or relative (`now-7d`); `t2` defaults to now. */
export interface PlotWindow {
  t1: number | string;
  t2?: number | string;
  /** The plot's width in pixels (1 to 8192). */
  width: number;
}

/** Plot data as `TributaryClient.plot` returns it. */
export interface PlotData {
  /** Where the columns came from: a rollup level (`level` seconds) or the raw points. */
  source: 'rollup' | 'raw';
  level?: number;
  /** Number of pixel columns; column `c` spans `[m4.t0 + c·m4.columnWidth, …+columnWidth)`. */
  width: number;
  m4: M4Result;
  before?: Datapoint;
  after?: Datapoint;
}

/** A downsampling request (see `TributaryClient.downsample`). */
export interface DownsampleRequest {
  level: '10s' | '1m' | '10m' | '1h' | '1d' | number;
  value?: 'mean' | 'sum' | 'min' | 'max' | 'sum_squares' | 'std_dev' | 'count';
  time?: 'first' | 'last' | 'mean';
  t1: number | string;
  t2?: number | string;
}
