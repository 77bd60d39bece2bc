/**
 * One write transaction of a group (see PgGroupCommit): it locks the stats rows of every substream
 * the group writes, in a fixed order, so that groups on different servers never deadlock on them
 * and each substream's ordering checks, restamps, folds and index shifts see the latest state.
 *
 * Small work is gathered and written once at commit: tail rows, stats and idempotency claims. A
 * claim is checked when the group starts and inserted with ON CONFLICT DO NOTHING at commit; if
 * another server claimed the same key in between, the whole group rolls back and its writes run
 * again alone, where the check finds the other claim. So a claim and its datapoints always commit
 * together, and a key inserts its datapoints once.
 */
import type { PoolClient } from 'pg';
import type { Datapoint } from '../../../core/model';
import type { IdempotencyClaim, IdempotencyRecord } from '../Storage';
import { prepared } from './pgConnection';
import { CommitOutcomeUnknown } from './PgGroupCommit';

/** 0 is a stream's own data, 1 its downlink substream. */
export type SubstreamCode = 0 | 1;

export interface StreamStats {
  count: number;
  lastT: number;
  /** Datapoints held in sealed chunks (the rest are in the tail). */
  chunkedCount: number;
  /** The latest timestamp in sealed chunks. */
  chunkEndT: number;
}

export interface SubstreamRef {
  streamId: number;
  sub: SubstreamCode;
}

/** Thrown at commit when another transaction committed one of this group's idempotency keys. */
export class ClaimRace extends Error {
  override name = 'ClaimRace';
}

const TAIL_INSERT = `INSERT INTO tail (stream_id, substream, t, d, o)
  SELECT * FROM unnest($1::integer[], $2::smallint[], $3::float8[], $4::text[], $5::text[])`;
const STATS_UPDATE = `UPDATE stream_stats s SET count = u.count, last_t = u.last_t,
    chunked_count = u.chunked_count, chunk_end_t = u.chunk_end_t
  FROM unnest($6::integer[], $7::smallint[], $8::bigint[], $9::float8[], $10::bigint[], $11::float8[])
    AS u(stream_id, substream, count, last_t, chunked_count, chunk_end_t)
  WHERE s.stream_id = u.stream_id AND s.substream = u.substream`;

const refKey = (streamId: number, sub: SubstreamCode) => `${streamId}:${sub}`;
const claimKey = (scope: string, key: string) => `${scope}\0${key}`;

interface StatsRow {
  stream_id: number;
  substream: SubstreamCode;
  count: number;
  last_t: number;
  chunked_count: number;
  chunk_end_t: number;
}

export function toStats(row: StatsRow): StreamStats {
  return {
    count: row.count,
    lastT: row.last_t,
    chunkedCount: row.chunked_count,
    chunkEndT: row.chunk_end_t,
  };
}

export class PgWriteTransaction {
  private readonly stats = new Map<string, StreamStats>();
  private readonly dirtyStats = new Set<string>();
  private tail: { streamId: number; sub: SubstreamCode; point: Datapoint }[] = [];
  /** Claims committed before this transaction started, and claims made in it. */
  private readonly knownClaims = new Map<string, IdempotencyRecord>();
  private readonly newClaims: (IdempotencyClaim & { createdAt: number })[] = [];

  private constructor(readonly client: PoolClient) {}

  /** Begins a transaction, locks the substreams' stats rows and reads the claims it may meet. */
  static async begin(
    client: PoolClient,
    substreams: readonly SubstreamRef[],
    claims: readonly { scope: string; key: string }[],
  ): Promise<PgWriteTransaction> {
    const tx = new PgWriteTransaction(client);
    await client.query('BEGIN');
    // ORDER BY sorts before FOR UPDATE locks, so every transaction locks rows in the same order.
    const { rows } = await client.query<StatsRow>(
      prepared(
        `SELECT stream_id, substream, count, last_t, chunked_count, chunk_end_t FROM stream_stats
       WHERE (stream_id, substream) IN (SELECT * FROM unnest($1::integer[], $2::smallint[]))
       ORDER BY stream_id, substream FOR UPDATE`,
        [substreams.map((s) => s.streamId), substreams.map((s) => s.sub)],
      ),
    );
    for (const row of rows) tx.stats.set(refKey(row.stream_id, row.substream), toStats(row));
    if (claims.length > 0) {
      const found = await client.query<{
        scope: string;
        key: string;
        request_hash: string;
        status: number;
        body: string;
        created_at: number;
      }>(
        prepared(
          `SELECT scope, key, request_hash, status, body, created_at FROM idempotency
         WHERE (scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
          [claims.map((c) => c.scope), claims.map((c) => c.key)],
        ),
      );
      for (const r of found.rows) {
        tx.knownClaims.set(claimKey(r.scope, r.key), {
          requestHash: r.request_hash,
          status: r.status,
          body: r.body,
          createdAt: r.created_at,
        });
      }
    }
    return tx;
  }

  /** The locked stats of a substream; undefined when its stream no longer exists. */
  getStats(streamId: number, sub: SubstreamCode): StreamStats | undefined {
    return this.stats.get(refKey(streamId, sub));
  }

  setStats(streamId: number, sub: SubstreamCode, stats: StreamStats): void {
    const key = refKey(streamId, sub);
    this.stats.set(key, stats);
    this.dirtyStats.add(key);
  }

  /** Appends points to a substream's tail (written at commit, or before the next fold). */
  queueTail(streamId: number, sub: SubstreamCode, points: readonly Datapoint[]): void {
    for (const point of points) this.tail.push({ streamId, sub, point });
  }

  /** Writes the queued tail rows, in one statement, in queue order (so ids follow arrival). */
  async flushTail(): Promise<void> {
    if (this.tail.length === 0) return;
    await this.client.query(prepared(TAIL_INSERT, this.takeTail()));
  }

  private takeTail(): unknown[] {
    const rows = this.tail;
    this.tail = [];
    return [
      rows.map((r) => r.streamId),
      rows.map((r) => r.sub),
      rows.map((r) => r.point.t),
      rows.map((r) => JSON.stringify(r.point.d ?? null)),
      rows.map((r) => r.point.o || null),
    ];
  }

  findClaim(scope: string, key: string): IdempotencyRecord | undefined {
    return this.knownClaims.get(claimKey(scope, key));
  }

  addClaim(claim: IdempotencyClaim): void {
    const createdAt = Date.now() / 1000;
    this.newClaims.push({ ...claim, createdAt });
    this.knownClaims.set(claimKey(claim.scope, claim.key), {
      requestHash: claim.requestHash,
      status: claim.status,
      body: claim.body,
      createdAt,
    });
  }

  /** Writes what was gathered and commits. Throws CommitOutcomeUnknown if COMMIT itself fails. */
  async commit(): Promise<void> {
    if (this.tail.length > 0 || this.dirtyStats.size > 0) {
      const stats = [...this.dirtyStats].map((key) => {
        const [streamId, sub] = key.split(':');
        return { streamId: Number(streamId), sub: Number(sub), s: this.stats.get(key)! };
      });
      // The remaining tail rows and every stats row in one statement (one round trip).
      await this.client.query(
        prepared(`WITH appended AS (${TAIL_INSERT}) ${STATS_UPDATE}`, [
          ...this.takeTail(),
          stats.map((r) => r.streamId),
          stats.map((r) => r.sub),
          stats.map((r) => r.s.count),
          stats.map((r) => r.s.lastT),
          stats.map((r) => r.s.chunkedCount),
          stats.map((r) => r.s.chunkEndT),
        ]),
      );
    }
    if (this.newClaims.length > 0) {
      // Sorted, so that two transactions inserting the same keys wait for each other in one order.
      const claims = this.newClaims
        .slice()
        .sort((a, b) => (a.scope === b.scope ? cmp(a.key, b.key) : cmp(a.scope, b.scope)));
      const inserted = await this.client.query(
        prepared(
          `INSERT INTO idempotency (scope, key, request_hash, status, body, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::float8[])
         ON CONFLICT (scope, key) DO NOTHING`,
          [
            claims.map((c) => c.scope),
            claims.map((c) => c.key),
            claims.map((c) => c.requestHash),
            claims.map((c) => c.status),
            claims.map((c) => c.body),
            claims.map((c) => c.createdAt),
          ],
        ),
      );
      if (inserted.rowCount !== claims.length)
        throw new ClaimRace('An idempotency key was claimed meanwhile');
    }
    try {
      await this.client.query('COMMIT');
    } catch (err) {
      throw new CommitOutcomeUnknown(`COMMIT failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
