/**
 * The sync engine's moves on outbox records, each one IndexedDB transaction. IndexedDB runs
 * read-write transactions on a store one at a time across tabs and workers, so a claim is atomic:
 * two engines can never both move the same record to `sending`.
 */
import { Dexie } from 'dexie';
import { createIdempotencyKey } from '../../sdk';
import { mergeSavedPoints } from './cache';
import { newRecord } from './outbox';
import type { LocalDb, OutboxError, OutboxRecord } from './localDb';

/** Who claims and under which rules. */
export interface ClaimOptions {
  user: string;
  /** The claiming engine: its own claims are in flight and block their stream. */
  engineId: string;
  now: number;
  /**
   * The caller holds a lock that excludes every other engine (Web Locks): a record another engine
   * left in `sending` is then an orphan (its tab closed mid-request) and is taken over at once.
   */
  isExclusive: boolean;
  /** Without such a lock, a claim older than this (ms) is taken over. */
  leaseMs: number;
  /** How many of a stream's records this engine may have in flight at once. */
  maxInFlightPerStream: number;
}

/**
 * Moves the next sendable record to `sending` and returns it, or undefined when there is none.
 * A stream's records are claimed oldest first. A stream with a live claim of another engine is
 * skipped whole, so two engines never interleave one stream; the claiming engine may pipeline up
 * to `maxInFlightPerStream` of a stream's records (answers may then come back in any order, which
 * `method=insert` makes harmless). The idempotency key is made on the first claim and kept.
 */
export function claimNextRecord(db: LocalDb, options: ClaimOptions): Promise<OutboxRecord | undefined> {
  const { user, engineId, now } = options;
  return db.transaction('rw', db.outbox, async () => {
    // The claims, from index keys alone: records in flight hold up to 1,000 points each.
    const claims: Claim[] = [];
    await db.outbox
      .where('[user+state+path+sendingBy+sendingSince]')
      .between([user, 'sending'], [user, 'sending', Dexie.maxKey])
      .eachKey((key, cursor) => {
        const [, , path, sendingBy, sendingSince] = key as unknown as [
          string,
          string,
          string,
          string,
          number,
        ];
        claims.push({ id: cursor.primaryKey as number, path, sendingBy, sendingSince });
      });
    const busy = new Set<string>();
    const ours = new Map<string, number>();
    let orphan: Claim | undefined;
    for (const claim of claims) {
      if (claim.sendingBy === engineId) {
        ours.set(claim.path, (ours.get(claim.path) ?? 0) + 1);
        continue;
      }
      const isStale = options.isExclusive || now - claim.sendingSince > options.leaseMs;
      // An orphan is the oldest unconfirmed record of its stream: resend it before anything newer.
      if (isStale && (!orphan || isBefore(claim, orphan))) orphan = claim;
      busy.add(claim.path);
    }
    for (const [path, count] of ours) if (count >= options.maxInFlightPerStream) busy.add(path);
    let record = orphan && (await db.outbox.get(orphan.id));
    if (!record) {
      const streams = await db.outbox
        .where('[user+state+path]')
        .between([user, 'queued'], [user, 'queued', Dexie.maxKey])
        .uniqueKeys();
      for (const key of streams) {
        const path = (key as unknown as [string, string, string])[2];
        if (busy.has(path)) continue;
        record = await db.outbox.where('[user+state+path]').equals([user, 'queued', path]).first();
        if (record) break;
      }
    }
    if (!record) return undefined;
    record.state = 'sending';
    record.idempotencyKey ??= createIdempotencyKey();
    record.attempts += 1;
    record.sendingBy = engineId;
    record.sendingSince = now;
    record.updatedAt = now;
    delete record.nextAttemptAt;
    await db.outbox.put(record);
    return record;
  });
}

/** A record's claim as the claims index holds it. */
interface Claim {
  id: number;
  path: string;
  sendingBy: string;
  sendingSince: number;
}

/** Streams in path order, a stream's records oldest first (the order of `[user+state+path]`). */
function isBefore(a: Claim, b: Claim): boolean {
  return a.path === b.path ? a.id < b.id : a.path < b.path;
}

/**
 * The server stored the record: it leaves the outbox and its points join the cached windows of
 * the stream in the same transaction, so they never show twice nor vanish from a plot.
 */
export function markSaved(db: LocalDb, record: OutboxRecord): Promise<void> {
  return db.transaction('rw', db.outbox, db.ranges, async () => {
    // Deleted whoever holds it now: a takeover resends the same key and body, which the server
    // answers with the same success, so the record is saved either way.
    await db.outbox.delete(record.id!);
    await mergeSavedPoints(db, record.user, record.path, record.points);
  });
}

/** What {@link releaseRecord} does with the record. */
export interface ReleaseOptions {
  engineId: string;
  now: number;
  error: OutboxError;
  /** When the engine will try again (ms), shown in the queue view. */
  nextAttemptAt?: number;
  /** The server answered 5xx/408/429 (counts towards `maxServerErrors`); false for no answer. */
  isServerError: boolean;
  /** Consecutive server errors after which the record is rejected instead of retried. */
  maxServerErrors: number;
}

/**
 * Puts a record back in the queue after a failure that says nothing about its points (no answer,
 * 5xx, expired login), keeping its key: the server may already hold the batch, and the same key
 * makes the retry harmless. Returns the record's new state, or undefined when another engine took
 * it over meanwhile (then it is theirs).
 */
export function releaseRecord(
  db: LocalDb,
  record: OutboxRecord,
  options: ReleaseOptions,
): Promise<'queued' | 'rejected' | undefined> {
  return db.transaction('rw', db.outbox, async () => {
    const current = await db.outbox.get(record.id!);
    if (!current || current.state !== 'sending' || current.sendingBy !== options.engineId) return undefined;
    delete current.sendingBy;
    delete current.sendingSince;
    current.error = options.error;
    current.updatedAt = options.now;
    current.serverErrors = options.isServerError ? current.serverErrors + 1 : 0;
    if (current.serverErrors >= options.maxServerErrors) {
      // A batch that keeps failing on the server is shown instead of blocking its stream forever.
      current.state = 'rejected';
      delete current.nextAttemptAt;
    } else {
      current.state = 'queued';
      if (options.nextAttemptAt === undefined) delete current.nextAttemptAt;
      else current.nextAttemptAt = options.nextAttemptAt;
    }
    await db.outbox.put(current);
    return current.state;
  });
}

/** How a refusal was applied. */
export type RefusalOutcome =
  /** The whole record is rejected with the reason. */
  | 'rejected'
  /** The named datapoint is rejected alone; the others are queued again under a new key. */
  | 'split'
  /** Too large (413): halved, both halves queued again. */
  | 'halved'
  /** Another engine took the record over meanwhile. */
  | 'lost';

/**
 * Applies a 4xx refusal (the server stored nothing, a batch being all-or-nothing):
 * - the message names `datapoint <i>` (schema): that point becomes its own rejected record and the
 *   rest goes back to the queue, so good points are not held hostage by one bad value;
 * - 413 (body too large): the record is halved and both halves are queued;
 * - otherwise (stream deleted, permission lost, key conflict…) the record is rejected whole.
 * Changed points get a fresh key on their next claim. Each refusal removes a point or halves a
 * record, so refusals of one batch end after at most its number of points.
 */
export function applyRefusal(
  db: LocalDb,
  record: OutboxRecord,
  error: OutboxError,
  options: { engineId: string; now: number },
): Promise<RefusalOutcome> {
  return db.transaction('rw', db.outbox, async () => {
    const current = await db.outbox.get(record.id!);
    if (!current || current.state !== 'sending' || current.sendingBy !== options.engineId) return 'lost';
    delete current.sendingBy;
    delete current.sendingSince;
    current.updatedAt = options.now;
    const count = current.points.length;
    const index = refusedDatapointIndex(error.msg);
    if (error.status === 413 && count > 1) {
      const half = Math.ceil(count / 2);
      const rest = newRecord(current.user, current.path, current.points.slice(half), options.now);
      rest.createdAt = current.createdAt;
      requeueWith(current, current.points.slice(0, half));
      await db.outbox.bulkPut([current, rest]);
      return 'halved';
    }
    if (index !== undefined && index < count && count > 1) {
      const bad = newRecord(current.user, current.path, [current.points[index]!], options.now, 'rejected');
      bad.createdAt = current.createdAt;
      bad.attempts = current.attempts;
      bad.error = error;
      requeueWith(
        current,
        current.points.filter((_, i) => i !== index),
      );
      await db.outbox.bulkPut([current, bad]);
      return 'split';
    }
    current.state = 'rejected';
    current.error = error;
    delete current.nextAttemptAt;
    await db.outbox.put(current);
    return 'rejected';
  });
}

/** Which datapoint a refusal names (`… datapoint 12 (…) …`, as the server words schema errors). */
export function refusedDatapointIndex(msg: string): number | undefined {
  const match = /\bdatapoint (\d+)\b/i.exec(msg);
  return match ? Number(match[1]) : undefined;
}

/** Back to the queue with other points: a new body, so a new key and no attempts yet. */
function requeueWith(record: OutboxRecord, points: OutboxRecord['points']): void {
  record.points = points;
  record.pointCount = points.length;
  record.state = 'queued';
  record.attempts = 0;
  record.serverErrors = 0;
  delete record.idempotencyKey;
  delete record.error;
  delete record.nextAttemptAt;
}
