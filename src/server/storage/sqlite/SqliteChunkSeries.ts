/**
 * Chunked columnar storage on SQLite (layout in `../series/chunking.ts`): sealed, compressed chunks
 * of up to 4096 datapoints; a tail of single rows for recent small writes; and the rollup pyramid
 * of the sealed points, kept in period chunks per level. Small appends cost one tail row; a tail
 * that reaches TAIL_FOLD_POINTS (or TAIL_FOLD_BYTES) is folded into chunks by `foldDue`, which the
 * adapter runs in a group commit after the writes that filled it (a fold costs milliseconds; inside
 * a write it held up every write of that group, and a hundred streams filling up together stalled
 * for a hundred). A write folds at once only when its batch is large, or when the tail would reach
 * TAIL_MAX_POINTS (or holds TAIL_MAX_BYTES).
 * A write before the chunks' end is merged into the chunks and leaves the tail as it is.
 */
import type { Datapoint } from '../../../core/model';
import { decodeChunkTimes, decodeRollupColumn, encodeRollupChunk, readRollupSections } from '../chunks';
import {
  columnsEnd,
  M4_FIELDS,
  m4FromRollup,
  mergeRollups,
  type M4Result,
  type RollupPlan,
  type RollupSeries,
} from '../../../core/timeseries';
import { planInsert, type InsertPlan } from '../insertRules';
import {
  CHUNK_POINTS,
  chunkPoints,
  DIRECT_CHUNK_POINTS,
  mergeByTime,
  splitAtChunksEnd,
} from '../series/chunking';
import { CHUNK_CACHE_ENTRIES, LruCache } from '../series/LruCache';
import { PlotPeriodSlab } from '../series/PlotPeriodSlab';
import { RollupPeriod } from '../series/RollupPeriod';
import {
  periodStart,
  periodUpdates,
  plotRuns,
  rollupWindow,
  tailBounds,
  type NumericSamples,
} from '../series/rollupPeriods';
import { pieceSamples } from '../series/indexPieces';
import { ColumnarChunk, countAtOrBefore } from '../series/seriesCodec';
import type { InsertMode } from '../Storage';
import {
  StreamStatsTable,
  type SqliteHandle,
  type SqliteSeries,
  type StreamStats,
  type SubstreamCode,
} from './SqliteSeries';
import { SqliteTail } from './SqliteTail';

/** A chunk's place; its bytes are read only when the chunk is not in the cache. */
interface ChunkRow {
  id: number;
  first_index: number;
  count: number;
  t_start: number;
  t_end: number;
}

const CHUNK_COLUMNS = 'id, first_index, count, t_start, t_end';

/** Reads of at most this many positions decode the chunks they need but have not cached into scratch. */
const PEEK_POINTS = 16;

/** Positions [from, to) of a chunk. */
interface ChunkRange {
  row: ChunkRow;
  from: number;
  to: number;
}

const periodKey = (streamId: number, sub: SubstreamCode, level: number, period: number, version: number) =>
  `${streamId}:${sub}:${level}:${period}:${version}`;

export class SqliteChunkSeries implements SqliteSeries {
  /** Decoded chunks by row id; a rewritten chunk gets a new id, so entries never go stale. */
  private readonly chunkCache = new LruCache<number, ColumnarChunk>(CHUNK_CACHE_ENTRIES);
  /** Decoded rollup periods by `stream:sub:level:period:version`. */
  private readonly rollupCache = new LruCache<string, RollupPeriod>(256);
  /** The M4 columns of periods plots read, by the same keys. */
  private readonly plotSlab = new PlotPeriodSlab();
  /** Where chunks are decoded for a lookup that does not keep them (see `peekChunk`). */
  private readonly peekScratch = {
    t: new Float64Array(CHUNK_POINTS),
    numbers: new Float64Array(CHUNK_POINTS),
  };

  /** The chunks' counts and bounds; the tail's come from `tail` (see `statsOf`). */
  private readonly stats: StreamStatsTable;
  private readonly tail: SqliteTail;

  constructor(private readonly h: SqliteHandle) {
    this.stats = new StreamStatsTable(h);
    this.tail = new SqliteTail(h);
  }

  /**
   * A substream's counts. `stream_stats` is written when chunks change, not for each tail row: its
   * chunk figures are exact, and the tail in memory adds its points and latest time.
   */
  private statsOf(streamId: number, sub: SubstreamCode): StreamStats {
    const stored = this.stats.read(streamId, sub);
    const chunkedCount = stored?.chunkedCount ?? 0;
    return {
      count: chunkedCount + this.tail.length(streamId, sub),
      lastT: Math.max(stored?.lastT ?? -Infinity, this.tail.lastT(streamId, sub)),
      chunkedCount,
      chunkEndT: stored?.chunkEndT ?? -Infinity,
    };
  }

  // ---- writing ----

  insert(streamId: number, sub: SubstreamCode, points: readonly Datapoint[], mode: InsertMode): InsertPlan {
    let stats = this.statsOf(streamId, sub);
    const plan = planInsert(points, stats.count > 0 ? stats.lastT : undefined, mode);
    if (!plan.ok || plan.points.length === 0) return plan;
    const { past, rest } = splitAtChunksEnd(plan.points, stats);
    if (past.length > 0) stats = this.insertIntoChunks(streamId, sub, past, stats);
    if (rest.length === 0) return plan;
    if (rest.length < DIRECT_CHUNK_POINTS && this.tail.hasRoomFor(streamId, sub, rest.length)) {
      this.tail.append(streamId, sub, rest);
    } else {
      this.fold(streamId, sub, rest, stats);
    }
    return plan;
  }

  hasFoldDue(): boolean {
    return this.tail.nextDue() !== undefined;
  }

  foldDue(): void {
    const due = this.tail.nextDue();
    if (due) this.fold(due.streamId, due.sub, [], this.statsOf(due.streamId, due.sub));
  }

  /** Moves the tail and the batch (which starts at or after the chunks' end) into chunks. */
  private fold(streamId: number, sub: SubstreamCode, batch: readonly Datapoint[], stats: StreamStats): void {
    const tail = this.tail.take(streamId, sub);
    const incoming = mergeByTime(tail, batch);
    this.mergeIntoChunks(streamId, sub, incoming, stats.chunkedCount);
    const maxT = incoming[incoming.length - 1]!.t;
    this.stats.write(streamId, sub, {
      count: stats.count + batch.length,
      lastT: Math.max(stats.lastT, maxT),
      chunkedCount: stats.count + batch.length,
      chunkEndT: Math.max(stats.chunkedCount > 0 ? stats.chunkEndT : -Infinity, maxT),
    });
  }

  /** Points before the chunks' end go into the chunks they overlap; the tail stays as it is. */
  private insertIntoChunks(
    streamId: number,
    sub: SubstreamCode,
    past: readonly Datapoint[],
    stats: StreamStats,
  ): StreamStats {
    this.mergeIntoChunks(streamId, sub, past, stats.chunkedCount);
    const next = {
      ...stats,
      count: stats.count + past.length,
      chunkedCount: stats.chunkedCount + past.length,
    };
    this.stats.write(streamId, sub, next);
    return next;
  }

  /**
   * Merges a sorted run into the chunks it overlaps (and nothing else: the chunks after it only
   * move by its length), then adds it to the rollups.
   */
  private mergeIntoChunks(
    streamId: number,
    sub: SubstreamCode,
    incoming: readonly Datapoint[],
    chunkedCount: number,
  ): void {
    const minT = incoming[0]!.t;
    const maxT = incoming[incoming.length - 1]!.t;

    // The chunks the new run overlaps (see ChunkInfo for why these bounds).
    let affected = this.h
      .stmt(
        `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE stream_id = ? AND substream = ? AND t_end > ? AND t_start <= ?
         ORDER BY first_index`,
      )
      .all(streamId, sub, minT, maxT) as ChunkRow[];
    const next = this.h
      .stmt(
        `SELECT first_index FROM chunks WHERE stream_id = ? AND substream = ? AND t_start > ? ORDER BY first_index LIMIT 1`,
      )
      .get(streamId, sub, maxT) as { first_index: number } | undefined;
    if (affected.length === 0 && !next) {
      // Appending: top up the last chunk while it has room, rather than leaving many small chunks.
      const last = this.h
        .stmt(
          `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE stream_id = ? AND substream = ? ORDER BY first_index DESC LIMIT 1`,
        )
        .get(streamId, sub) as ChunkRow | undefined;
      if (last && last.count < CHUNK_POINTS) affected = [last];
    }

    const firstIndex = affected[0]?.first_index ?? next?.first_index ?? chunkedCount;
    const existing = affected.flatMap((c) => this.decodeChunk(c).points());
    const merged = mergeByTime(existing, incoming);
    const deleteChunk = this.h.stmt('DELETE FROM chunks WHERE id = ?');
    for (const c of affected) deleteChunk.run(c.id);
    // Everything after the merged run moves by the number of points that arrived.
    const afterIndex =
      affected.length > 0
        ? affected[affected.length - 1]!.first_index + affected[affected.length - 1]!.count
        : firstIndex;
    this.h
      .stmt(
        'UPDATE chunks SET first_index = first_index + ? WHERE stream_id = ? AND substream = ? AND first_index >= ?',
      )
      .run(incoming.length, streamId, sub, afterIndex);
    const insertChunk = this.h.stmt(
      'INSERT INTO chunks (stream_id, substream, first_index, count, t_start, t_end, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const c of chunkPoints(merged, firstIndex))
      insertChunk.run(streamId, sub, c.firstIndex, c.count, c.tStart, c.tEnd, c.data);

    this.addToRollups(streamId, sub, incoming);
  }

  private addToRollups(streamId: number, sub: SubstreamCode, points: readonly Datapoint[]): void {
    const read = this.h.stmt(
      'SELECT version FROM rollups WHERE stream_id = ? AND substream = ? AND level = ? AND period_start = ?',
    );
    const write = this.h.stmt(
      `INSERT INTO rollups (stream_id, substream, level, period_start, version, data) VALUES (?, ?, ?, ?, 1, ?)
       ON CONFLICT (stream_id, substream, level, period_start) DO UPDATE SET version = version + 1, data = excluded.data`,
    );
    for (const { level, period, buckets } of periodUpdates(points)) {
      const row = read.get(streamId, sub, level, period) as { version: number } | undefined;
      const merged = row
        ? mergeRollups(this.period(streamId, sub, level, period, row.version).series(), buckets)
        : buckets;
      write.run(streamId, sub, level, period, encodeRollupChunk(merged));
      // The next fold (and a live plot) reads this period again: keep it decoded.
      const version = (row?.version ?? 0) + 1;
      this.rollupCache.set(periodKey(streamId, sub, level, period, version), RollupPeriod.fromSeries(merged));
    }
  }

  // ---- reading ----

  private decodeChunk(row: ChunkRow): ColumnarChunk {
    let chunk = this.chunkCache.get(row.id);
    if (!chunk) {
      chunk = new ColumnarChunk(this.chunkBytes(row));
      this.chunkCache.set(row.id, chunk);
    }
    return chunk;
  }

  private chunkBytes(row: ChunkRow): Buffer {
    return (this.h.stmt('SELECT data FROM chunks WHERE id = ?').get(row.id) as { data: Buffer }).data;
  }

  /**
   * A chunk for a lookup of a point or a few (a plot's edges and index bounds, a client's latest
   * value): from the cache, else decoded into scratch that the next peek reuses, so read it before
   * peeking again. Random lookups across a long stream would otherwise decode a 64 KB chunk into
   * new buffers each time and push the chunks that longer reads come back to out of the cache.
   */
  private peekChunk(row: ChunkRow): ColumnarChunk {
    return this.cachedOrOversized(row) ?? new ColumnarChunk(this.chunkBytes(row), this.peekScratch);
  }

  /** The cached chunk, or one too large for the peek scratch decoded the ordinary way; else none. */
  private cachedOrOversized(row: ChunkRow): ColumnarChunk | undefined {
    const cached = this.chunkCache.get(row.id);
    return cached ?? (row.count > CHUNK_POINTS ? this.decodeChunk(row) : undefined);
  }

  /** A stored period, from the cache or decoded from its row (which must exist). */
  private period(streamId: number, sub: SubstreamCode, level: number, period: number, version: number) {
    const key = periodKey(streamId, sub, level, period, version);
    let decoded = this.rollupCache.get(key);
    if (!decoded) {
      decoded = RollupPeriod.fromBytes(this.periodBytes(streamId, sub, level, period));
      this.rollupCache.set(key, decoded);
    }
    return decoded;
  }

  /** The M4 columns of a stored period (which must exist), from the plot slab or put there. */
  private plotPeriod(streamId: number, sub: SubstreamCode, level: number, period: number, version: number) {
    const key = periodKey(streamId, sub, level, period, version);
    const inSlab = this.plotSlab.get(key);
    if (inSlab) return inSlab;
    // Just written by a fold, say: copied from its decoded form.
    const decoded = this.rollupCache.get(key);
    if (decoded && PlotPeriodSlab.fits(decoded.length)) {
      const slot = this.plotSlab.claim(key, decoded.widthSeconds, decoded.length);
      const columns = decoded.pick(M4_FIELDS);
      for (const name of ['start', ...M4_FIELDS] as const) slot[name].set(columns[name]);
      return slot;
    }
    const chunk = readRollupSections(this.periodBytes(streamId, sub, level, period));
    if (!PlotPeriodSlab.fits(chunk.length)) return RollupPeriod.fromSections(chunk).pick(M4_FIELDS);
    const slot = this.plotSlab.claim(key, chunk.widthSeconds, chunk.length);
    try {
      for (const name of ['start', ...M4_FIELDS] as const) decodeRollupColumn(chunk, name, slot[name]);
    } catch (error) {
      this.plotSlab.forget(key);
      throw error;
    }
    return slot;
  }

  private periodBytes(streamId: number, sub: SubstreamCode, level: number, period: number): Buffer {
    const row = this.h
      .stmt(
        'SELECT data FROM rollups WHERE stream_id = ? AND substream = ? AND level = ? AND period_start = ?',
      )
      .get(streamId, sub, level, period) as { data: Buffer };
    return row.data;
  }

  /** The stored periods (start and version) of one level that can hold buckets of [t0, t1), in time order. */
  private periodRows(streamId: number, sub: SubstreamCode, level: number, t0: number, t1: number) {
    return this.h
      .stmt(
        `SELECT period_start, version FROM rollups WHERE stream_id = ? AND substream = ? AND level = ?
         AND period_start >= ? AND period_start < ? ORDER BY period_start`,
      )
      .all(streamId, sub, level, periodStart(t0, level), t1) as { period_start: number; version: number }[];
  }

  private periodsOf(streamId: number, sub: SubstreamCode, level: number, t0: number, t1: number) {
    return this.periodRows(streamId, sub, level, t0, t1).map((row) =>
      this.period(streamId, sub, level, row.period_start, row.version),
    );
  }

  /** The tail points a rollup window of `level` over [t0, t1) may use. */
  private tailOf(streamId: number, sub: SubstreamCode, level: number, t0: number, t1: number): Datapoint[] {
    const { from, before } = tailBounds(level, t0, t1);
    return this.tail.from(streamId, sub, from, before);
  }

  readByIndex(streamId: number, sub: SubstreamCode, start: number, end: number): Datapoint[] {
    const { chunks, tail } = this.rangesByIndex(streamId, sub, start, end);
    const peek = end - start <= PEEK_POINTS;
    const out: Datapoint[] = [];
    // Each chunk's points are copied out before the next chunk is read (a peek reuses scratch).
    for (const { row, from, to } of chunks) {
      for (const p of (peek ? this.peekChunk(row) : this.decodeChunk(row)).points(from, to)) out.push(p);
    }
    for (const p of tail) out.push(p);
    return out;
  }

  readSamples(streamId: number, sub: SubstreamCode, start: number, end: number): NumericSamples {
    const { chunks, tail } = this.rangesByIndex(streamId, sub, start, end);
    return pieceSamples({ chunks: chunks.map((r) => ({ ...r, chunk: this.decodeChunk(r.row) })), tail });
  }

  /** Where positions [start, end) are: ranges of chunks, then tail points, in storage order. */
  private rangesByIndex(
    streamId: number,
    sub: SubstreamCode,
    start: number,
    end: number,
  ): { chunks: ChunkRange[]; tail: Datapoint[] } {
    const chunks: ChunkRange[] = [];
    let tail: Datapoint[] = [];
    if (end <= start) return { chunks, tail };
    const chunked = this.stats.read(streamId, sub)?.chunkedCount ?? 0;
    if (start < chunked) {
      const rows = this.h
        .stmt(
          `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE stream_id = ? AND substream = ? AND first_index < ? AND first_index >=
             (SELECT coalesce(max(first_index), 0) FROM chunks WHERE stream_id = ? AND substream = ? AND first_index <= ?)
           ORDER BY first_index`,
        )
        .all(streamId, sub, Math.min(end, chunked), streamId, sub, start) as ChunkRow[];
      for (const row of rows) {
        const from = Math.max(start - row.first_index, 0);
        const to = Math.min(end - row.first_index, row.count);
        chunks.push({ row, from, to });
      }
    }
    if (end > chunked) {
      const from = Math.max(start, chunked) - chunked;
      tail = this.tail.read(streamId, sub, from, end - chunked);
    }
    return { chunks, tail };
  }

  readByTime(
    streamId: number,
    sub: SubstreamCode,
    t1: number,
    t2: number | undefined,
    limit: number,
  ): Datapoint[] {
    const upper = t2 ?? Infinity;
    const wanted = limit > 0 ? limit : Infinity;
    const out: Datapoint[] = [];
    const rows = this.h
      .stmt(
        `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE stream_id = ? AND substream = ? AND t_end > ? AND t_start <= ?
         ORDER BY t_end, first_index`,
      )
      .iterate(streamId, sub, t1, upper) as IterableIterator<ChunkRow>;
    for (const row of rows) {
      for (const p of this.decodeChunk(row).pointsBetween(t1, upper, wanted - out.length)) out.push(p);
      if (out.length >= wanted) return out;
    }
    for (const p of this.tail.after(streamId, sub, t1, upper, wanted - out.length)) out.push(p);
    return out;
  }

  length(streamId: number, sub: SubstreamCode): number {
    return this.statsOf(streamId, sub).count;
  }

  timeToIndex(streamId: number, sub: SubstreamCode, t: number): number {
    const stats = this.statsOf(streamId, sub);
    if (stats.count === 0) return 0;
    const row = this.h
      .stmt(
        `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE stream_id = ? AND substream = ? AND t_end > ? ORDER BY t_end, first_index LIMIT 1`,
      )
      .get(streamId, sub, t) as ChunkRow | undefined;
    if (row) return row.first_index + this.countInChunk(row, t);
    return stats.chunkedCount + this.tail.countAtOrBefore(streamId, sub, t);
  }

  /** How many of a chunk's points are at or before `t`: only its times are decoded, if not cached. */
  private countInChunk(row: ChunkRow, t: number): number {
    const chunk = this.cachedOrOversized(row);
    if (chunk) return chunk.countAtOrBefore(t);
    return countAtOrBefore(decodeChunkTimes(this.chunkBytes(row), this.peekScratch.t), t);
  }

  readRollup(streamId: number, sub: SubstreamCode, level: number, t0: number, t1: number): RollupSeries {
    const periods = this.periodsOf(streamId, sub, level, t0, t1);
    return rollupWindow(periods, this.tailOf(streamId, sub, level, t0, t1), level, t0, t1);
  }

  /**
   * The periods' M4 columns come from the plot slab, whose views stay valid only until periods are
   * next put there: the M4 is computed before returning, and a plot of more periods than the slab
   * holds (a very wide plot of years at a fine level) reads them the ordinary way.
   */
  plotRollup(streamId: number, sub: SubstreamCode, plan: RollupPlan, scratch?: ArrayBuffer): M4Result {
    const { level, t0 } = plan;
    const t1 = columnsEnd(plan);
    const rows = this.periodRows(streamId, sub, level, t0, t1);
    const periods = this.plotSlab.holds(rows.length)
      ? rows.map((row) => this.plotPeriod(streamId, sub, level, row.period_start, row.version))
      : rows.map((row) => this.period(streamId, sub, level, row.period_start, row.version).pick(M4_FIELDS));
    const runs = plotRuns(periods, this.tailOf(streamId, sub, level, t0, t1), level, t0, t1);
    return m4FromRollup(runs, plan, scratch);
  }

  deleteData(streamIdSql: string, param: number, sub?: SubstreamCode): void {
    const where = `stream_id IN (${streamIdSql})${sub === undefined ? '' : ` AND substream = ${sub}`}`;
    for (const table of ['chunks', 'rollups', 'stream_stats']) {
      this.h.stmt(`DELETE FROM ${table} WHERE ${where}`).run(param);
    }
    this.tail.deleteWhere(where, param);
    // Rollup versions restart at 1 when a period is written again (and stream ids can be reused),
    // so cached periods of deleted data could pass for the new data's. Deletions are rare.
    this.rollupCache.clear();
    this.plotSlab.clear();
    this.stats.forget();
  }

  forgetCaches(): void {
    this.stats.forget();
    this.tail.reload();
    this.chunkCache.clear();
    this.rollupCache.clear();
    this.plotSlab.clear();
  }
}
