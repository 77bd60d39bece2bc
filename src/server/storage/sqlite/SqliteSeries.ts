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
  /** Drops decoded caches (after a rollback, which can hand out the same ids again). */
  forgetCaches(): void;
}

export function readStats(
  handle: SqliteHandle,
  streamId: number,
  sub: SubstreamCode,
): StreamStats | undefined {
  const row = handle
    .stmt(
      'SELECT count, last_t, chunked_count, chunk_end_t FROM stream_stats WHERE stream_id = ? AND substream = ?',
    )
    .get(streamId, sub) as
    { count: number; last_t: number; chunked_count: number; chunk_end_t: number } | undefined;
  return (
    row && {
      count: row.count,
      lastT: row.last_t,
      chunkedCount: row.chunked_count,
      chunkEndT: row.chunk_end_t,
    }
  );
}

export function writeStats(
  handle: SqliteHandle,
  streamId: number,
  sub: SubstreamCode,
  stats: StreamStats,
): void {
  handle
    .stmt(
      `INSERT INTO stream_stats (stream_id, substream, count, last_t, chunked_count, chunk_end_t) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (stream_id, substream) DO UPDATE SET count = excluded.count, last_t = excluded.last_t,
         chunked_count = excluded.chunked_count, chunk_end_t = excluded.chunk_end_t`,
    )
    .run(streamId, sub, stats.count, stats.lastT, stats.chunkedCount, stats.chunkEndT);
}

export function rowToDatapoint(r: { t: number; d: string; o: string | null }): Datapoint {
  const dp: Datapoint = { t: r.t, d: JSON.parse(r.d) };
  if (r.o) dp.o = r.o;
  return dp;
}
