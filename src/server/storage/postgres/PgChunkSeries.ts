/**
 * Chunked columnar storage on PostgreSQL: the same layout and rules as SQLite's
 * (`../sqlite/SqliteChunkSeries.ts`, `../series/chunking.ts`) — sealed compressed chunks of up to
 * 4096 datapoints, a tail of single rows for recent small writes, the rollup pyramid in period
 * chunks — through the same pure modules, with the I/O made asynchronous and set-based.
 *
 * Writes run inside a PgWriteTransaction that holds the substream's stats row lock. Reads are
 * single statements (one consistent snapshot each), or a REPEATABLE READ transaction when they
 * page; they never see a fold half done. Readers tell the database which chunks and rollup periods
 * they have decoded already, and get NULL instead of those bytes.
 */
import type { Pool, PoolClient } from 'pg';
import type { Datapoint } from '../../../core/model';
import {
  columnsEnd,
  M4_FIELDS,
  m4FromRollup,
  mergeRollups,
  type M4Result,
  type RollupPlan,
  type RollupSeries,
} from '../../../core/timeseries';
import { encodeRollupChunk } from '../chunks';
import { planInsert, type InsertPlan } from '../insertRules';
import {
  CHUNK_POINTS,
  chunkPoints,
  DIRECT_CHUNK_POINTS,
  mergeByTime,
  splitAtChunksEnd,
  TAIL_FOLD_POINTS,
  type NewChunk,
} from '../series/chunking';
import { CHUNK_CACHE_ENTRIES, LruCache } from '../series/LruCache';
import { RollupPeriod } from '../series/RollupPeriod';
import {
  periodStart,
  periodUpdates,
  plotRuns,
  rollupWindow,
  tailBounds,
  type NumericSamples,
} from '../series/rollupPeriods';
import { pieceSamples, piecePoints, type IndexPieces } from '../series/indexPieces';
import { ColumnarChunk } from '../series/seriesCodec';
import type { InsertMode } from '../Storage';
import { prepared, rollback } from './pgConnection';
import type { PgWriteTransaction, StreamStats, SubstreamCode } from './PgWriteTransaction';

interface ChunkRow {
  id: number;
  first_index: number;
  count: number;
  t_end: number;
  /** NULL when the reader said it has the chunk decoded already. */
  data: Buffer | null;
}

interface TailRow {
  id: number;
  t: number;
  d: string;
  o: string | null;
}

interface RollupRow {
  level: number;
  period_start: number;
  version: number;
  data: Buffer | null;
}

/** Rows per multi-row INSERT of chunks (7 parameters each, far below PostgreSQL's 65,535). */
const CHUNK_ROWS_PER_STATEMENT = 1000;
/** Chunks per page of a time-range read: small first (most reads want a few), then larger. */
const FIRST_PAGE_CHUNKS = 8;
const MAX_PAGE_CHUNKS = 256;

function tailPoint(r: TailRow): Datapoint {
  const dp: Datapoint = { t: r.t, d: JSON.parse(r.d) };
  if (r.o) dp.o = r.o;
  return dp;
}

/** Tail rows in storage order: time, then arrival (id). */
const byTimeThenId = (a: TailRow, b: TailRow) => a.t - b.t || a.id - b.id;

export class PgChunkSeries {
  /** Decoded chunks by id; ids are never reused, so entries never go stale (on any server). */
  private readonly chunkCache = new LruCache<number, ColumnarChunk>(CHUNK_CACHE_ENTRIES);
  /** Decoded rollup periods by version; every rewrite takes a new version from a sequence. */
  private readonly rollupCache = new LruCache<number, RollupPeriod>(256);

  constructor(private readonly pool: Pool) {}

  // ---- writing (inside a write transaction holding the substream's lock) ----

  async insert(
    tx: PgWriteTransaction,
    streamId: number,
    sub: SubstreamCode,
    points: readonly Datapoint[],
    mode: InsertMode,
  ): Promise<InsertPlan> {
    const stats = tx.getStats(streamId, sub);
    // No stats row: the stream was deleted after the caller found it. The write is ordered just
    // before the deletion, which removes it with everything else.
    if (!stats) return planInsert(points, undefined, mode);
    const plan = planInsert(points, stats.count > 0 ? stats.lastT : undefined, mode);
    if (!plan.ok || plan.points.length === 0) return plan;
    const { past, rest } = splitAtChunksEnd(plan.points, stats);
    let current = stats;
    if (past.length > 0) {
      // Into the chunks around their own time; the tail (and this group's queued rows) stay put.
      await this.mergeIntoChunks(tx.client, streamId, sub, past, stats.chunkedCount);
      current = {
        ...stats,
        count: stats.count + past.length,
        chunkedCount: stats.chunkedCount + past.length,
      };
      tx.setStats(streamId, sub, current);
    }
    if (rest.length === 0) return plan;
    const tailCount = current.count - current.chunkedCount;
    if (rest.length < DIRECT_CHUNK_POINTS && tailCount + rest.length < TAIL_FOLD_POINTS) {
      tx.queueTail(streamId, sub, rest);
      tx.setStats(streamId, sub, {
        ...current,
        count: current.count + rest.length,
        lastT: Math.max(current.count > 0 ? current.lastT : -Infinity, rest[rest.length - 1]!.t),
      });
    } else {
      // The fold reads the tail from the table, so earlier writes of this group must be there.
      await tx.flushTail();
      tx.setStats(streamId, sub, await this.fold(tx.client, streamId, sub, rest, current));
    }
    return plan;
  }

  /** Moves the tail and the batch (which starts at or after the chunks' end) into chunks. */
  private async fold(
    client: PoolClient,
    streamId: number,
    sub: SubstreamCode,
    batch: readonly Datapoint[],
    stats: StreamStats,
  ): Promise<StreamStats> {
    const tailRows = await client.query<TailRow>(
      prepared('DELETE FROM tail WHERE stream_id = $1 AND substream = $2 RETURNING id, t, d, o', [
        streamId,
        sub,
      ]),
    );
    const incoming = mergeByTime(tailRows.rows.sort(byTimeThenId).map(tailPoint), batch);
    await this.mergeIntoChunks(client, streamId, sub, incoming, stats.chunkedCount);
    const maxT = incoming[incoming.length - 1]!.t;
    return {
      count: stats.count + batch.length,
      lastT: Math.max(stats.count > 0 ? stats.lastT : -Infinity, maxT),
      chunkedCount: stats.count + batch.length,
      chunkEndT: Math.max(stats.chunkedCount > 0 ? stats.chunkEndT : -Infinity, maxT),
    };
  }

  /**
   * Merges a sorted run into the chunks it overlaps (and nothing else: the chunks after it only
   * move by its length), then adds it to the rollups.
   */
  private async mergeIntoChunks(
    client: PoolClient,
    streamId: number,
    sub: SubstreamCode,
    incoming: readonly Datapoint[],
    chunkedCount: number,
  ): Promise<void> {
    const minT = incoming[0]!.t;
    const maxT = incoming[incoming.length - 1]!.t;

    // In one statement: the chunks the new run overlaps (see ChunkInfo for why these bounds), the
    // first chunk after it, and the last chunk (topped up when appending).
    const cached = this.chunkCache.snapshot();
    const { rows } = await client.query<ChunkRow & { kind: 'overlap' | 'next' | 'last' }>(
      prepared(
        `SELECT 'overlap' AS kind, ${chunkColumns('$5')} FROM chunks
         WHERE stream_id = $1 AND substream = $2 AND t_end > $3 AND t_start <= $4
       UNION ALL
       (SELECT 'next', ${chunkColumns('$5')} FROM chunks WHERE stream_id = $1 AND substream = $2 AND t_start > $4
         ORDER BY first_index LIMIT 1)
       UNION ALL
       (SELECT 'last', ${chunkColumns('$5')} FROM chunks WHERE stream_id = $1 AND substream = $2
         ORDER BY first_index DESC LIMIT 1)`,
        [streamId, sub, minT, maxT, [...cached.keys()]],
      ),
    );
    let affected = rows.filter((r) => r.kind === 'overlap').sort((a, b) => a.first_index - b.first_index);
    const next = rows.find((r) => r.kind === 'next');
    if (affected.length === 0 && !next) {
      // Appending: top up the last chunk while it has room, rather than leaving many small chunks.
      const last = rows.find((r) => r.kind === 'last');
      if (last && last.count < CHUNK_POINTS) affected = [last];
    }

    const firstIndex = affected[0]?.first_index ?? next?.first_index ?? chunkedCount;
    const existing = affected.flatMap((c) => this.decodeChunk(c, cached).points());
    const merged = mergeByTime(existing, incoming);
    if (affected.length > 0) {
      await client.query(
        prepared('DELETE FROM chunks WHERE id = ANY($1::bigint[])', [affected.map((c) => c.id)]),
      );
    }
    if (next) {
      // Everything after the merged run moves by the number of points that arrived.
      const lastAffected = affected[affected.length - 1];
      const afterIndex = lastAffected ? lastAffected.first_index + lastAffected.count : firstIndex;
      await client.query(
        prepared(
          `UPDATE chunks SET first_index = first_index + $1
         WHERE stream_id = $2 AND substream = $3 AND first_index >= $4`,
          [incoming.length, streamId, sub, afterIndex],
        ),
      );
    }
    await this.insertChunks(client, streamId, sub, chunkPoints(merged, firstIndex));
    await this.addToRollups(client, streamId, sub, incoming);
  }

  /** Multi-row INSERTs; chunk bytes travel as binary parameters. */
  private async insertChunks(
    client: PoolClient,
    streamId: number,
    sub: SubstreamCode,
    chunks: readonly NewChunk[],
  ): Promise<void> {
    for (let from = 0; from < chunks.length; from += CHUNK_ROWS_PER_STATEMENT) {
      const slice = chunks.slice(from, from + CHUNK_ROWS_PER_STATEMENT);
      const params: unknown[] = [streamId, sub];
      const values = slice.map((c) => {
        params.push(c.firstIndex, c.count, c.tStart, c.tEnd, c.data);
        const n = params.length;
        return `($1, $2, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
      });
      await client.query(
        `INSERT INTO chunks (stream_id, substream, first_index, count, t_start, t_end, data) VALUES ${values.join(', ')}`,
        params,
      );
    }
  }

  /** Adds sealed points to every rollup level: one read and one upsert for all touched periods. */
  private async addToRollups(
    client: PoolClient,
    streamId: number,
    sub: SubstreamCode,
    points: readonly Datapoint[],
  ): Promise<void> {
    const updates = periodUpdates(points);
    if (updates.length === 0) return;
    const cached = this.rollupCache.snapshot();
    const { rows } = await client.query<RollupRow>(
      prepared(
        `SELECT level, period_start, version, CASE WHEN version = ANY($5::bigint[]) THEN NULL ELSE data END AS data
       FROM rollups WHERE stream_id = $1 AND substream = $2
         AND (level, period_start) IN (SELECT * FROM unnest($3::float8[], $4::float8[]))`,
        [streamId, sub, updates.map((u) => u.level), updates.map((u) => u.period), [...cached.keys()]],
      ),
    );
    const existing = new Map(rows.map((r) => [`${r.level}:${r.period_start}`, r]));
    const params: unknown[] = [streamId, sub];
    const updated = new Map<string, RollupSeries>();
    const values = updates.map(({ level, period, buckets }) => {
      const row = existing.get(`${level}:${period}`);
      // The batch arrived after what the period holds: merged as later points.
      const series = row ? mergeRollups(this.decodePeriod(row, cached).series(), buckets) : buckets;
      updated.set(`${level}:${period}`, series);
      params.push(level, period, encodeRollupChunk(series));
      const n = params.length;
      return `($1, $2, $${n - 2}, $${n - 1}, $${n})`;
    });
    const written = await client.query<{ level: number; period_start: number; version: number }>(
      `INSERT INTO rollups (stream_id, substream, level, period_start, data) VALUES ${values.join(', ')}
       ON CONFLICT (stream_id, substream, level, period_start)
         DO UPDATE SET version = excluded.version, data = excluded.data
       RETURNING level, period_start, version`,
      params,
    );
    // The periods just written are the likeliest to be read next (live plots).
    for (const r of written.rows) {
      const series = updated.get(`${r.level}:${r.period_start}`);
      if (series) this.rollupCache.set(r.version, RollupPeriod.fromSeries(series));
    }
  }

  // ---- reading ----

  private decodeChunk(row: ChunkRow, cached: ReadonlyMap<number, ColumnarChunk>): ColumnarChunk {
    if (row.data === null) {
      const chunk = cached.get(row.id);
      if (!chunk) throw new Error(`chunk ${row.id} was neither sent nor cached`);
      this.chunkCache.get(row.id); // refresh its place in the LRU order
      return chunk;
    }
    const chunk = new ColumnarChunk(row.data);
    this.chunkCache.set(row.id, chunk);
    return chunk;
  }

  private decodePeriod(row: RollupRow, cached: ReadonlyMap<number, RollupPeriod>): RollupPeriod {
    if (row.data === null) {
      const period = cached.get(row.version);
      if (!period) throw new Error(`rollup version ${row.version} was neither sent nor cached`);
      this.rollupCache.get(row.version);
      return period;
    }
    const period = RollupPeriod.fromBytes(row.data);
    this.rollupCache.set(row.version, period);
    return period;
  }

  async length(streamId: number, sub: SubstreamCode): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>(
      prepared('SELECT count FROM stream_stats WHERE stream_id = $1 AND substream = $2', [streamId, sub]),
    );
    return rows[0]?.count ?? 0;
  }

  async readByIndex(streamId: number, sub: SubstreamCode, start: number, end: number): Promise<Datapoint[]> {
    return piecePoints(await this.piecesByIndex(streamId, sub, start, end));
  }

  async readSamples(
    streamId: number,
    sub: SubstreamCode,
    start: number,
    end: number,
  ): Promise<NumericSamples> {
    return pieceSamples(await this.piecesByIndex(streamId, sub, start, end));
  }

  /** Where positions [start, end) are: ranges of chunks, then tail points, in storage order. */
  private async piecesByIndex(
    streamId: number,
    sub: SubstreamCode,
    start: number,
    end: number,
  ): Promise<IndexPieces> {
    const chunks: IndexPieces['chunks'] = [];
    const tail: Datapoint[] = [];
    if (end <= start) return { chunks, tail };
    const cached = this.chunkCache.snapshot();
    // One statement, so the chunks and the tail come from the same snapshot: the chunks holding
    // positions [start, end) below chunked_count, and the tail rows at the positions after it.
    const { rows } = await this.pool.query<
      (ChunkRow & { tail: false }) | (TailRow & { tail: true; first_index: null })
    >(
      prepared(
        `WITH st AS (SELECT chunked_count AS n FROM stream_stats WHERE stream_id = $1 AND substream = $2)
       SELECT false AS tail, ${chunkColumns('$5', 'c.')}, NULL::float8 AS t, NULL::text AS d, NULL::text AS o
         FROM chunks c, st
        WHERE c.stream_id = $1 AND c.substream = $2 AND $3::bigint < st.n AND c.first_index < least($4::bigint, st.n)
          AND c.first_index >= (SELECT coalesce(max(first_index), 0) FROM chunks
                                 WHERE stream_id = $1 AND substream = $2 AND first_index <= $3::bigint)
       UNION ALL
       (SELECT true, tl.id, NULL, NULL, NULL, NULL, tl.t, tl.d, tl.o
          FROM tail tl
         WHERE tl.stream_id = $1 AND tl.substream = $2 AND $4::bigint > (SELECT n FROM st)
         ORDER BY tl.t, tl.id
        OFFSET (SELECT greatest($3::bigint - n, 0) FROM st)
         LIMIT (SELECT greatest($4::bigint - greatest($3::bigint, n), 0) FROM st))`,
        [streamId, sub, start, end, [...cached.keys()]],
      ),
    );
    const chunkRows = rows.filter((r): r is ChunkRow & { tail: false } => !r.tail);
    chunkRows.sort((a, b) => a.first_index - b.first_index);
    for (const row of chunkRows) {
      const from = Math.max(start - row.first_index, 0);
      const to = Math.min(end - row.first_index, row.count);
      chunks.push({ chunk: this.decodeChunk(row, cached), from, to });
    }
    const tailRows = rows.filter((r): r is TailRow & { tail: true; first_index: null } => r.tail);
    for (const row of tailRows.sort(byTimeThenId)) tail.push(tailPoint(row));
    return { chunks, tail };
  }

  async readByTime(
    streamId: number,
    sub: SubstreamCode,
    t1: number,
    t2: number | undefined,
    limit: number,
  ): Promise<Datapoint[]> {
    const upper = t2 ?? Infinity;
    const wanted = limit > 0 ? limit : Infinity;
    return this.snapshot(async (client) => {
      const out: Datapoint[] = [];
      // Chunks in time order, a page at a time, so that a small limit reads few chunks.
      let after = { tEnd: -Infinity, firstIndex: -1 };
      for (let page = FIRST_PAGE_CHUNKS; ; page = Math.min(page * 4, MAX_PAGE_CHUNKS)) {
        const cached = this.chunkCache.snapshot();
        const { rows } = await client.query<ChunkRow>(
          prepared(
            `SELECT ${chunkColumns('$7')} FROM chunks
           WHERE stream_id = $1 AND substream = $2 AND t_end > $3 AND t_start <= $4
             AND (t_end, first_index) > ($5::float8, $6::bigint)
           ORDER BY t_end, first_index LIMIT ${page}`,
            [streamId, sub, t1, upper, after.tEnd, after.firstIndex, [...cached.keys()]],
          ),
        );
        for (const row of rows) {
          for (const p of this.decodeChunk(row, cached).pointsBetween(t1, upper, wanted - out.length)) {
            out.push(p);
          }
          if (out.length >= wanted) return out;
        }
        if (rows.length < page) break;
        const last = rows[rows.length - 1]!;
        after = { tEnd: last.t_end, firstIndex: last.first_index };
      }
      const tail = await client.query<TailRow>(
        prepared(
          `SELECT id, t, d, o FROM tail WHERE stream_id = $1 AND substream = $2 AND t > $3 AND t <= $4
         ORDER BY t, id LIMIT $5`,
          [streamId, sub, t1, upper, Number.isFinite(wanted) ? wanted - out.length : null],
        ),
      );
      for (const row of tail.rows) out.push(tailPoint(row));
      return out;
    });
  }

  async timeToIndex(streamId: number, sub: SubstreamCode, t: number): Promise<number> {
    const cached = this.chunkCache.snapshot();
    // The first chunk ending after t holds the position; without one, the tail does.
    const { rows } = await this.pool.query<{
      chunked_count: number;
      tail_n: number;
      id: number | null;
      first_index: number | null;
      count: number | null;
      t_end: number | null;
      data: Buffer | null;
    }>(
      prepared(
        `SELECT s.chunked_count, c.*,
              (SELECT count(*) FROM tail WHERE stream_id = $1 AND substream = $2 AND t <= $3) AS tail_n
       FROM stream_stats s
       LEFT JOIN LATERAL (
         SELECT ${chunkColumns('$4')} FROM chunks
         WHERE stream_id = $1 AND substream = $2 AND t_end > $3 ORDER BY t_end, first_index LIMIT 1
       ) c ON true
       WHERE s.stream_id = $1 AND s.substream = $2`,
        [streamId, sub, t, [...cached.keys()]],
      ),
    );
    const row = rows[0];
    if (!row) return 0;
    if (row.id !== null)
      return row.first_index! + this.decodeChunk(row as ChunkRow, cached).countAtOrBefore(t);
    return row.chunked_count + row.tail_n;
  }

  async readRollup(
    streamId: number,
    sub: SubstreamCode,
    level: number,
    t0: number,
    t1: number,
  ): Promise<RollupSeries> {
    const { periods, tail } = await this.rollupSources(streamId, sub, level, t0, t1);
    return rollupWindow(periods, tail, level, t0, t1);
  }

  async plotRollup(
    streamId: number,
    sub: SubstreamCode,
    plan: RollupPlan,
    scratch?: ArrayBuffer,
  ): Promise<M4Result> {
    const { level, t0 } = plan;
    const t1 = columnsEnd(plan);
    const { periods, tail } = await this.rollupSources(streamId, sub, level, t0, t1);
    const runs = plotRuns(
      periods.map((p) => p.pick(M4_FIELDS)),
      tail,
      level,
      t0,
      t1,
    );
    return m4FromRollup(runs, plan, scratch);
  }

  /** Stored periods and the not-yet-folded tail points of a rollup window, from one snapshot. */
  private async rollupSources(
    streamId: number,
    sub: SubstreamCode,
    level: number,
    t0: number,
    t1: number,
  ): Promise<{ periods: RollupPeriod[]; tail: Datapoint[] }> {
    const cached = this.rollupCache.snapshot();
    const { from, before } = tailBounds(level, t0, t1);
    const { rows } = await this.pool.query<
      (RollupRow & { tail: false }) | (TailRow & { tail: true; period_start: null })
    >(
      prepared(
        `SELECT false AS tail, level, period_start, version,
              CASE WHEN version = ANY($6::bigint[]) THEN NULL ELSE data END AS data,
              NULL::bigint AS id, NULL::float8 AS t, NULL::text AS d, NULL::text AS o
         FROM rollups WHERE stream_id = $1 AND substream = $2 AND level = $3
          AND period_start >= $4 AND period_start < $5
       UNION ALL
       SELECT true, NULL, NULL, NULL, NULL, id, t, d, o FROM tail
        WHERE stream_id = $1 AND substream = $2 AND t >= $7 AND t < $8`,
        [streamId, sub, level, periodStart(t0, level), t1, [...cached.keys()], from, before],
      ),
    );
    const periods = rows
      .filter((r): r is RollupRow & { tail: false } => !r.tail)
      .sort((a, b) => a.period_start - b.period_start)
      .map((r) => this.decodePeriod(r, cached));
    const tail = rows
      .filter((r): r is TailRow & { tail: true; period_start: null } => r.tail)
      .sort(byTimeThenId)
      .map(tailPoint);
    return { periods, tail };
  }

  // ---- deleting (inside the caller's transaction, after locking the stats rows) ----

  /** Deletes the data of the given streams (all substreams, or one). */
  async deleteData(client: PoolClient, streamIds: readonly number[], sub?: SubstreamCode): Promise<void> {
    if (streamIds.length === 0) return;
    const where = `stream_id = ANY($1::integer[])${sub === undefined ? '' : ' AND substream = $2'}`;
    const params = sub === undefined ? [streamIds] : [streamIds, sub];
    for (const table of ['chunks', 'tail', 'rollups']) {
      await client.query(`DELETE FROM ${table} WHERE ${where}`, params);
    }
    await client.query(
      prepared(
        `UPDATE stream_stats SET count = 0, last_t = 0, chunked_count = 0, chunk_end_t = 0 WHERE ${where}`,
        params,
      ),
    );
  }

  /** Runs reads in one REPEATABLE READ snapshot, so that a fold committing meanwhile is invisible. */
  private async snapshot<T>(read: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await read(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      broken = await rollback(client);
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/** Chunk columns, with the bytes replaced by NULL for ids in the array parameter `cachedParam`. */
function chunkColumns(cachedParam: string, prefix = ''): string {
  return `${prefix}id, ${prefix}first_index, ${prefix}count, ${prefix}t_end,
    CASE WHEN ${prefix}id = ANY(${cachedParam}::bigint[]) THEN NULL ELSE ${prefix}data END AS data`;
}
