/**
 * The client's one websocket (contract §3): subscriptions keyed by `stream:transform`, fire-and-
 * forget inserts, and automatic reconnection with re-subscription. The server never answers a
 * command, so nothing here waits for a reply.
 */
import type { Datapoint } from '../core/model';
import { normalizeDatapoints } from './responses';

/**
 * A handler type checked bivariantly (a method signature), so both the DOM `WebSocket` and the
 * `ws` package's class — whose handlers take their own event types — are assignable to
 * {@link WebSocketLike} without casts.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** What the sdk needs of a websocket: the browser's `WebSocket` and `ws`'s both fit. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  /** `data` is a string for text frames (both in browsers and in `ws`). */
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<unknown> | null;
  onerror: Handler<unknown> | null;
}

/**
 * Opens a websocket. In Node pass `(url, headers) => new WebSocket(url, { headers })` with
 * `WebSocket` from `ws`; the default uses the global `WebSocket`, which cannot send headers.
 */
export type CreateWebSocket = (url: string, headers: Record<string, string>) => WebSocketLike;

/** The socket's state as reported to {@link RealtimeConnection.onStateChange} listeners. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** Reconnection timing. */
export interface ReconnectOptions {
  /** Delay before the first reconnection attempt after a drop. */
  initialDelayMs: number;
  /** The delay doubles per failed attempt up to this. */
  maxDelayMs: number;
  /** Random spread of each delay, as a fraction (0.2 = ±20 %), so a restarted server is not stampeded. */
  jitter: number;
  /** A connection that stayed open this long resets the delay to `initialDelayMs`. */
  resetAfterMs: number;
}

/** 1 s doubling to 30 s, ±20 %, reset after 15 s of a healthy connection. */
export const DEFAULT_RECONNECT: Readonly<ReconnectOptions> = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: 0.2,
  resetAfterMs: 15_000,
};

/** The delay before reconnection attempt number `attempt` (0 for the first after a drop). */
export function reconnectDelayMs(
  attempt: number,
  options: ReconnectOptions = DEFAULT_RECONNECT,
  random: () => number = Math.random,
): number {
  const base = Math.min(options.initialDelayMs * 2 ** Math.min(attempt, 30), options.maxDelayMs);
  return Math.max(0, Math.round(base * (1 + options.jitter * (2 * random() - 1))));
}

/** Which subscription a batch arrived for. */
export interface SubscriptionMessage {
  /** The subscribed path, e.g. `u/d/s` or `u/d/s/downlink`. */
  stream: string;
  /** The subscription's transform; absent when it has none. */
  transform?: string;
}

/**
 * Receives each published batch. Exceptions — and rejections, when the handler is async — are
 * reported to the client's `onError` and never stop delivery to other handlers or later messages.
 */
export type SubscriptionHandler = (points: Datapoint[], message: SubscriptionMessage) => void;

/** A live subscription; `unsubscribe` may be called any number of times. */
export interface Subscription {
  unsubscribe(): void;
}

/** Where and how to connect, computed afresh for each attempt. */
export interface SocketEndpoint {
  url: string;
  headers: Record<string, string>;
}

/** Options of a {@link RealtimeConnection}. */
export interface RealtimeConnectionOptions {
  endpoint: () => SocketEndpoint;
  createWebSocket?: CreateWebSocket;
  reconnect?: Partial<ReconnectOptions>;
  /** Receives handler exceptions and failures to open a socket. */
  onError: (error: unknown) => void;
}

/** Inserts queued while the socket is not open; beyond this the oldest are dropped (fire and forget). */
const MAX_QUEUED_INSERTS = 1_000;

/** The `readyState` of an open socket (the global `WebSocket.OPEN` does not exist in Node 20). */
const OPEN = 1;

interface Registration {
  handler: SubscriptionHandler;
}

interface Topic {
  stream: string;
  transform: string | undefined;
  registrations: Set<Registration>;
}

/** Client → server messages (contract §3). */
type Command =
  | { cmd: 'subscribe' | 'unsubscribe'; arg: string; transform?: string }
  | { cmd: 'insert'; arg: string; d: { t?: number; d: unknown }[] };

/**
 * One websocket with its subscriptions. Opened lazily by the first subscribe or insert, kept open
 * (and reopened after drops) until {@link RealtimeConnection.close}, even when no subscription is
 * left, because the local-first sync engine uses its reconnections as a "back online" signal.
 */
export class RealtimeConnection {
  private readonly options: RealtimeConnectionOptions;
  private readonly timing: ReconnectOptions;
  private readonly topics = new Map<string, Topic>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private queuedInserts: string[] = [];
  private socket: WebSocketLike | null = null;
  private currentState: ConnectionState = 'closed';
  /** Whether a connection is wanted: set by use, cleared by close(). */
  private isActive = false;
  private failedAttempts = 0;
  private openedAtMs = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onOnline = (): void => this.reconnectNow();

  constructor(options: RealtimeConnectionOptions) {
    this.options = options;
    this.timing = { ...DEFAULT_RECONNECT, ...options.reconnect };
  }

  /** The socket's current state; 'closed' before first use. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** Calls `listener` on every state change; returns the function that removes it. */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => {
      this.stateListeners.delete(listener);
    };
  }

  /**
   * Adds a handler for `stream` with `transform`. The server subscription is sent once per
   * stream/transform pair, and unsubscribed when its last handler leaves.
   */
  subscribe(stream: string, transform: string | undefined, handler: SubscriptionHandler): Subscription {
    this.assertCanConnect();
    const normalized = transform || undefined; // '' and absent are the same subscription on the wire
    const key = topicKey(stream, normalized);
    let topic = this.topics.get(key);
    const isNewTopic = topic === undefined;
    if (!topic) {
      topic = { stream, transform: normalized, registrations: new Set() };
      this.topics.set(key, topic);
    }
    const registration: Registration = { handler };
    topic.registrations.add(registration);
    if (isNewTopic) this.sendIfOpen({ cmd: 'subscribe', arg: stream, transform: normalized });
    this.ensureConnected();

    const owner = topic;
    return {
      unsubscribe: () => {
        // A registration from before close() or a repeated call finds nothing to remove.
        if (this.topics.get(key) !== owner || !owner.registrations.delete(registration)) return;
        if (owner.registrations.size > 0) return;
        this.topics.delete(key);
        this.sendIfOpen({ cmd: 'unsubscribe', arg: stream, transform: normalized });
      },
    };
  }

  /** Sends an insert (always restamped by the server); queued while the socket is not open. */
  insert(stream: string, points: readonly Datapoint[]): void {
    this.assertCanConnect();
    const wire = points.map((p) => (p.t ? { t: p.t, d: p.d } : { d: p.d }));
    const message = JSON.stringify({ cmd: 'insert', arg: stream, d: wire } satisfies Command);
    if (!this.trySend(message)) {
      this.queuedInserts.push(message);
      if (this.queuedInserts.length > MAX_QUEUED_INSERTS) this.queuedInserts.shift();
    }
    this.ensureConnected();
  }

  /** Closes the socket, drops every subscription and queued insert, and stops reconnecting. */
  close(): void {
    this.isActive = false;
    this.clearReconnectTimer();
    if (typeof globalThis.removeEventListener === 'function') {
      globalThis.removeEventListener('online', this.onOnline);
    }
    // Emptied too, so a batch being delivered right now stops at the handler that called close().
    for (const topic of this.topics.values()) topic.registrations.clear();
    this.topics.clear();
    this.queuedInserts = [];
    this.failedAttempts = 0;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      try {
        socket.close(1000, 'client closed');
      } catch {
        // Already closed or never opened: nothing left to release.
      }
    }
    this.setState('closed');
  }

  /** A missing implementation is a setup mistake: thrown to the caller, not retried forever. */
  private assertCanConnect(): void {
    if (!this.options.createWebSocket && typeof globalThis.WebSocket !== 'function') {
      throw new TypeError(
        'No global WebSocket (Node 20): pass ClientOptions.createWebSocket, e.g. (u, h) => new WebSocket(u, { headers: h }) from "ws"',
      );
    }
  }

  private ensureConnected(): void {
    if (this.isActive) return;
    this.isActive = true;
    // A phone coming back online should not sit out the rest of a 30 s backoff.
    if (typeof globalThis.addEventListener === 'function') {
      globalThis.addEventListener('online', this.onOnline);
    }
    this.connect();
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    this.setState('connecting');
    if (!this.isActive) return; // a listener of 'connecting' called close()
    let socket: WebSocketLike;
    try {
      const { url, headers } = this.options.endpoint();
      socket = (this.options.createWebSocket ?? browserWebSocket)(url, headers);
    } catch (error) {
      this.options.onError(error);
      this.setState('closed');
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.openedAtMs = Date.now();
      // Replayed before listeners hear 'open', so a subscribe made by a listener is sent only once.
      for (const topic of this.topics.values()) {
        this.trySend(
          JSON.stringify({
            cmd: 'subscribe',
            arg: topic.stream,
            transform: topic.transform,
          } satisfies Command),
        );
      }
      const queued = this.queuedInserts;
      this.queuedInserts = [];
      for (const message of queued) this.trySend(message);
      this.setState('open');
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.deliver(event.data);
    };
    // A close always follows an error; `ws` would throw an 'error' that has no listener.
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.openedAtMs && Date.now() - this.openedAtMs >= this.timing.resetAfterMs)
        this.failedAttempts = 0;
      this.openedAtMs = 0;
      this.setState('closed');
      if (this.isActive) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (!this.isActive || this.reconnectTimer !== undefined) return;
    const delay = reconnectDelayMs(this.failedAttempts++, this.timing);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private reconnectNow(): void {
    if (!this.isActive || this.reconnectTimer === undefined) return;
    this.clearReconnectTimer();
    this.failedAttempts = 0;
    this.connect();
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of [...this.stateListeners]) {
      try {
        listener(state);
      } catch (error) {
        this.options.onError(error);
      }
    }
  }

  private sendIfOpen(command: Command): void {
    // When not open, the command is implied by the topic table, which is replayed on open.
    this.trySend(JSON.stringify(command));
  }

  private trySend(message: string): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(message);
      return true;
    } catch {
      return false; // the socket is going away; its close event triggers the reconnection
    }
  }

  /** Routes one frame; anything that is not a well-formed batch for a live topic is ignored. */
  private deliver(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { stream, transform, data: payload } = message as Record<string, unknown>;
    if (typeof stream !== 'string' || (transform !== undefined && typeof transform !== 'string')) return;
    const points = normalizeDatapoints(payload);
    if (!points) return;
    const topic = this.topics.get(topicKey(stream, transform || undefined));
    if (!topic) return;
    const info: SubscriptionMessage = transform ? { stream, transform } : { stream };
    // A copy: a handler may unsubscribe itself or others while the batch is being delivered.
    for (const registration of [...topic.registrations]) {
      if (!topic.registrations.has(registration)) continue;
      try {
        const result: unknown = registration.handler(points, info);
        if (result instanceof Promise) result.catch(this.options.onError);
      } catch (error) {
        this.options.onError(error);
      }
    }
  }
}

function topicKey(stream: string, transform: string | undefined): string {
  return `${stream}:${transform ?? ''}`;
}

function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = () => {};
}

/** The default factory: the platform's `WebSocket`, which has no way to send headers. */
function browserWebSocket(url: string): WebSocketLike {
  return new globalThis.WebSocket(url);
}
