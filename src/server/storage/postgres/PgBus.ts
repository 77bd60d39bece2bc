/**
 * The bus of several servers on one PostgreSQL database, on LISTEN/NOTIFY.
 *
 * - A publish is delivered to this server's subscribers at once (as InProcessBus does), and sent
 *   as a NOTIFY tagged with this bus's origin id; the echo of our own NOTIFY is ignored, so local
 *   subscribers get each message exactly once.
 * - NOTIFY payloads must stay under 8000 bytes: a larger message is written to `bus_payloads` (an
 *   unlogged table: these rows are only in transit) and the notification carries its id and
 *   stream; receivers with a subscriber for that stream fetch it. Rows older than a minute go.
 * - Notifications are sent one batch (one transaction) at a time, in publish order; PostgreSQL
 *   delivers them in commit order, and receivers handle them one at a time, so every subscriber
 *   sees one server's messages in the order it published them.
 * - `publish` resolves once the message is queued for the other servers; it waits for the queue
 *   to drain only when the queue is long, so a large batch's notification overlaps the next write.
 * - One dedicated connection listens. If it drops, it reconnects with backoff and listens again;
 *   messages sent while it was down are lost (as they would be for a websocket that dropped), and
 *   so are queued messages of a server that crashes: the datapoints themselves are stored.
 */
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Bus, BusHandler, BusMessage } from '../../bus/Bus';
import { InProcessBus } from '../../bus/InProcessBus';
import { connectClient, createPool, type PgConnectionOptions } from './pgConnection';

export interface PgBusOptions extends PgConnectionOptions {
  /** The schema of the storage: servers share a bus exactly when they share the schema. */
  schema: string;
}

/** NOTIFY refuses payloads of 8000 bytes or more; leave room for the envelope. */
export const MAX_INLINE_PAYLOAD_BYTES = 7900;
/** Beyond this many bytes waiting to be sent, `publish` waits for the send (back-pressure). */
const MAX_QUEUED_BYTES = 16 << 20;
const PAYLOAD_RETENTION_SECONDS = 60;
const PRUNE_INTERVAL_MS = 10_000;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * What travels in a notification: origin, sequence (keeps identical messages distinct, which
 * PostgreSQL would otherwise fold into one), and the message or, for a large one, its stream and
 * the id of its row in `bus_payloads`.
 */
type Envelope = { o: string; n: number; m: BusMessage } | { o: string; n: number; s: string; r: number };

/** The channel of a schema: an identifier of at most 63 bytes, as LISTEN requires. */
export function busChannel(schema: string): string {
  const name = `tributary_bus_${schema}`;
  return name.length <= 63
    ? name
    : `tributary_bus_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

interface Outgoing {
  /** The notification text; undefined when it could not be prepared. */
  text: Promise<string | undefined>;
  bytes: number;
  sent: () => void;
}

export class PgBus implements Bus {
  private readonly local = new InProcessBus();
  /** Local subscriptions per stream: a large message is fetched only for a stream someone here watches. */
  private readonly watched = new Map<string, number>();
  private readonly origin = randomUUID();
  private readonly channel: string;
  private sequence = 0;
  private closed = false;

  private listener: pg.Client | undefined;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Received notifications are handled one after another, in the order they arrived. */
  private receiving: Promise<void> = Promise.resolve();

  /** Sends notifications, stores and fetches large messages (two connections). */
  private readonly pool: pg.Pool;
  private outgoing: Outgoing[] = [];
  private queuedBytes = 0;
  private sending: Promise<void> | undefined;
  private lastPruneMs = 0;

  private constructor(private readonly options: PgBusOptions) {
    this.channel = busChannel(options.schema);
    this.pool = createPool({ ...options, poolSize: 2 });
  }

  /** Connects and starts listening; resolves once notifications from other servers arrive here. */
  static async open(options: PgBusOptions): Promise<PgBus> {
    const bus = new PgBus(options);
    try {
      await bus.listen();
    } catch (err) {
      await bus.close();
      throw err;
    }
    return bus;
  }

  subscribe(stream: string, handler: BusHandler): () => void {
    const unsubscribe = this.local.subscribe(stream, handler);
    this.watched.set(stream, (this.watched.get(stream) ?? 0) + 1);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      unsubscribe();
      const left = this.watched.get(stream)! - 1;
      if (left > 0) this.watched.set(stream, left);
      else this.watched.delete(stream);
    };
  }

  async publish(message: BusMessage): Promise<void> {
    this.local.deliver(message);
    if (this.closed) return;
    const n = this.sequence++;
    // The message is serialised once (a batch may be megabytes): inline, it is spliced into the
    // envelope `{o, n, m}`; too large, it is stored as it is.
    const body = JSON.stringify(message);
    const inline = `{"o":${JSON.stringify(this.origin)},"n":${n},"m":${body}}`;
    const bytes = Buffer.byteLength(inline);
    // Queued before a large message is stored, so that the send order stays the publish order.
    const text =
      bytes <= MAX_INLINE_PAYLOAD_BYTES
        ? Promise.resolve(inline)
        : this.storePayload(body).then(
            (r) => JSON.stringify({ o: this.origin, n, s: message.stream, r } satisfies Envelope),
            (err: unknown) => {
              // Other servers miss this message; the datapoints are stored all the same.
              console.error('bus: could not store a large message:', (err as Error).message);
              return undefined;
            },
          );
    const sent = new Promise<void>((resolve) => this.outgoing.push({ text, bytes, sent: resolve }));
    this.queuedBytes += bytes;
    this.sending ??= this.sendOutgoing();
    if (this.queuedBytes > MAX_QUEUED_BYTES) await sent;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    while (this.sending) await this.sending;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.receiving;
    await this.pool.end();
    await this.local.close();
  }

  /** Whether the listening connection is up (for tests and diagnostics). */
  get isListening(): boolean {
    return this.listener !== undefined;
  }

  // ---- sending ----

  /** Sends everything queued, in order, one statement per batch (one round trip for many). */
  private async sendOutgoing(): Promise<void> {
    while (this.outgoing.length > 0) {
      const batch = this.outgoing;
      this.outgoing = [];
      try {
        const texts = (await Promise.all(batch.map((o) => o.text))).filter((t) => t !== undefined);
        // One transaction: PostgreSQL delivers its notifications together, in this order.
        await this.pool.query(
          `SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS u(payload, n) ORDER BY n`,
          [this.channel, texts],
        );
      } catch (err) {
        console.error('bus: could not notify the other servers:', (err as Error).message);
      }
      for (const o of batch) {
        this.queuedBytes -= o.bytes;
        o.sent();
      }
    }
    this.sending = undefined;
  }

  private async storePayload(payload: string): Promise<number> {
    const { rows } = await this.pool.query<{ id: number }>(
      'INSERT INTO bus_payloads (payload) VALUES ($1) RETURNING id',
      [payload],
    );
    const now = Date.now();
    if (now - this.lastPruneMs > PRUNE_INTERVAL_MS) {
      this.lastPruneMs = now;
      await this.pool.query('DELETE FROM bus_payloads WHERE created_at < now() - make_interval(secs => $1)', [
        PAYLOAD_RETENTION_SECONDS,
      ]);
    }
    return rows[0]!.id;
  }

  // ---- receiving ----

  private async listen(): Promise<void> {
    const client = await connectClient(this.options);
    client.on('notification', (notification) => {
      if (notification.channel !== this.channel || notification.payload === undefined) return;
      const payload = notification.payload;
      this.receiving = this.receiving.then(() => this.receive(payload));
    });
    client.on('error', () => this.listenerLost(client));
    client.on('end', () => this.listenerLost(client));
    try {
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.reconnectDelayMs = RECONNECT_MIN_MS;
  }

  private listenerLost(client: pg.Client): void {
    if (this.closed || this.listener !== client) return;
    this.listener = undefined;
    console.error('bus: lost the listening connection to PostgreSQL; reconnecting');
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.listen().catch(() => this.scheduleReconnect());
    }, delay);
  }

  private async receive(payload: string): Promise<void> {
    try {
      const envelope = JSON.parse(payload) as Envelope;
      if (envelope.o === this.origin) return;
      if ('m' in envelope) {
        this.local.deliver(envelope.m);
        return;
      }
      if (!this.watched.has(envelope.s)) return;
      const { rows } = await this.pool.query<{ payload: string }>(
        'SELECT payload FROM bus_payloads WHERE id = $1',
        [envelope.r],
      );
      if (rows[0]) this.local.deliver(JSON.parse(rows[0].payload) as BusMessage);
    } catch (err) {
      console.error('bus: could not handle a notification:', (err as Error).message);
    }
  }
}
