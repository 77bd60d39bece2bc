/**
 * The rollup pyramid on disk: per substream and level, chunks of ROLLUP_CHUNK_BUCKETS consecutive
 * buckets ("periods"), so adding points rewrites only the periods they fall in. Numbers are
 * rolled up as they are, booleans as 0/1 (a plot draws them as an on/off timeline); other values
 * have no rollup.
 */
import type { Datapoint } from '../../../core/model';
import {
  addPoints,
  allocateRollup,
  bucketStart,
  buildRollup,
  coarsenRollup,
  emptyRollup,
  mergeRollups,
  ROLLUP_FIELDS,
  ROLLUP_LEVELS,
  sliceRollup,
  type M4Rollup,
  type RollupSeries,
} from '../../../core/timeseries';
import type { RollupPeriod } from './RollupPeriod';

export { ROLLUP_LEVELS };
/**
 * Buckets per stored period. Each tail fold rewrites the periods it touches at every level, so a
 * period is kept small enough to re-encode in well under a millisecond (1,024 buckets: 2.8 hours
 * at the 10 s level, 28 years at 1 d), and a plot of a short window decodes little it does not draw.
 */
export const ROLLUP_CHUNK_BUCKETS = 1024;

export const periodSeconds = (level: number) => level * ROLLUP_CHUNK_BUCKETS;
export const periodStart = (t: number, level: number) => bucketStart(t, periodSeconds(level));

export interface NumericSamples {
  t: Float64Array;
  v: Float64Array;
}

/** The plottable values of datapoints: finite numbers, and booleans as 0 and 1. */
export function numericSamples(points: readonly Datapoint[]): NumericSamples {
  const t = new Float64Array(points.length);
  const v = new Float64Array(points.length);
  let n = 0;
  for (const p of points) {
    const d = p.d;
    if (typeof d === 'number' && Number.isFinite(d)) {
      t[n] = p.t;
      v[n++] = d;
    } else if (typeof d === 'boolean') {
      t[n] = p.t;
      v[n++] = d ? 1 : 0;
    }
  }
  return { t: t.subarray(0, n), v: v.subarray(0, n) };
}

/** Samples of consecutive positions, in order, as one (a single part is returned as it is). */
export function concatSamples(parts: readonly NumericSamples[]): NumericSamples {
  if (parts.length === 1) return parts[0]!;
  const length = parts.reduce((n, p) => n + p.t.length, 0);
  const out = { t: new Float64Array(length), v: new Float64Array(length) };
  let offset = 0;
  for (const part of parts) {
    out.t.set(part.t, offset);
    out.v.set(part.v, offset);
    offset += part.t.length;
  }
  return out;
}

/** New buckets for one stored period of one level. */
export interface PeriodUpdate {
  level: number;
  period: number;
  buckets: RollupSeries;
}

/**
 * The rollup buckets of a batch of points in storage order, split by level and period, ready to
 * be merged into the stored periods (`mergeRollups(stored, update.buckets)`: the batch arrived
 * later). One pass over the points builds the finest level; coarser levels come from it.
 */
export function periodUpdates(points: readonly Datapoint[]): PeriodUpdate[] {
  const samples = numericSamples(points);
  if (samples.t.length === 0) return [];
  const finest = buildRollup(samples.t, samples.v, ROLLUP_LEVELS[0]!);
  const updates: PeriodUpdate[] = [];
  for (const level of ROLLUP_LEVELS) {
    const series = level === finest.widthSeconds ? finest : coarsenRollup(finest, level);
    for (let from = 0; from < series.length;) {
      const period = periodStart(series.start[from]!, level);
      const buckets = sliceRollup(series, series.start[from]!, period + periodSeconds(level));
      updates.push({ level, period, buckets });
      from += buckets.length;
    }
  }
  return updates;
}

/** Groups samples by the rollup period of `level` they fall in (samples need not be sorted). */
export function samplesByPeriod(samples: NumericSamples, level: number): Map<number, NumericSamples> {
  const groups = new Map<number, { t: number[]; v: number[] }>();
  for (let i = 0; i < samples.t.length; i++) {
    const start = periodStart(samples.t[i]!, level);
    let group = groups.get(start);
    if (!group) groups.set(start, (group = { t: [], v: [] }));
    group.t.push(samples.t[i]!);
    group.v.push(samples.v[i]!);
  }
  const out = new Map<number, NumericSamples>();
  for (const [start, g] of groups) out.set(start, { t: Float64Array.from(g.t), v: Float64Array.from(g.v) });
  return out;
}

/** A period's buckets after adding samples that arrived later than the ones it holds. */
export function addToPeriod(
  existing: RollupSeries | undefined,
  level: number,
  samples: NumericSamples,
): RollupSeries {
  return addPoints(existing ?? emptyRollup(level), samples.t, samples.v);
}

/** Concatenates disjoint, time-ordered series of one level (periods read in order). */
export function concatRollups(parts: readonly RollupSeries[], level: number): RollupSeries {
  if (parts.length === 1) return parts[0]!;
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = allocateRollup(level, length);
  let offset = 0;
  for (const part of parts) {
    for (const field of ['start', ...ROLLUP_FIELDS] as const) out[field].set(part[field], offset);
    offset += part.length;
  }
  return out;
}

/** The tail points whose buckets of `level` overlap [t0, t1), as samples. */
function tailSamples(
  tailPoints: readonly Datapoint[],
  level: number,
  t0: number,
  t1: number,
): NumericSamples {
  const first = bucketStart(t0, level);
  return numericSamples(tailPoints.filter((p) => p.t >= first && bucketStart(p.t, level) < t1));
}

/**
 * A bound on the times of points whose buckets of `level` overlap [t0, t1), for readers that ask
 * the database for them (tail points, or rows); the buckets are then picked exactly.
 */
export function tailBounds(level: number, t0: number, t1: number): { from: number; before: number } {
  return { from: bucketStart(t0, level), before: t1 + level };
}

/** The rollup of one level over [t0, t1): stored periods plus the not-yet-folded tail points. */
export function rollupWindow(
  periods: readonly RollupPeriod[],
  tailPoints: readonly Datapoint[],
  level: number,
  t0: number,
  t1: number,
): RollupSeries {
  const stored = periods.length > 0 ? periods.map((p) => p.series()) : [emptyRollup(level)];
  let series = sliceRollup(concatRollups(stored, level), t0, t1);
  // Tail points count when their bucket overlaps the window, like the stored buckets do.
  const tail = tailSamples(tailPoints, level, t0, t1);
  if (tail.t.length > 0) series = mergeRollups(series, buildRollup(tail.t, tail.v, level));
  return series;
}

/**
 * What an M4 plot of one level over [t0, t1) reads: the M4 columns of the stored periods, uncopied,
 * then a run of the tail points' buckets (in storage order, as `m4FromRollup` takes them).
 */
export function plotRuns(
  periods: readonly M4Rollup[],
  tailPoints: readonly Datapoint[],
  level: number,
  t0: number,
  t1: number,
): M4Rollup[] {
  const runs = [...periods];
  const tail = tailSamples(tailPoints, level, t0, t1);
  if (tail.t.length > 0) runs.push(buildRollup(tail.t, tail.v, level));
  return runs;
}
