import { columnOf, lowerBound } from './bucketStart';
import type { PlotColumns } from './planPlot';
import type { RollupSeries } from './rollup';

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

/** Column-major scratch arrays, trimmed to the filled length at the end. */
function allocate(capacity: number) {
  return {
    column: new Uint32Array(capacity),
    first: new Float64Array(capacity),
    min: new Float64Array(capacity),
    max: new Float64Array(capacity),
    last: new Float64Array(capacity),
    tFirst: new Float64Array(capacity),
    tLast: new Float64Array(capacity),
  };
}

function trim(columns: PlotColumns, a: ReturnType<typeof allocate>, length: number): M4Result {
  return {
    t0: columns.t0,
    columnWidth: columns.columnWidth,
    column: a.column.slice(0, length),
    first: a.first.slice(0, length),
    min: a.min.slice(0, length),
    max: a.max.slice(0, length),
    last: a.last.slice(0, length),
    tFirst: a.tFirst.slice(0, length),
    tLast: a.tLast.slice(0, length),
  };
}

/**
 * M4 of raw points over the columns `[0, width)`; points outside them are ignored. `t` must be
 * ascending; on equal times the later index is the later point.
 */
export function m4FromPoints(t: ArrayLike<number>, v: ArrayLike<number>, columns: PlotColumns): M4Result {
  const { t0, columnWidth, width } = columns;
  const from = lowerBound(t, t0);
  const to = lowerBound(t, t0 + width * columnWidth, from);
  const out = allocate(Math.min(width, to - from));
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
  return trim(columns, out, k + 1);
}

/**
 * M4 from the rollup level a plan chose. Exact (equal to `m4FromPoints` on the raw points) when the
 * plan's columns are whole buckets, as `planPlot` makes them; each bucket is attributed to the
 * column holding its start, so a hand-made misaligned plan gives a wrong plot, not an error.
 */
export function m4FromRollup(series: RollupSeries, plan: PlotColumns & { level: number }): M4Result {
  if (series.widthSeconds !== plan.level) {
    throw new RangeError(`plan reads level ${plan.level} s but the series is ${series.widthSeconds} s`);
  }
  const { t0, columnWidth, width } = plan;
  const from = lowerBound(series.start, t0);
  const to = lowerBound(series.start, t0 + width * columnWidth, from);
  const out = allocate(Math.min(width, to - from));
  let k = -1;
  let columnEnd = -Infinity;
  for (let i = from; i < to; i++) {
    const start = series.start[i]!;
    if (start >= columnEnd) {
      const column = columnOf(start, t0, columnWidth);
      columnEnd = t0 + (column + 1) * columnWidth;
      k++;
      out.column[k] = column;
      out.first[k] = series.first[i]!;
      out.tFirst[k] = series.tFirst[i]!;
      out.min[k] = series.min[i]!;
      out.max[k] = series.max[i]!;
    } else {
      if (series.min[i]! < out.min[k]!) out.min[k] = series.min[i]!;
      if (series.max[i]! > out.max[k]!) out.max[k] = series.max[i]!;
    }
    out.last[k] = series.last[i]!;
    out.tLast[k] = series.tLast[i]!;
  }
  return trim(plan, out, k + 1);
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
