/**
 * The outbox: every insert is written here before the network is tried (DESIGN.md §4). This file
 * is the side the app uses (queue, list, retry, discard, pending points); `outboxTransitions.ts`
 * is the side the sync engine uses.
 */
import { Dexie, type ObservabilitySet } from 'dexie';
import { parseStreamPath } from '../../core/model';
import { createIdempotencyKey, type DatapointInput } from '../../sdk';
import {
  MAX_POINTS_PER_RECORD,
  type LocalDb,
  type OutboxError,
  type OutboxPoint,
  type OutboxRecord,
  type OutboxState,
} from './localDb';

/** Points of one user's outbox by state; `pending` is queued + sending (what still has to reach the server). */
export interface OutboxCounts {
  queued: number;
  sending: number;
  rejected: number;
  pending: number;
}

/** A point still in the outbox, for the plot and table to show next to the server's data. */
export interface PendingPoint extends OutboxPoint {
  state: OutboxState;
  recordId: number;
  /** Rejected: the server's reason; queued after a failed attempt: what went wrong last. */
  error?: OutboxError;
}

/**
 * The answer of {@link Outbox.retry} and {@link Outbox.discard}: `in_flight` while the record is
 * being sent (try again when it settles); `already_sent` refuses to edit single points of a batch
 * the server may already hold (only the whole record can be discarded then).
 */
export type QueueActionResult = 'ok' | 'not_found' | 'in_flight' | 'already_sent';

/** Options of {@link createOutbox}. */
export interface OutboxOptions {
  db: LocalDb;
  /** The logged-in user: records are queued as, listed for and sent by this user only. */
  user: string;
  /** Clock in ms; default `Date.now`. Points without `t` are stamped with it. */
  now?: () => number;
}

/** Receives a value each time the watched query's result changes. */
export type Listener<T> = (value: T) => void;

const ALL_STATES: readonly OutboxState[] = ['queued', 'sending', 'rejected'];

/** Creates the outbox of `user` on `db`. Cheap: make one per login. */
export function createOutbox(options: OutboxOptions): Outbox {
  return new Outbox(options);
}

/** One user's outbox. Create it with {@link createOutbox}. */
export class Outbox {
  readonly db: LocalDb;
  readonly user: string;
  private readonly now: () => number;

  /** Points accepted by `enqueue` and not yet written, by stream path. */
  private buffer = new Map<string, OutboxPoint[]>();
  /** Settles when the buffer's current content is written. */
  private pendingWrite: Deferred | undefined;
  private isWriting = false;
  /** The path of the last call, already checked: a burst of 100,000 calls spent 13% parsing it. */
  private lastValidPath: string | undefined;

  constructor(options: OutboxOptions) {
    this.db = options.db;
    this.user = options.user;
    this.now = options.now ?? Date.now;
  }

  /**
   * Queues points of one stream and resolves once they are stored in IndexedDB (they then survive
   * a reload). A point without `t` (or with `t: 0`) is stamped now, so it keeps the time it was
   * given. Calls made in the same tick share one transaction, and points join the stream's newest
   * open record, so 100,000 calls of one point cost about what one call of 100,000 does.
   * Rejects with a TypeError for a malformed path or timestamp, with nothing queued, and with
   * IndexedDB's error when it refuses the write (quota): then nothing of that call is stored.
   */
  enqueue(path: string, points: DatapointInput | readonly DatapointInput[]): Promise<void> {
    if (path !== this.lastValidPath) {
      if (!parseStreamPath(path)) {
        return Promise.reject(new TypeError(`Not a stream path: ${JSON.stringify(path)}`));
      }
      this.lastValidPath = path;
    }
    const list: readonly DatapointInput[] = Array.isArray(points) ? points : [points as DatapointInput];
    const nowSeconds = this.now() / 1000;
    const stamped: OutboxPoint[] = new Array<OutboxPoint>(list.length);
    for (let i = 0; i < list.length; i++) {
      const { t, d } = list[i]!;
      if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t))) {
        return Promise.reject(
          new TypeError(`Datapoint ${i} has a timestamp that is not a number of seconds`),
        );
      }
      // `d: undefined` would vanish from the JSON body; the server stores a missing `d` as null.
      stamped[i] = { t: t || nowSeconds, d: d === undefined ? null : d };
    }
    if (stamped.length === 0) return this.pendingWrite?.promise ?? Promise.resolve();
    const queued = this.buffer.get(path);
    if (queued) {
      for (const point of stamped) queued.push(point);
    } else {
      this.buffer.set(path, stamped);
    }
    return this.scheduleWrite();
  }

  /** Resolves when everything enqueued so far is stored. */
  flush(): Promise<void> {
    return this.pendingWrite?.promise ?? Promise.resolve();
  }

  /** Records of this user in the given states (default all), oldest first, at most `limit`. */
  async list(options: { states?: readonly OutboxState[]; limit?: number } = {}): Promise<OutboxRecord[]> {
    const states = options.states ?? ALL_STATES;
    // One read transaction: a record moving between states is seen exactly once.
    const parts = await this.db.transaction('r', this.db.outbox, () =>
      Promise.all(
        states.map((state) =>
          this.db.outbox
            .where('[user+state+path]')
            .between([this.user, state], [this.user, state, Dexie.maxKey])
            .toArray(),
        ),
      ),
    );
    const records = parts.flat().sort((a, b) => a.id! - b.id!);
    return options.limit === undefined ? records : records.slice(0, options.limit);
  }

  /** Points by state, read from index keys only (cheap even with 100,000 queued points). */
  countPoints(): Promise<OutboxCounts> {
    return countOutboxPoints(this.db, this.user);
  }

  /**
   * The stream's points that are still in the outbox, sorted by time, optionally only those with
   * `t1 < t <= t2` (seconds, as the API's ranges): the plot and table show them marked pending
   * (queued, sending) or rejected. See `overlayPending` to merge them into server data.
   */
  async pendingPointsFor(path: string, range: { t1?: number; t2?: number } = {}): Promise<PendingPoint[]> {
    const t1 = range.t1 ?? -Infinity;
    const t2 = range.t2 ?? Infinity;
    const records = await this.db.transaction('r', this.db.outbox, () =>
      Promise.all(
        ALL_STATES.map((state) =>
          this.db.outbox.where('[user+state+path]').equals([this.user, state, path]).toArray(),
        ),
      ),
    );
    const out: PendingPoint[] = [];
    for (const record of records.flat()) {
      for (const { t, d } of record.points) {
        if (t <= t1 || t > t2) continue;
        const point: PendingPoint = { t, d, state: record.state, recordId: record.id! };
        if (record.error) point.error = record.error;
        out.push(point);
      }
    }
    return out.sort((a, b) => a.t - b.t);
  }

  /**
   * Sends a record again at the next sync (call `engine.syncNow()` after): a rejected record goes
   * back to the queue, a queued one loses its backoff delay. It keeps its idempotency key — the
   * points are unchanged, so a retry can never insert them twice — except after a 409 (key
   * conflict), where the old key is what the server refused.
   */
  retry(id: number): Promise<QueueActionResult> {
    return this.db.transaction('rw', this.db.outbox, async () => {
      const record = await this.db.outbox.get(id);
      if (!record || record.user !== this.user) return 'not_found';
      if (record.state === 'sending') return 'in_flight';
      if (record.state === 'rejected') {
        if (record.error?.status === 409) delete record.idempotencyKey;
        record.state = 'queued';
        record.serverErrors = 0;
        delete record.error;
      }
      delete record.nextAttemptAt;
      record.updatedAt = this.now();
      await this.db.outbox.put(record);
      return 'ok';
    });
  }

  /**
   * Removes a whole record, or with `pointIndex` one point of it. A single point can be removed
   * only while the server certainly holds none of the record: never sent, or refused with a 4xx
   * (a refused batch stores nothing); otherwise `already_sent`. Discarding a whole record that was
   * sent before may leave its points on the server if an earlier answer was lost.
   */
  discard(id: number, pointIndex?: number): Promise<QueueActionResult> {
    return this.db.transaction('rw', this.db.outbox, async () => {
      const record = await this.db.outbox.get(id);
      if (!record || record.user !== this.user) return 'not_found';
      if (record.state === 'sending') return 'in_flight';
      if (pointIndex === undefined || record.pointCount <= 1) {
        if (pointIndex !== undefined && pointIndex !== 0) return 'not_found';
        await this.db.outbox.delete(id);
        return 'ok';
      }
      if (pointIndex < 0 || pointIndex >= record.pointCount || !Number.isInteger(pointIndex))
        return 'not_found';
      const refused = record.state === 'rejected' && isClientError(record.error?.status);
      if (record.attempts > 0 && !refused) return 'already_sent';
      record.points.splice(pointIndex, 1);
      record.pointCount = record.points.length;
      // Another body needs another key: the server answers 409 to a known key with a new body.
      delete record.idempotencyKey;
      record.updatedAt = this.now();
      await this.db.outbox.put(record);
      return 'ok';
    });
  }

  /**
   * Removes all of this user's records (e.g. "discard and log out"); returns the number of points
   * removed. Records being sent are removed too: their request may still land.
   */
  async discardAll(): Promise<number> {
    await this.flush();
    return this.db.transaction('rw', this.db.outbox, async () => {
      const counts = await countOutboxPoints(this.db, this.user);
      await this.db.outbox
        .where('[user+state+path]')
        .between([this.user], [this.user, Dexie.maxKey])
        .delete();
      return counts.pending + counts.rejected;
    });
  }

  /** Calls `listener` with the queue (as {@link list}) now and after changes in any tab, throttled. */
  watchQueue(
    listener: Listener<OutboxRecord[]>,
    options: WatchOptions & { states?: readonly OutboxState[]; limit?: number } = {},
  ): () => void {
    return watchOutbox(this.db, () => this.list(options), listener, options);
  }

  /** Calls `listener` with {@link countPoints} now and after changes in any tab, throttled. */
  watchCounts(listener: Listener<OutboxCounts>, options: WatchOptions = {}): () => void {
    return watchOutbox(this.db, () => this.countPoints(), listener, options);
  }

  /** Calls `listener` with {@link pendingPointsFor} now and after changes in any tab, throttled. */
  watchPendingPoints(
    path: string,
    listener: Listener<PendingPoint[]>,
    options: WatchOptions & { t1?: number; t2?: number } = {},
  ): () => void {
    return watchOutbox(this.db, () => this.pendingPointsFor(path, options), listener, options);
  }

  // ── group commit ─────────────────────────────────────────────────────────────────────────────

  private scheduleWrite(): Promise<void> {
    if (!this.pendingWrite) {
      this.pendingWrite = deferred();
      // Everything enqueued before the microtask runs joins this write; while a write is running,
      // new points wait in the buffer for the next one (one transaction at a time per outbox).
      if (!this.isWriting) queueMicrotask(() => void this.drainBuffer());
    }
    return this.pendingWrite.promise;
  }

  private async drainBuffer(): Promise<void> {
    this.isWriting = true;
    try {
      while (this.buffer.size > 0 && this.pendingWrite) {
        const batch = this.buffer;
        const done = this.pendingWrite;
        this.buffer = new Map();
        this.pendingWrite = undefined;
        try {
          await appendPoints(this.db, this.user, batch, this.now());
          done.resolve();
        } catch (error) {
          done.reject(error);
        }
      }
    } finally {
      this.isWriting = false;
    }
  }
}

/**
 * Writes buffered points in one transaction: each stream's points first fill its newest open
 * record (queued, never sent, not full), then new records of up to MAX_POINTS_PER_RECORD points.
 * Reads at most one record per stream, whatever the number of points.
 */
async function appendPoints(
  db: LocalDb,
  user: string,
  batch: ReadonlyMap<string, OutboxPoint[]>,
  now: number,
): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    const rows: OutboxRecord[] = [];
    for (const [path, points] of batch) {
      let offset = 0;
      const newest = await newestOpenRecord(db, user, path);
      if (newest && newest.idempotencyKey === undefined) {
        offset = Math.min(MAX_POINTS_PER_RECORD - newest.pointCount, points.length);
        for (let i = 0; i < offset; i++) newest.points.push(points[i]!);
        newest.pointCount = newest.points.length;
        newest.updatedAt = now;
        rows.push(newest);
      }
      for (; offset < points.length; offset += MAX_POINTS_PER_RECORD) {
        rows.push(newRecord(user, path, points.slice(offset, offset + MAX_POINTS_PER_RECORD), now));
      }
    }
    await db.outbox.bulkPut(rows);
  });
}

/**
 * The stream's newest queued record if it has room for more points, found from index keys: the
 * newest is usually full, and reading it would copy its 1,000 points for nothing.
 */
async function newestOpenRecord(db: LocalDb, user: string, path: string): Promise<OutboxRecord | undefined> {
  const [newestId] = await db.outbox
    .where('[user+state+path]')
    .equals([user, 'queued', path])
    .reverse()
    .limit(1)
    .primaryKeys();
  if (newestId === undefined) return undefined;
  const withRoom = await db.outbox
    .where('[user+state+path+pointCount]')
    .between([user, 'queued', path, 0], [user, 'queued', path, MAX_POINTS_PER_RECORD])
    .primaryKeys();
  return withRoom.includes(newestId) ? db.outbox.get(newestId) : undefined;
}

/** A fresh queued record (no id yet: IndexedDB assigns the next one). */
export function newRecord(
  user: string,
  path: string,
  points: OutboxPoint[],
  now: number,
  state: OutboxState = 'queued',
): OutboxRecord {
  return {
    clientId: createIdempotencyKey(),
    user,
    path,
    points,
    pointCount: points.length,
    state,
    attempts: 0,
    serverErrors: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/** Counts a user's points by state from the `[user+state+pointCount]` index keys alone. */
export async function countOutboxPoints(db: LocalDb, user: string): Promise<OutboxCounts> {
  const keys = await db.outbox.where('[user+state+pointCount]').between([user], [user, Dexie.maxKey]).keys();
  const counts: OutboxCounts = { queued: 0, sending: 0, rejected: 0, pending: 0 };
  for (const key of keys) {
    const [, state, pointCount] = key as unknown as [string, OutboxState, number];
    counts[state] += pointCount;
  }
  counts.pending = counts.queued + counts.sending;
  return counts;
}

/** Default least time between two runs of a watcher's query (ms). */
export const WATCH_THROTTLE_MS = 100;

/** Options of the outbox watchers. */
export interface WatchOptions {
  /** Least time between two runs of the query (ms); default {@link WATCH_THROTTLE_MS}. */
  throttleMs?: number;
  /** Where failed queries go; default `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * Calls `listener` with `query()` now and again after outbox changes in any tab, at most once per
 * `throttleMs` (the last change is always seen). Dexie's live queries would re-run after every
 * transaction — twice per batch while syncing — and re-read every record each time; a sync
 * indicator or a plot needs a few updates a second. Returns the function that stops watching.
 */
export function watchOutbox<T>(
  db: LocalDb,
  query: () => Promise<T>,
  listener: Listener<T>,
  options: WatchOptions = {},
): () => void {
  const throttleMs = options.throttleMs ?? WATCH_THROTTLE_MS;
  const onError = options.onError ?? ((error: unknown) => console.error('tributary local-first:', error));
  const prefix = `idb://${db.name}/outbox/`;
  let isStopped = false;
  let isRunning = false;
  let isDirty = false;
  let lastRunAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const request = () => {
    isDirty = true;
    if (isStopped || isRunning || timer !== undefined) return;
    timer = setTimeout(run, Math.max(0, lastRunAt + throttleMs - Date.now()));
  };
  const run = async () => {
    timer = undefined;
    isDirty = false;
    isRunning = true;
    lastRunAt = Date.now();
    try {
      const value = await query();
      if (!isStopped) listener(value);
    } catch (error) {
      onError(error);
    } finally {
      isRunning = false;
      if (isDirty) request();
    }
  };
  // Fired after each committed transaction of this tab, and of other tabs over a BroadcastChannel.
  const onMutation = (parts: ObservabilitySet) => {
    for (const part in parts) {
      if (part === 'all' || part.startsWith(prefix)) return request();
    }
  };
  Dexie.on.storagemutated.subscribe(onMutation);
  request();
  return () => {
    isStopped = true;
    Dexie.on.storagemutated.unsubscribe(onMutation);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/** A 4xx status: the server refused and stored nothing (contract: a batch is all-or-nothing). */
export function isClientError(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller that does not await `enqueue` must not turn a failed write into an unhandled rejection
  // here; the callers that do await still see it.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
