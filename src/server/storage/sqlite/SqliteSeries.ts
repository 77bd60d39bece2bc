/**
 * How the SQLite adapter stores datapoints. Two layouts implement it: chunked columnar storage
 * (the default) and one row per datapoint (the baseline the benchmarks compare against). Methods
 * are synchronous (better-sqlite3) and run inside the caller's transaction.
 */
import type Database from 'better-sqlite3';
import type { Datapoint } from '../../../core/model';
import type { M4Result, RollupPlan, RollupSeries } from '../../../core/timeseries';
import type { InsertPlan } from '../insertRules';
import type { NumericSamples } from '../series/rollupPeriods';
import type { InsertMode } from '../Storage';

/** 0 is a stream's own data, 1 its downlink substream. */
export type SubstreamCode = 0 | 1;

export interface SqliteHandle {
  readonly db: Database.Database;
  /** A cached prepared statement. */
  stmt(sql: string): Database.Statement;
}

export interface StreamStats {
  count: number;
  lastT: number;
  /** Datapoints held in sealed chunks (the rest are in the tail). */
  chunkedCount: number;
  /** The latest timestamp in sealed chunks. */
  chunkEndT: number;
}

export interface SqliteSeries {
  insert(streamId: number, sub: SubstreamCode, points: readonly Datapoint[], mode: InsertMode): InsertPlan;
  /** Whether `foldDue` has work: a tail that reached its fold size (never, in the rows layout). */
  hasFoldDue(): boolean;
  /** Folds one tail that reached its fold size into chunks, if there is one. */
  foldDue(): void;
  readByIndex(streamId: number, sub: SubstreamCode, start: number, end: number): Datapoint[];
  /** The plottable values of positions [start, end) (see `Storage.readSamples`). */
  readSamples(streamId: number, sub: SubstreamCode, start: number, end: number): NumericSamples;
  readByTime(
    streamId: number,
    sub: SubstreamCode,
    t1: number,
    t2: number | undefined,
    limit: number,
  ): Datapoint[];
  length(streamId: number, sub: SubstreamCode): number;
  timeToIndex(streamId: number, sub: SubstreamCode, t: number): number;
  /** The buckets of one rollup level overlapping [t0, t1). */
  readRollup(streamId: number, sub: SubstreamCode, level: number, t0: number, t1: number): RollupSeries;
  /** The M4 plot of a plan over a rollup level (see `Storage.plotRollup`). */
  plotRollup(streamId: number, sub: SubstreamCode, plan: RollupPlan, scratch?: ArrayBuffer): M4Result;
  /** Deletes the data of every stream matched by `streamIdSql` (a subquery or `?`) with `param`. */
  deleteData(streamIdSql: string, param: number, sub?: SubstreamCode): void;
  /**
   * Drops what is cached from the database, or rebuilds it from the tables: after a rollback, which
   * can hand out the same ids again and undoes writes the caches had seen.
   */
  forgetCaches(): void;
}

/**
 * The `stream_stats` rows, read through a cache: a single-datapoint insert read its row from
 * SQLite each time. Every write goes through `write`, and `forget` (after a rollback or a deletion)
 * empties the cache, so a cached row is always the one the database holds in this connection.
 * One connection writes the file (the server's), as the other caches of the adapter assume.
 */
export class StreamStatsTable {
  /** By `streamId * 2 + sub`; null: the stream has no row yet. */
  private readonly cache = new Map<number, Readonly<StreamStats> | null>();

  constructor(private readonly h: SqliteHandle) {}

  read(streamId: number, sub: SubstreamCode): Readonly<StreamStats> | undefined {
    const key = streamId * 2 + sub;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.h
      .stmt(
        'SELECT count, last_t, chunked_count, chunk_end_t FROM stream_stats WHERE stream_id = ? AND substream = ?',
      )
      .get(streamId, sub) as
      { count: number; last_t: number; chunked_count: number; chunk_end_t: number } | undefined;
    const stats = row
      ? Object.freeze({
          count: row.count,
          lastT: row.last_t,
          chunkedCount: row.chunked_count,
          chunkEndT: row.chunk_end_t,
        })
      : null;
    this.cache.set(key, stats);
    return stats ?? undefined;
  }

  write(streamId: number, sub: SubstreamCode, stats: StreamStats): void {
    this.h
      .stmt(
        `INSERT INTO stream_stats (stream_id, substream, count, last_t, chunked_count, chunk_end_t) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (stream_id, substream) DO UPDATE SET count = excluded.count, last_t = excluded.last_t,
           chunked_count = excluded.chunked_count, chunk_end_t = excluded.chunk_end_t`,
      )
      .run(streamId, sub, stats.count, stats.lastT, stats.chunkedCount, stats.chunkEndT);
    this.cache.set(streamId * 2 + sub, Object.freeze({ ...stats }));
  }

  /** Empties the cache: rows were deleted, or a transaction that wrote some was rolled back. */
  forget(): void {
    this.cache.clear();
  }
}

export function rowToDatapoint(r: { t: number; d: string; o: string | null }): Datapoint {
  const dp: Datapoint = { t: r.t, d: JSON.parse(r.d) };
  if (r.o) dp.o = r.o;
  return dp;
}
