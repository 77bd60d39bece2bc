import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Datapoint } from '../core/model';
import {
  startCannedServer,
  unusedPort,
  type CannedServer,
  type RecordedSocket,
} from './testing/cannedServer';
import {
  reconnectDelayMs,
  type ConnectionState,
  type CreateWebSocket,
  type ReconnectOptions,
} from './realtime';
import type { ClientOptions } from './ClientOptions';
import { TributaryClient } from './TributaryClient';

const createWebSocket: CreateWebSocket = (url, headers) => new WebSocket(url, { headers });
/** Fast, jitter-free reconnection so timings are predictable. */
const FAST: Partial<ReconnectOptions> = {
  initialDelayMs: 20,
  maxDelayMs: 80,
  jitter: 0,
  resetAfterMs: 10_000,
};

let server: CannedServer;
const clients: TributaryClient[] = [];
let errors: unknown[];

beforeEach(async () => {
  server = await startCannedServer();
  errors = [];
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

function client(options: Partial<ClientOptions> = {}): TributaryClient {
  const c = new TributaryClient({
    url: server.origin,
    credentials: { username: 'u', password: 'p' },
    createWebSocket,
    reconnect: FAST,
    onError: (error) => errors.push(error),
    ...options,
  });
  clients.push(c);
  return c;
}

const socketAt = (i: number): RecordedSocket => {
  const s = server.sockets[i];
  if (!s) throw new Error(`no socket ${i}`);
  return s;
};

/** The commands socket `i` has received so far; empty while it does not exist yet. */
const messagesOf = (i: number): unknown[] => server.sockets[i]?.messages ?? [];

function publish(socket: RecordedSocket, message: unknown): void {
  socket.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reconnectDelayMs', () => {
  it('doubles from 1 s up to 30 s', () => {
    const noJitter = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => reconnectDelayMs(n, undefined, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('spreads each delay by ±20 %', () => {
    expect(reconnectDelayMs(0, undefined, () => 0)).toBe(800);
    expect(reconnectDelayMs(0, undefined, () => 1)).toBe(1200);
    expect(reconnectDelayMs(10, undefined, () => 1)).toBe(36000);
  });
});

describe('subscriptions', () => {
  it('opens one socket lazily, authenticates it and subscribes once per stream and transform', async () => {
    const c = client();
    await sleep(20);
    expect(server.sockets).toHaveLength(0);
    expect(c.connectionState).toBe('closed');

    const a: Datapoint[][] = [];
    const b: Datapoint[][] = [];
    const filtered: Datapoint[][] = [];
    c.subscribe('u/d/s', (points) => a.push(points));
    c.subscribe('u/d/s', (points) => b.push(points));
    c.subscribe('u/d/s', (points) => filtered.push(points), { transform: 'if $ > 5' });
    await server.waitFor(() => messagesOf(0).length === 2);

    expect(server.sockets).toHaveLength(1);
    expect(socketAt(0).headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(socketAt(0).messages).toEqual([
      { cmd: 'subscribe', arg: 'u/d/s' },
      { cmd: 'subscribe', arg: 'u/d/s', transform: 'if $ > 5' },
    ]);

    publish(socketAt(0), { stream: 'u/d/s', data: [{ t: 1, d: 3 }] });
    publish(socketAt(0), { stream: 'u/d/s', transform: 'if $ > 5', data: [{ t: 2, d: 9 }] });
    await server.waitFor(() => a.length === 1 && b.length === 1 && filtered.length === 1);
    expect(a[0]).toEqual([{ t: 1, d: 3 }]);
    expect(b[0]).toEqual([{ t: 1, d: 3 }]);
    expect(filtered[0]).toEqual([{ t: 2, d: 9 }]);
  });

  it('passes an API key in the query string', async () => {
    client({ credentials: { apikey: 'k&1' } }).subscribe('u/d/s', () => {});
    await server.waitFor(() => server.sockets.length === 1);
    expect(socketAt(0).url).toBe('/api/v1/websocket?apikey=k%261');
    expect(socketAt(0).headers.authorization).toBeUndefined();
  });

  it('unsubscribes from the server only when the last handler of a key leaves', async () => {
    const c = client();
    const first = c.subscribe('u/d/s', () => {});
    const second = c.subscribe('u/d/s', () => {});
    const other = c.subscribe('u/d/s/downlink', () => {});
    await server.waitFor(() => messagesOf(0).length === 2);
    first.unsubscribe();
    first.unsubscribe();
    await sleep(30);
    expect(socketAt(0).messages).toHaveLength(2);
    second.unsubscribe();
    other.unsubscribe();
    await server.waitFor(() => messagesOf(0).length === 4);
    expect(socketAt(0).messages.slice(2)).toEqual([
      { cmd: 'unsubscribe', arg: 'u/d/s' },
      { cmd: 'unsubscribe', arg: 'u/d/s/downlink' },
    ]);
  });

  it('keeps delivering when a handler throws or rejects', async () => {
    const c = client();
    const received: number[] = [];
    c.subscribe('u/d/s', () => {
      throw new Error('handler bug');
    });
    c.subscribe('u/d/s', () => Promise.reject(new Error('async handler bug')));
    c.subscribe('u/d/s', (points) => {
      received.push(points[0]!.d as number);
    });
    await server.waitFor(() => messagesOf(0).length === 1);
    publish(socketAt(0), { stream: 'u/d/s', data: [{ t: 1, d: 1 }] });
    publish(socketAt(0), { stream: 'u/d/s', data: [{ t: 2, d: 2 }] });
    await server.waitFor(() => received.length === 2 && errors.length === 4);
    expect(received).toEqual([1, 2]);
    expect(errors.map((e) => (e as Error).message).sort()).toEqual([
      'async handler bug',
      'async handler bug',
      'handler bug',
      'handler bug',
    ]);
    expect(c.connectionState).toBe('open');
  });

  it('ignores malformed and unknown messages', async () => {
    const c = client();
    const received: Datapoint[][] = [];
    c.subscribe('u/d/s', (points) => received.push(points));
    await server.waitFor(() => messagesOf(0).length === 1);
    for (const junk of [
      'not json',
      'null',
      '[1,2]',
      { stream: 'u/d/s' },
      { stream: 'u/d/s', data: 'x' },
      { stream: 'u/d/s', data: [1] },
      { stream: 'u/d/s', data: [{ t: 'yesterday', d: 1 }] },
      { stream: 42, data: [] },
      { stream: 'u/d/other', data: [{ t: 1, d: 1 }] },
      { stream: 'u/d/s', transform: 'unsubscribed', data: [{ t: 1, d: 1 }] },
    ]) {
      publish(socketAt(0), junk);
    }
    socketAt(0).socket.send(Buffer.from([1, 2, 3]), { binary: true });
    publish(socketAt(0), { stream: 'u/d/s', data: [{ d: 'last' }] });
    await server.waitFor(() => received.length === 1);
    expect(received[0]).toEqual([{ t: 0, d: 'last' }]);
    expect(errors).toEqual([]);
  });
});

describe('reconnection', () => {
  it('reconnects after the connection is killed and re-sends every subscription', async () => {
    const c = client();
    const states: ConnectionState[] = [];
    c.onConnectionChange((s) => states.push(s));
    const received: unknown[] = [];
    c.subscribe('u/d/a', (points) => received.push(points[0]!.d));
    c.subscribe('u/d/b', () => {}, { transform: 'sum' });
    await server.waitFor(() => messagesOf(0).length === 2);

    socketAt(0).socket.terminate();
    await server.waitFor(() => server.sockets.length === 2 && messagesOf(1).length === 2);
    expect(socketAt(1).messages).toEqual([
      { cmd: 'subscribe', arg: 'u/d/a' },
      { cmd: 'subscribe', arg: 'u/d/b', transform: 'sum' },
    ]);
    await server.waitFor(() => c.connectionState === 'open');
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);

    publish(socketAt(1), { stream: 'u/d/a', data: [{ t: 5, d: 'after reconnect' }] });
    await server.waitFor(() => received.length === 1);
    expect(received).toEqual(['after reconnect']);
  });

  it('does not re-send subscriptions removed while disconnected', async () => {
    const c = client();
    const gone = c.subscribe('u/d/a', () => {});
    c.subscribe('u/d/b', () => {});
    await server.waitFor(() => messagesOf(0).length === 2);
    server.onConnection((s) => s.socket.terminate());
    socketAt(0).socket.terminate();
    await server.waitFor(() => c.connectionState === 'closed');
    gone.unsubscribe();
    server.onConnection(undefined);
    await server.waitFor(() => server.sockets.some((s, i) => i > 0 && s.messages.length > 0));
    const last = server.sockets.at(-1)!;
    await sleep(20);
    expect(last.messages).toEqual([{ cmd: 'subscribe', arg: 'u/d/b' }]);
  });

  it('backs off exponentially while the server is unreachable, up to the maximum', async () => {
    const port = await unusedPort();
    const c = client({ url: `http://127.0.0.1:${port}` });
    const attempts: number[] = [];
    c.onConnectionChange((s) => {
      if (s === 'connecting') attempts.push(Date.now());
    });
    c.subscribe('u/d/s', () => {});
    await server.waitFor(() => attempts.length >= 5, 5_000);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // Timers never fire early; a loaded machine may fire them late.
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    expect(gaps[3]).toBeGreaterThanOrEqual(79);
    expect(errors).toEqual([]);
  });

  it('resets the backoff after a connection stayed open long enough', async () => {
    const c = client({ reconnect: { ...FAST, initialDelayMs: 40, maxDelayMs: 1_000, resetAfterMs: 150 } });
    const attempts: number[] = [];
    c.onConnectionChange((s) => {
      if (s === 'connecting') attempts.push(Date.now());
    });
    // Three connections die at once: the delay grows to 40, 80, 160 ms.
    server.onConnection((s) => s.socket.terminate());
    c.subscribe('u/d/s', () => {});
    await server.waitFor(() => server.sockets.length === 3);
    server.onConnection(undefined);
    // The fourth connection is the one that lives: the third may look open for a moment before the
    // server's terminate reaches the client, and waiting on that one would time the wrong socket.
    await server.waitFor(() => server.sockets.length === 4 && c.connectionState === 'open');
    await sleep(200); // healthy for longer than resetAfterMs
    const before = attempts.length;
    const killedAt = Date.now();
    server.sockets.at(-1)!.socket.terminate();
    await server.waitFor(() => attempts.length === before + 1);
    const delay = attempts.at(-1)! - killedAt;
    expect(delay).toBeGreaterThanOrEqual(35);
    expect(delay).toBeLessThan(300); // 320 ms had the backoff not been reset
  });

  it('stops everything on close()', async () => {
    const c = client();
    c.subscribe('u/d/s', () => {});
    await server.waitFor(() => c.connectionState === 'open');
    c.close();
    expect(c.connectionState).toBe('closed');
    await server.waitFor(() => socketAt(0).socket.readyState === WebSocket.CLOSED);
    await sleep(100);
    expect(server.sockets).toHaveLength(1);
  });

  it('opens a fresh socket when used again after close()', async () => {
    const c = client();
    const old = c.subscribe('u/d/s', () => {});
    await server.waitFor(() => c.connectionState === 'open');
    c.close();
    const received: unknown[] = [];
    c.subscribe('u/d/t', (points) => received.push(points[0]!.d));
    old.unsubscribe(); // a subscription from before close() is inert
    await server.waitFor(() => server.sockets.length === 2 && messagesOf(1).length === 1);
    expect(socketAt(1).messages).toEqual([{ cmd: 'subscribe', arg: 'u/d/t' }]);
    publish(socketAt(1), { stream: 'u/d/t', data: [{ t: 1, d: 'fresh' }] });
    await server.waitFor(() => received.length === 1);
  });
});

describe('socket inserts and downlinks', () => {
  it('queues inserts until the socket is open, then sends them restamped', async () => {
    const c = client();
    c.insertViaSocket('u/d/s', [
      { t: 0, d: 1 },
      { t: 5, d: { on: true }, o: 'u/user' },
    ]);
    await server.waitFor(() => messagesOf(0).length === 1);
    expect(socketAt(0).messages[0]).toEqual({
      cmd: 'insert',
      arg: 'u/d/s',
      d: [{ d: 1 }, { t: 5, d: { on: true } }],
    });
  });

  it('acknowledges downlink requests by writing them to the stream over HTTP, in order', async () => {
    const c = client({ credentials: { apikey: 'lamp-key' } });
    const seen: unknown[] = [];
    c.acknowledgeDownlinks('u/lamp/on', async (points) => {
      seen.push(points[0]!.d);
      if (points[0]!.d === 'slow') await sleep(50);
      if (points[0]!.d === 'ignore') return false;
      if (points[0]!.d === 'clamp') return [{ d: 100 }];
      return true;
    });
    await server.waitFor(() => messagesOf(0).length === 1);
    expect(socketAt(0).messages[0]).toEqual({ cmd: 'subscribe', arg: 'u/lamp/on/downlink' });

    for (const d of ['slow', 'ignore', 'clamp', 'fast']) {
      publish(socketAt(0), { stream: 'u/lamp/on/downlink', data: [{ t: 10, d, o: 'u/user' }] });
    }
    await server.waitFor(() => server.requests.length === 3);
    expect(seen).toEqual(['slow', 'ignore', 'clamp', 'fast']);
    expect(server.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['PUT', '/api/v1/crud/u/lamp/on/data', '[{"t":10,"d":"slow"}]'],
      ['PUT', '/api/v1/crud/u/lamp/on/data', '[{"d":100}]'],
      ['PUT', '/api/v1/crud/u/lamp/on/data', '[{"t":10,"d":"fast"}]'],
    ]);
    expect(server.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(':lamp-key').toString('base64')}`,
    );
  });

  it('reports a failed acknowledgement and keeps acknowledging', async () => {
    server.respond((r) =>
      r.body.includes('bad') ? { status: 403, body: { code: 403, msg: 'schema', ref: 'r' } } : { body: 'ok' },
    );
    const c = client();
    c.acknowledgeDownlinks('u/lamp/on', () => true);
    await server.waitFor(() => messagesOf(0).length === 1);
    publish(socketAt(0), { stream: 'u/lamp/on/downlink', data: [{ t: 1, d: 'bad' }] });
    publish(socketAt(0), { stream: 'u/lamp/on/downlink', data: [{ t: 2, d: 'good' }] });
    await server.waitFor(() => server.requests.length === 2 && errors.length === 1);
    expect(errors[0]).toMatchObject({ status: 403, msg: 'schema' });
  });

  it('throws at once when there is no WebSocket implementation', () => {
    const c = new TributaryClient({ url: server.origin });
    clients.push(c);
    expect(() => c.subscribe('u/d/s', () => {})).toThrow(/createWebSocket/);
    expect(c.connectionState).toBe('closed');
  });
});
