/**
 * `/api/v1/websocket` (connectordb-v1.md §3): subscribe/unsubscribe per (stream, transform),
 * `unsubscribe_all`, `insert` (always restamped), pushes `{stream, transform?, data}`, pings,
 * subscriptions dropped when access is lost, and sockets closed when their credentials stop
 * working. Like the original, the server never answers commands: the Python client treats every
 * incoming message as data, so anything else would break it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { datapointsToJson, parseStreamPath, type StreamPath } from '../../../core/model';
import type { PipeScript } from '../../../core/pipescript';
import type { CredentialSource } from '../../auth/Authenticator';
import { actorPath, type Actor } from '../../domain/Actor';
import { insertData } from '../../domain/data';
import { Refusal } from '../../domain/Refusal';
import { findReadableStream } from '../../domain/streams';
import { compileTransform, runTransform } from '../../domain/transforms';
import type { BusMessage } from '../../bus/Bus';
import type { AppContext } from '../requestContext';

const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A subscriber that cannot keep up is disconnected rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Commands waiting in one connection's queue before it stops reading from the socket for a while. */
const MAX_QUEUED_COMMANDS = 256;
export const WEBSOCKET_PATH = '/api/v1/websocket';

interface Subscription {
  path: StreamPath;
  unsubscribe: () => void;
  /** Transform source → compiled script ('' means the raw data). */
  transforms: Map<string, PipeScript | undefined>;
}

export interface UpgradeAuthenticator {
  /**
   * Authenticates an upgrade request; throws a Refusal to refuse it. `isRecheck`: the socket is
   * open and checks its credentials again (no failed-login delay or count).
   */
  authenticate(request: IncomingMessage, source: CredentialSource, isRecheck: boolean): Promise<Actor>;
}

/** The raw push for a published batch, serialised once however many sockets receive it. */
const rawMessages = new WeakMap<BusMessage, string>();
function rawMessage(message: BusMessage): string {
  let text = rawMessages.get(message);
  if (text === undefined) {
    text = `{"stream":${JSON.stringify(message.stream)},"data":${datapointsToJson(message.data)}}`;
    rawMessages.set(message, text);
  }
  return text;
}

class Connection {
  private readonly subscriptions = new Map<string, Subscription>();
  private alive = true;
  private closed = false;
  /**
   * Commands run one at a time in arrival order: a subscribe waits for storage, and an
   * `unsubscribe_all` sent right after it must not overtake it. The tail of the queue.
   */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private revalidationQueued = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly socket: WebSocket,
    private actor: Actor,
    /** Checks the credentials the socket was opened with again (see `credentialsHold`). */
    private readonly reauthenticate: () => Promise<Actor>,
  ) {
    socket.on('message', (data, isBinary) => void this.enqueue(() => this.onMessage(data, isBinary)));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => {
      this.closed = true;
      this.unsubscribeAll();
    });
    socket.on('error', () => socket.terminate());
  }

  /**
   * Runs `task` after every earlier one; a long queue pauses reading until it drains. Tasks still
   * run after the socket closed (an insert sent just before closing is kept); subscribe checks.
   */
  private enqueue(task: () => Promise<void>): Promise<void> {
    if (++this.queued === MAX_QUEUED_COMMANDS) this.socket.pause();
    this.queue = this.queue
      .then(task)
      .catch((err: unknown) => this.log(`command failed: ${(err as Error).message}`))
      .finally(() => {
        if (this.queued-- === MAX_QUEUED_COMMANDS && !this.closed) this.socket.resume();
      });
    return this.queue;
  }

  private log(message: string): void {
    console.warn(`websocket ${actorPath(this.actor)}: ${message}`);
  }

  private async onMessage(data: RawData, isBinary: boolean): Promise<void> {
    let command: { cmd?: unknown; arg?: unknown; transform?: unknown; d?: unknown };
    try {
      command = JSON.parse(isBinary ? data.toString() : String(data)) as typeof command;
    } catch {
      return this.log('ignored a message that is not JSON');
    }
    const arg = typeof command.arg === 'string' ? command.arg : '';
    const transform = typeof command.transform === 'string' ? command.transform : '';
    try {
      switch (command.cmd) {
        case 'subscribe':
          return await this.subscribe(arg, transform);
        case 'unsubscribe':
          return this.unsubscribe(arg, transform);
        case 'unsubscribe_all':
          return this.unsubscribeAll();
        case 'insert':
          return await this.insert(arg, command.d);
        default:
          return this.log(`ignored unknown command ${JSON.stringify(command.cmd)}`);
      }
    } catch (err) {
      // Failures are only logged: the protocol has no way to report them (§3).
      this.log(`${String(command.cmd)} ${arg} failed: ${(err as Error).message}`);
    }
  }

  private async subscribe(arg: string, transform: string): Promise<void> {
    const path = parseStreamPath(arg);
    if (!path) return this.log(`refused to subscribe to '${arg}': only streams can be subscribed to`);
    // Roles may have changed since the socket opened; judge the subscription by the current ones.
    if (!(await this.refreshActor())) return;
    if (!(await this.mayRead(path))) return this.log(`refused to subscribe to '${arg}': no access`);
    // The socket may have closed while storage answered; a subscription now would never end.
    if (this.closed) return;
    const script = transform === '' ? undefined : compileTransform(transform);
    let subscription = this.subscriptions.get(arg);
    if (!subscription) {
      const transforms = new Map<string, PipeScript | undefined>();
      const unsubscribe = this.ctx.bus.subscribe(arg, (message) => this.deliver(message, transforms));
      subscription = { path, unsubscribe, transforms };
      this.subscriptions.set(arg, subscription);
    }
    subscription.transforms.set(transform, script);
  }

  private unsubscribe(arg: string, transform: string): void {
    const subscription = this.subscriptions.get(arg);
    if (!subscription) return;
    subscription.transforms.delete(transform);
    if (subscription.transforms.size === 0) {
      subscription.unsubscribe();
      this.subscriptions.delete(arg);
    }
  }

  unsubscribeAll(): void {
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    this.subscriptions.clear();
  }

  private async insert(arg: string, points: unknown): Promise<void> {
    const path = parseStreamPath(arg);
    if (!path) return this.log(`insert into '${arg}' refused: not a stream`);
    await insertData(this.ctx, this.actor, path, { body: points, mode: 'restamp', downlink: path.downlink });
  }

  private deliver(message: BusMessage, transforms: Map<string, PipeScript | undefined>): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log('closed: the client does not keep up with its subscriptions');
      this.socket.terminate();
      return;
    }
    for (const [source, script] of transforms) {
      if (!script) {
        this.socket.send(rawMessage(message));
        continue;
      }
      // Each batch runs as a complete stream of its own, as the original did.
      let output;
      try {
        output = runTransform(script, message.data);
      } catch {
        continue;
      }
      if (output.length === 0) continue;
      this.socket.send(
        `{"stream":${JSON.stringify(message.stream)},"transform":${JSON.stringify(source)},"data":${datapointsToJson(output)}}`,
      );
    }
  }

  private async mayRead(path: StreamPath): Promise<boolean> {
    const found = await findReadableStream(this.ctx, this.actor, path);
    return !!found && (path.downlink ? found.level.read.streamDownlink : found.level.read.streamData);
  }

  /**
   * Whether the credentials the socket was opened with still sign in as its device; if not (a new
   * API key, a changed password, a session ended by logout or a key reset), the socket is closed.
   * Any other error (storage failing) says nothing about the credentials: the socket stays and
   * they are checked again at the next tick.
   */
  private async credentialsHold(): Promise<boolean> {
    if (this.actor.kind !== 'device') return true;
    let actor: Actor | undefined;
    try {
      actor = await this.reauthenticate();
    } catch (err) {
      const refused = err instanceof Refusal && err.kind === 'unauthorized';
      if (!refused) {
        this.log(`credentials not checked: ${(err as Error).message}`);
        return true;
      }
    }
    if (actor?.kind === 'device' && actor.device.id === this.actor.device.id) return true;
    this.log('closed: its credentials no longer sign in');
    this.socket.close(1008, 'credentials no longer valid');
    return false;
  }

  /** Reloads the actor's device and user; closes the socket when they are gone. */
  private async refreshActor(): Promise<boolean> {
    if (this.actor.kind !== 'device') return true;
    const device = await this.ctx.storage.getDeviceById(this.actor.device.id);
    const user = device && (await this.ctx.storage.getUserById(device.userId));
    if (!device || !user) {
      this.socket.close(1008, 'device deleted');
      return false;
    }
    this.actor = { kind: 'device', device, user };
    return true;
  }

  /** Keep-alive and revalidation: a socket that missed a pong is closed; lost access drops a subscription. */
  async tick(): Promise<void> {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
    // In the command queue, so that it never interleaves with a subscribe; one at a time is enough.
    if (this.revalidationQueued) return;
    this.revalidationQueued = true;
    await this.enqueue(async () => {
      this.revalidationQueued = false;
      await this.revalidate();
    });
  }

  private async revalidate(): Promise<void> {
    if (!(await this.credentialsHold())) return;
    if (!(await this.refreshActor())) return;
    for (const [arg, subscription] of this.subscriptions) {
      if (!(await this.mayRead(subscription.path))) {
        this.log(`dropped subscription to ${arg}: access lost`);
        subscription.unsubscribe();
        this.subscriptions.delete(arg);
      }
    }
  }
}

export class WebsocketHub {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly connections = new Set<Connection>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ctx: AppContext,
    private readonly auth: UpgradeAuthenticator,
    pingIntervalMs: number,
  ) {
    this.timer = setInterval(() => {
      for (const connection of this.connections) void connection.tick().catch(() => undefined);
    }, pingIntervalMs);
    this.timer.unref();
  }

  /** Handles upgrades of `server` to `/api/v1/websocket`; other upgrade paths are refused. */
  attach(server: Server, credentialsOf: (request: IncomingMessage) => CredentialSource): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname !== WEBSOCKET_PATH && url.pathname !== `${WEBSOCKET_PATH}/`) {
        return refuseUpgrade(socket, 404, 'Not found');
      }
      const credentials = credentialsOf(request);
      const reauthenticate = () => this.auth.authenticate(request, credentials, true);
      this.auth
        .authenticate(request, credentials, false)
        .then((actor) => {
          this.server.handleUpgrade(request, socket, head, (ws) => {
            const connection = new Connection(this.ctx, ws, actor, reauthenticate);
            this.connections.add(connection);
            ws.on('close', () => this.connections.delete(connection));
          });
        })
        .catch((err: unknown) => {
          const status =
            err instanceof Refusal && err.kind === 'too_many_requests'
              ? 429
              : err instanceof Refusal
                ? 401
                : 500;
          refuseUpgrade(socket, status, err instanceof Refusal ? err.message : 'Internal server error');
        });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ code: status, msg: message, ref: randomUUID() });
  const reason =
    { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store, must-revalidate\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
