/**
 * One row per datapoint: the straightforward layout, kept as the baseline the benchmarks measure
 * chunked storage against (and as a second implementation the contract suite checks).
 */
import type { Datapoint } from '../../../core/model';
import {
  buildRollup,
  columnsEnd,
  m4FromRollup,
  sliceRollup,
  type M4Result,
  type RollupPlan,
  type RollupSeries,
} from '../../../core/timeseries';
import { planInsert, type InsertPlan } from '../insertRules';
import { numericSamples, tailBounds, type NumericSamples } from '../series/rollupPeriods';
import type { InsertMode } from '../Storage';
import {
  rowToDatapoint,
  StreamStatsTable,
  type SqliteHandle,
  type SqliteSeries,
  type SubstreamCode,
} from './SqliteSeries';

type Row = { t: number; d: string; o: string | null };

export class SqliteRowSeries implements SqliteSeries {
  private readonly stats: StreamStatsTable;

  constructor(private readonly h: SqliteHandle) {
    this.stats = new StreamStatsTable(h);
  }

  insert(streamId: number, sub: SubstreamCode, points: readonly Datapoint[], mode: InsertMode): InsertPlan {
    const stats = this.stats.read(streamId, sub);
    const plan = planInsert(points, stats?.lastT, mode);
    if (!plan.ok || plan.points.length === 0) return plan;
    const insert = this.h.stmt(
      'INSERT INTO datapoints (stream_id, substream, t, d, o) VALUES (?, ?, ?, ?, ?)',
    );
    let lastT = stats?.lastT ?? -Infinity;
    for (const p of plan.points) {
      insert.run(streamId, sub, p.t, JSON.stringify(p.d ?? null), p.o || null);
      if (p.t > lastT) lastT = p.t;
    }
    this.stats.write(streamId, sub, {
      count: (stats?.count ?? 0) + plan.points.length,
      lastT,
      chunkedCount: 0,
      chunkEndT: 0,
    });
    return plan;
  }

  hasFoldDue(): boolean {
    return false;
  }

  foldDue(): void {}

  readByIndex(streamId: number, sub: SubstreamCode, start: number, end: number): Datapoint[] {
    if (end <= start) return [];
    const rows = this.h
      .stmt(
        'SELECT t, d, o FROM datapoints WHERE stream_id = ? AND substream = ? ORDER BY t, id LIMIT ? OFFSET ?',
      )
      .all(streamId, sub, end - start, start) as Row[];
    return rows.map(rowToDatapoint);
  }

  readSamples(streamId: number, sub: SubstreamCode, start: number, end: number): NumericSamples {
    return numericSamples(this.readByIndex(streamId, sub, start, end));
  }

  readByTime(
    streamId: number,
    sub: SubstreamCode,
    t1: number,
    t2: number | undefined,
    limit: number,
  ): Datapoint[] {
    const rows = this.h
      .stmt(
        'SELECT t, d, o FROM datapoints WHERE stream_id = ? AND substream = ? AND t > ? AND t <= ? ORDER BY t, id LIMIT ?',
      )
      .all(streamId, sub, t1, t2 ?? Infinity, limit > 0 ? limit : -1) as Row[];
    return rows.map(rowToDatapoint);
  }

  length(streamId: number, sub: SubstreamCode): number {
    return this.stats.read(streamId, sub)?.count ?? 0;
  }

  timeToIndex(streamId: number, sub: SubstreamCode, t: number): number {
    const row = this.h
      .stmt('SELECT count(*) AS n FROM datapoints WHERE stream_id = ? AND substream = ? AND t <= ?')
      .get(streamId, sub, t) as { n: number };
    return row.n;
  }

  /** Without a pyramid, every rollup is computed from the raw rows: the cost chunked storage avoids. */
  readRollup(streamId: number, sub: SubstreamCode, level: number, t0: number, t1: number): RollupSeries {
    // Whole buckets: every point of the buckets that overlap the window, as the pyramid holds them.
    const { from, before } = tailBounds(level, t0, t1);
    const rows = this.h
      .stmt(
        'SELECT t, d FROM datapoints WHERE stream_id = ? AND substream = ? AND t >= ? AND t < ? ORDER BY t, id',
      )
      .all(streamId, sub, from, before) as { t: number; d: string }[];
    const samples = numericSamples(rows.map((r) => ({ t: r.t, d: JSON.parse(r.d) })));
    return sliceRollup(buildRollup(samples.t, samples.v, level), t0, t1);
  }

  plotRollup(streamId: number, sub: SubstreamCode, plan: RollupPlan, scratch?: ArrayBuffer): M4Result {
    return m4FromRollup(
      [this.readRollup(streamId, sub, plan.level, plan.t0, columnsEnd(plan))],
      plan,
      scratch,
    );
  }

  deleteData(streamIdSql: string, param: number, sub?: SubstreamCode): void {
    const where = `stream_id IN (${streamIdSql})${sub === undefined ? '' : ` AND substream = ${sub}`}`;
    this.h.stmt(`DELETE FROM datapoints WHERE ${where}`).run(param);
    this.h.stmt(`DELETE FROM stream_stats WHERE ${where}`).run(param);
    this.stats.forget();
  }

  forgetCaches(): void {
    this.stats.forget();
  }
}
