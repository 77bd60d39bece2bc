/**
 * The one IndexedDB database of the web app (Dexie): the outbox of inserts waiting for the server
 * and the read cache. Only `client/local-first/` imports Dexie (DESIGN.md §3); everything else sees
 * the plain record types below and the functions of this folder.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import type { Datapoint } from '../../core/model';

/**
 * Where an outbox record is. `saved` is not stored: a confirmed record is deleted in the same
 * transaction that copies its points into the read cache (README.md).
 */
export type OutboxState = 'queued' | 'sending' | 'rejected';

/** Why the server refused a record, or why its last attempt failed. */
export interface OutboxError {
  /** The HTTP status; 0 when there was no answer or the request could not be made. */
  status: number;
  /** The server's `msg`, or a description of the failure. */
  msg: string;
}

/** A point as it waits in the outbox: `t` in unix seconds, always set (stamped when queued). */
export interface OutboxPoint {
  t: number;
  d: unknown;
}

/**
 * One batch of up to {@link MAX_POINTS_PER_RECORD} points of one stream, queued by one user.
 * Times are milliseconds since the epoch (`Date.now()`), except the points' `t` (seconds).
 */
export interface OutboxRecord {
  /** Auto-incremented: the order records were created in, so a stream's records go oldest first. */
  id?: number;
  /** A random id that stays with the record (the queue view's key; it survives splits of others). */
  clientId: string;
  /** The user who queued it: only an engine for this user sends it. */
  user: string;
  /** `user/device/stream`, or `…/downlink`. */
  path: string;
  points: OutboxPoint[];
  /** `points.length`, kept in an index so counting points never reads the points. */
  pointCount: number;
  state: OutboxState;
  /**
   * Fixed when the record is first claimed for sending and reused for every retry of exactly these
   * points; cleared only when the points change after a refusal (a refused request stored nothing).
   * A record with a key is sealed: new points go to a new record.
   */
  idempotencyKey?: string;
  /** Sends tried so far. */
  attempts: number;
  /** Consecutive 5xx/408/429 answers: after a limit the record is rejected instead of retried. */
  serverErrors: number;
  /** When the engine's timer will try again after a failure (ms); informational for the UI. */
  nextAttemptAt?: number;
  /** The engine that claimed it and when: a claim older than the lease is taken over (crashed tab). */
  sendingBy?: string;
  sendingSince?: number;
  /** Rejected: the server's reason. Queued after a failure: what went wrong last. */
  error?: OutboxError;
  createdAt: number;
  updatedAt: number;
}

/** An object or list of the read cache, as last fetched by one viewer (who sees which fields). */
export interface CachedObjectRow {
  /** The logged-in user the value was fetched as. */
  viewer: string;
  /** `users`, `user/alice`, `devices/alice`, `device/alice/phone`, `streams/alice/phone`, … */
  key: string;
  value: unknown;
  fetchedAt: number;
}

/**
 * A time window of a stream's data as the server had it: the points with `t1 < t <= t2` (the
 * API's half-open ranges, in seconds), sorted by time.
 */
export interface CachedWindow {
  t1: number;
  t2: number;
  fetchedAt: number;
  points: Datapoint[];
}

/** The cached windows of one stream for one viewer; windows never overlap and are sorted. */
export interface CachedRangesRow {
  viewer: string;
  path: string;
  windows: CachedWindow[];
  /** Last write (ms): the least recently used streams are evicted first. */
  usedAt: number;
}

/** The most points one outbox record holds (DESIGN.md §4: ~1,000, so 100k queued stay cheap). */
export const MAX_POINTS_PER_RECORD = 1000;

/** Default database name; tests pass their own. */
export const DEFAULT_DB_NAME = 'tributary';

/** The database. Create it with {@link openLocalDb}. */
export class LocalDb extends Dexie {
  outbox!: EntityTable<OutboxRecord, 'id'>;
  objects!: Table<CachedObjectRow, [string, string]>;
  ranges!: Table<CachedRangesRow, [string, string]>;

  constructor(name: string, options: LocalDbOptions = {}) {
    super(name, {
      ...(options.indexedDB && { indexedDB: options.indexedDB }),
      ...(options.IDBKeyRange && { IDBKeyRange: options.IDBKeyRange }),
    });
    // Compound indexes hold equal keys in primary-key order, so `[user+state+path]` also yields a
    // stream's records oldest first; `[user+state+pointCount]` lets the status count points from
    // index keys alone, without reading any record's points. Version 2 lets queueing and claiming
    // read keys alone too: `[user+state+path+pointCount]` says whether a stream's newest record has
    // room, and a record is in `[user+state+path+sendingBy+sendingSince]` only while it is claimed
    // (IndexedDB leaves out records missing a part of the key).
    this.version(1).stores({
      outbox: '++id, [user+state+path], [user+state+pointCount]',
      objects: '[viewer+key]',
      ranges: '[viewer+path], [viewer+usedAt]',
    });
    this.version(2).stores({
      outbox:
        '++id, [user+state+path], [user+state+pointCount], [user+state+path+pointCount], [user+state+path+sendingBy+sendingSince]',
    });
  }
}

/** Options of {@link openLocalDb}; the IndexedDB implementation is injectable for Node tests. */
export interface LocalDbOptions {
  /** An `IDBFactory` (e.g. `new IDBFactory()` from fake-indexeddb); default the global one. */
  indexedDB?: IDBFactory;
  /** The matching `IDBKeyRange`; default the global one. */
  IDBKeyRange?: typeof IDBKeyRange;
}

/**
 * Opens (creating or upgrading) the database. Rejects when IndexedDB is unavailable or blocked
 * (private mode in old browsers): the app then has no offline queue and should say so.
 */
export async function openLocalDb(name = DEFAULT_DB_NAME, options: LocalDbOptions = {}): Promise<LocalDb> {
  const db = new LocalDb(name, options);
  await db.open();
  return db;
}

/**
 * Asks the browser not to evict this origin's storage under pressure (the outbox may hold the only
 * copy of a person's data). Resolves whether storage is persistent; false where the API is missing.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage?.persist) return false;
  try {
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return false;
  }
}
