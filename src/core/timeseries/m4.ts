import { columnOf, lowerBound } from './bucketStart';
import { allocateM4, finishM4 } from './m4Binary';
import { columnsEnd, type PlotColumns, type RollupPlan } from './planPlot';
import type { M4Rollup } from './rollup';

/**
 * M4 plot data: for each non-empty pixel column, the first, minimum, maximum and last value and
 * the times of the first and last point. Columnar and compact: only non-empty columns are listed,
 * `column[i]` being the index (from `t0`, in steps of `columnWidth` seconds) of entry `i`.
 */
export interface M4Result {
  /** Start of column 0, unix seconds. */
  t0: number;
  /** Seconds per column. */
  columnWidth: number;
  column: Uint32Array;
  first: Float64Array;
  min: Float64Array;
  max: Float64Array;
  last: Float64Array;
  tFirst: Float64Array;
  tLast: Float64Array;
}

/**
 * M4 of raw points over the columns `[0, width)`; points outside them are ignored. `t` must be
 * ascending; on equal times the later index is the later point. With `scratch` (at least
 * `m4BinaryBytes(width)` bytes) the result is written into it (see `allocateM4`).
 */
export function m4FromPoints(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  columns: PlotColumns,
  scratch?: ArrayBuffer,
): M4Result {
  const { t0, columnWidth, width } = columns;
  const from = lowerBound(t, t0);
  const to = lowerBound(t, columnsEnd(columns), from);
  const out = allocateM4(Math.min(width, to - from), scratch);
  let k = -1;
  let columnEnd = -Infinity;
  for (let i = from; i < to; i++) {
    const time = t[i]!;
    const value = v[i]!;
    if (time >= columnEnd) {
      const column = columnOf(time, t0, columnWidth);
      columnEnd = t0 + (column + 1) * columnWidth;
      k++;
      out.column[k] = column;
      out.first[k] = value;
      out.min[k] = value;
      out.max[k] = value;
      out.tFirst[k] = time;
    } else {
      if (value < out.min[k]!) out.min[k] = value;
      if (value > out.max[k]!) out.max[k] = value;
    }
    out.last[k] = value;
    out.tLast[k] = time;
  }
  return finishM4(out, k + 1, t0, columnWidth, scratch !== undefined);
}

/**
 * M4 from the rollup level a plan chose. Exact (equal to `m4FromPoints` on the raw points) when the
 * plan's columns are whole buckets, as `planPlot` makes them; each bucket is attributed to the
 * column holding its start, so a hand-made misaligned plan gives a wrong plot, not an error.
 *
 * The buckets may come as several runs (stored periods, then the buckets of points not yet folded
 * into them), in storage order: a run may start with a bucket the previous one ended with (a
 * bucket split between stored and newer points), which merges into the same column. `scratch` is
 * as for `m4FromPoints`.
 */
export function m4FromRollup(series: readonly M4Rollup[], plan: RollupPlan, scratch?: ArrayBuffer): M4Result {
  for (const run of series) {
    if (run.widthSeconds !== plan.level) {
      throw new RangeError(`plan reads level ${plan.level} s but the series is ${run.widthSeconds} s`);
    }
  }
  const { t0, columnWidth, width } = plan;
  const end = columnsEnd(plan);
  const bounds = series.map((run) => {
    const from = lowerBound(run.start, t0);
    return [from, lowerBound(run.start, end, from)] as const;
  });
  const buckets = bounds.reduce((n, [from, to]) => n + to - from, 0);
  const out = allocateM4(Math.min(width, buckets), scratch);
  let k = -1;
  let columnEnd = -Infinity;
  for (let r = 0; r < series.length; r++) {
    const { start, first, last, min, max, tFirst, tLast } = series[r]!;
    const [from, to] = bounds[r]!;
    for (let i = from; i < to; i++) {
      const bucket = start[i]!;
      if (bucket >= columnEnd) {
        const column = columnOf(bucket, t0, columnWidth);
        columnEnd = t0 + (column + 1) * columnWidth;
        k++;
        out.column[k] = column;
        out.first[k] = first[i]!;
        out.tFirst[k] = tFirst[i]!;
        out.min[k] = min[i]!;
        out.max[k] = max[i]!;
      } else {
        if (min[i]! < out.min[k]!) out.min[k] = min[i]!;
        if (max[i]! > out.max[k]!) out.max[k] = max[i]!;
      }
      out.last[k] = last[i]!;
      out.tLast[k] = tLast[i]!;
    }
  }
  return finishM4(out, k + 1, t0, columnWidth, scratch !== undefined);
}

/**
 * The points to draw for an M4 result, ascending in time: per column the first point, then the
 * minimum and maximum where they reach beyond the first and last values, then the last point.
 * Min and max are placed midway between the column's first and last times, so they rasterise in
 * that column; of the two, the one nearer the first value comes first, which keeps the vertical
 * stroke short. Drawn as a line, this covers exactly the pixels the raw points would.
 */
export function m4ToPolyline(result: M4Result): { t: Float64Array; v: Float64Array } {
  const n = result.column.length;
  const t = new Float64Array(4 * n);
  const v = new Float64Array(4 * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const tFirst = result.tFirst[i]!;
    const tLast = result.tLast[i]!;
    const first = result.first[i]!;
    const last = result.last[i]!;
    const min = result.min[i]!;
    const max = result.max[i]!;
    t[k] = tFirst;
    v[k++] = first;
    const hasMin = min < Math.min(first, last);
    const hasMax = max > Math.max(first, last);
    if (hasMin || hasMax) {
      // Clamped: a + (b - a) / 2 can round just outside [a, b].
      const tMid = Math.min(tLast, Math.max(tFirst, tFirst + (tLast - tFirst) / 2));
      const isMinFirst = first - min <= max - first;
      if (hasMin && (isMinFirst || !hasMax)) {
        t[k] = tMid;
        v[k++] = min;
      }
      if (hasMax) {
        t[k] = tMid;
        v[k++] = max;
      }
      if (hasMin && hasMax && !isMinFirst) {
        t[k] = tMid;
        v[k++] = min;
      }
    }
    if (tLast !== tFirst || last !== first) {
      t[k] = tLast;
      v[k++] = last;
    }
  }
  return { t: t.slice(0, k), v: v.slice(0, k) };
}
