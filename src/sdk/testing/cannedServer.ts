/**
 * A real HTTP + websocket server on a free loopback port that records what the sdk sends and
 * answers with canned responses: the sdk's tests exercise the true network edge (fetch, `ws`)
 * without a Tributary server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, exactly as sent (e.g. `/api/v1/crud/u?q=ls`). */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A canned answer; `body` objects are sent as JSON. */
export interface CannedResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Responder = (request: RecordedRequest) => CannedResponse | Promise<CannedResponse> | 'hang';

/** A connected websocket as the server sees it, with the commands it has received. */
export interface RecordedSocket {
  socket: WebSocket;
  url: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON commands, in arrival order. */
  messages: unknown[];
}

export interface CannedServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  sockets: RecordedSocket[];
  /** Replaces the HTTP responder. */
  respond(responder: Responder): void;
  /** Runs on each new websocket connection (e.g. to kill it at once). */
  onConnection(listener: ((socket: RecordedSocket) => void) | undefined): void;
  /** Resolves when `predicate` holds, polling every 5 ms; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startCannedServer(initial: Responder = () => ({ body: 'ok' })): Promise<CannedServer> {
  let responder = initial;
  let connectionListener: ((socket: RecordedSocket) => void) | undefined;
  const requests: RecordedRequest[] = [];
  const sockets: RecordedSocket[] = [];
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      void Promise.resolve(responder(recorded)).then((answer) => {
        if (answer === 'hang') {
          hanging.add(res);
          return;
        }
        const body =
          answer.body === undefined
            ? ''
            : typeof answer.body === 'string'
              ? answer.body
              : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          'Content-Type': typeof answer.body === 'string' ? 'text/plain' : 'application/json',
          ...answer.headers,
        });
        res.end(body);
      });
    });
  });

  const wss = new WebSocketServer({ server, path: '/api/v1/websocket' });
  wss.on('connection', (socket, req) => {
    const recorded: RecordedSocket = { socket, url: req.url ?? '', headers: req.headers, messages: [] };
    sockets.push(recorded);
    socket.on('message', (data: Buffer) => {
      try {
        recorded.messages.push(JSON.parse(data.toString('utf8')));
      } catch {
        recorded.messages.push(data.toString('utf8'));
      }
    });
    connectionListener?.(recorded);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    sockets,
    respond(next) {
      responder = next;
    },
    onConnection(listener) {
      connectionListener = listener;
    },
    async waitFor(predicate, timeoutMs = 5_000) {
      const start = Date.now();
      while (!predicate()) {
        if (Date.now() - start > timeoutMs) throw new Error('waitFor: condition not met in time');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      for (const res of hanging) res.destroy();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
