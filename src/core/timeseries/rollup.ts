import { bucketStart, lowerBound } from './bucketStart';

/**
 * The rollup pyramid: for each level, numeric datapoints aggregated into buckets of that many
 * seconds. Each level divides the next, so a coarser level is derived from a finer one exactly.
 */
export const ROLLUP_LEVELS: readonly number[] = [10, 60, 600, 3600, 86_400];

/** The aggregate columns of a bucket, besides its `start`. */
export const ROLLUP_FIELDS = [
  'count',
  'first',
  'last',
  'min',
  'max',
  'sum',
  'sumSquares',
  'tFirst',
  'tLast',
  'tSum',
] as const;
export type RollupField = (typeof ROLLUP_FIELDS)[number];

/**
 * A struct-of-arrays series of buckets of one level, sorted by `start` (unix seconds), no two with
 * the same start and none empty. Bucket `i` aggregates the points with `t` in
 * `[start[i], start[i] + widthSeconds)`; `first`/`last` are the values of the earliest/latest point
 * (on equal `t` the point inserted later is the later one), `tFirst`/`tLast` their times, `tSum`
 * the sum of the points' times (for a mean time). Functions here never mutate a series they are
 * given; the arrays of a sliced series are views that share memory with the original.
 */
export interface RollupSeries {
  readonly widthSeconds: number;
  readonly length: number;
  readonly start: Float64Array;
  readonly count: Float64Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly sum: Float64Array;
  readonly sumSquares: Float64Array;
  readonly tFirst: Float64Array;
  readonly tLast: Float64Array;
  readonly tSum: Float64Array;
}

/** The columns an M4 plot reads from a rollup level, besides `start`. */
export const M4_FIELDS = [
  'first',
  'last',
  'min',
  'max',
  'tFirst',
  'tLast',
] as const satisfies readonly RollupField[];

/** Some columns of a rollup series: what a reader asked for, without decoding the rest. */
export type RollupColumns<F extends RollupField> = Pick<
  RollupSeries,
  'widthSeconds' | 'length' | 'start' | F
>;

/** The columns of a rollup series an M4 plot needs. */
export type M4Rollup = RollupColumns<(typeof M4_FIELDS)[number]>;

/** A series of `length` zeroed buckets, to be filled by the functions of this module. */
export function allocateRollup(widthSeconds: number, length: number): RollupSeries {
  if (!(widthSeconds > 0) || !Number.isFinite(widthSeconds)) {
    throw new RangeError(`rollup width must be a positive number of seconds, got ${widthSeconds}`);
  }
  return {
    widthSeconds,
    length,
    start: new Float64Array(length),
    count: new Float64Array(length),
    first: new Float64Array(length),
    last: new Float64Array(length),
    min: new Float64Array(length),
    max: new Float64Array(length),
    sum: new Float64Array(length),
    sumSquares: new Float64Array(length),
    tFirst: new Float64Array(length),
    tLast: new Float64Array(length),
    tSum: new Float64Array(length),
  };
}

/** An empty series of the given level. */
export function emptyRollup(widthSeconds: number): RollupSeries {
  return allocateRollup(widthSeconds, 0);
}

/**
 * Aggregates points into buckets of `widthSeconds`. `t` must be ascending (equal times allowed:
 * later indexes count as inserted later); values are expected finite.
 */
export function buildRollup(t: ArrayLike<number>, v: ArrayLike<number>, widthSeconds: number): RollupSeries {
  const n = t.length;
  if (v.length !== n) throw new RangeError(`t has ${n} points but v has ${v.length}`);
  // First pass counts buckets so the eleven columns are allocated once at their final size.
  let buckets = 0;
  for (let i = 0; i < n;) {
    const end = bucketStart(t[i]!, widthSeconds) + widthSeconds;
    let j = i + 1;
    while (j < n && t[j]! < end) {
      if (t[j]! < t[j - 1]!) throw new RangeError(`t must be ascending (index ${j})`);
      j++;
    }
    buckets++;
    i = j;
  }
  const out = allocateRollup(widthSeconds, buckets);
  let k = 0;
  for (let i = 0; i < n; k++) {
    const start = bucketStart(t[i]!, widthSeconds);
    const end = start + widthSeconds;
    let value = v[i]!;
    let time = t[i]!;
    let min = value;
    let max = value;
    let sum = value;
    let sumSquares = value * value;
    let tSum = time;
    out.tFirst[k] = time;
    out.first[k] = value;
    let j = i + 1;
    for (; j < n && t[j]! < end; j++) {
      value = v[j]!;
      time = t[j]!;
      if (value < min) min = value;
      if (value > max) max = value;
      sum += value;
      sumSquares += value * value;
      tSum += time;
    }
    out.start[k] = start;
    out.count[k] = j - i;
    out.last[k] = value;
    out.tLast[k] = time;
    out.min[k] = min;
    out.max[k] = max;
    out.sum[k] = sum;
    out.sumSquares[k] = sumSquares;
    out.tSum[k] = tSum;
    i = j;
  }
  return out;
}

function copyBucket(dst: RollupSeries, k: number, src: RollupSeries, i: number): void {
  dst.start[k] = src.start[i]!;
  dst.count[k] = src.count[i]!;
  dst.first[k] = src.first[i]!;
  dst.last[k] = src.last[i]!;
  dst.min[k] = src.min[i]!;
  dst.max[k] = src.max[i]!;
  dst.sum[k] = src.sum[i]!;
  dst.sumSquares[k] = src.sumSquares[i]!;
  dst.tFirst[k] = src.tFirst[i]!;
  dst.tLast[k] = src.tLast[i]!;
  dst.tSum[k] = src.tSum[i]!;
}

/**
 * Folds bucket `i` of `src` into bucket `k` of `dst`, `src`'s points counting as inserted later: on
 * equal times the existing first stays first and the incoming last becomes last.
 */
function foldBucket(dst: RollupSeries, k: number, src: RollupSeries, i: number): void {
  dst.count[k]! += src.count[i]!;
  dst.sum[k]! += src.sum[i]!;
  dst.sumSquares[k]! += src.sumSquares[i]!;
  dst.tSum[k]! += src.tSum[i]!;
  if (src.min[i]! < dst.min[k]!) dst.min[k] = src.min[i]!;
  if (src.max[i]! > dst.max[k]!) dst.max[k] = src.max[i]!;
  if (src.tFirst[i]! < dst.tFirst[k]!) {
    dst.tFirst[k] = src.tFirst[i]!;
    dst.first[k] = src.first[i]!;
  }
  if (src.tLast[i]! >= dst.tLast[k]!) {
    dst.tLast[k] = src.tLast[i]!;
    dst.last[k] = src.last[i]!;
  }
}

function assertSameWidth(a: RollupSeries, b: RollupSeries): void {
  if (a.widthSeconds !== b.widthSeconds) {
    throw new RangeError(`cannot merge rollups of ${a.widthSeconds} s and ${b.widthSeconds} s`);
  }
}

/**
 * Merges two series of the same level. `later`'s points count as inserted after `earlier`'s (this
 * decides `first`/`last` between points with equal times), so the storage folds a new batch in
 * with `mergeRollups(existing, fromBatch)`, wherever in time the batch lands.
 */
export function mergeRollups(earlier: RollupSeries, later: RollupSeries): RollupSeries {
  assertSameWidth(earlier, later);
  if (later.length === 0) return earlier;
  if (earlier.length === 0) return later;
  let buckets = 0;
  for (let i = 0, j = 0; i < earlier.length || j < later.length; buckets++) {
    const a = i < earlier.length ? earlier.start[i]! : Infinity;
    const b = j < later.length ? later.start[j]! : Infinity;
    if (a <= b) i++;
    if (b <= a) j++;
  }
  const out = allocateRollup(earlier.widthSeconds, buckets);
  for (let i = 0, j = 0, k = 0; k < buckets; k++) {
    const a = i < earlier.length ? earlier.start[i]! : Infinity;
    const b = j < later.length ? later.start[j]! : Infinity;
    if (a < b) copyBucket(out, k, earlier, i++);
    else if (b < a) copyBucket(out, k, later, j++);
    else {
      copyBucket(out, k, earlier, i++);
      foldBucket(out, k, later, j++);
    }
  }
  return out;
}

/**
 * Adds a batch of points, anywhere in time, to a series; the batch counts as inserted after the
 * series' points, and within the batch later indexes count as later. `t` need not be sorted.
 */
export function addPoints(series: RollupSeries, t: ArrayLike<number>, v: ArrayLike<number>): RollupSeries {
  const n = t.length;
  if (v.length !== n) throw new RangeError(`t has ${n} points but v has ${v.length}`);
  let isSorted = true;
  for (let i = 1; i < n && isSorted; i++) isSorted = t[i - 1]! <= t[i]!;
  if (isSorted) return mergeRollups(series, buildRollup(t, v, series.widthSeconds));
  // Array.prototype.sort is stable, which keeps the insertion order of equal times.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]!);
  const sortedT = Float64Array.from(order, (i) => t[i]!);
  const sortedV = Float64Array.from(order, (i) => v[i]!);
  return mergeRollups(series, buildRollup(sortedT, sortedV, series.widthSeconds));
}

/**
 * The buckets that overlap `[t0, t1)` (unix seconds): those whose start lies in
 * `[bucketStart(t0), t1)`. Found by binary search; the result's arrays are views into `series`.
 */
export function sliceRollup(series: RollupSeries, t0: number, t1: number): RollupSeries {
  const from = lowerBound(series.start, bucketStart(t0, series.widthSeconds));
  const to = Math.max(from, lowerBound(series.start, t1, from));
  return {
    widthSeconds: series.widthSeconds,
    length: to - from,
    start: series.start.subarray(from, to),
    count: series.count.subarray(from, to),
    first: series.first.subarray(from, to),
    last: series.last.subarray(from, to),
    min: series.min.subarray(from, to),
    max: series.max.subarray(from, to),
    sum: series.sum.subarray(from, to),
    sumSquares: series.sumSquares.subarray(from, to),
    tFirst: series.tFirst.subarray(from, to),
    tLast: series.tLast.subarray(from, to),
    tSum: series.tSum.subarray(from, to),
  };
}

/**
 * Derives a coarser level from a finer one. `widthSeconds` must be a whole multiple of the finer
 * width, so every fine bucket lies inside exactly one coarse bucket and the result equals building
 * the coarse level from the raw points (sums up to floating-point rounding order).
 */
export function coarsenRollup(series: RollupSeries, widthSeconds: number): RollupSeries {
  const ratio = widthSeconds / series.widthSeconds;
  if (!Number.isInteger(ratio) || ratio < 1) {
    throw new RangeError(`${widthSeconds} s is not a whole multiple of ${series.widthSeconds} s`);
  }
  const n = series.length;
  let buckets = 0;
  for (let i = 0; i < n; buckets++) {
    const end = bucketStart(series.start[i]!, widthSeconds) + widthSeconds;
    do i++;
    while (i < n && series.start[i]! < end);
  }
  const out = allocateRollup(widthSeconds, buckets);
  for (let i = 0, k = 0; i < n; k++) {
    const start = bucketStart(series.start[i]!, widthSeconds);
    const end = start + widthSeconds;
    copyBucket(out, k, series, i);
    out.start[k] = start;
    // Fine buckets are disjoint and in time order, so folding in order keeps first/last right.
    for (i++; i < n && series.start[i]! < end; i++) foldBucket(out, k, series, i);
  }
  return out;
}

/**
 * Builds every level of the pyramid from ascending raw points: the finest from the points, each
 * coarser one from the level below it. `levels` must be ascending, each a multiple of the previous.
 */
export function buildRollupPyramid(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  levels: readonly number[] = ROLLUP_LEVELS,
): RollupSeries[] {
  const out: RollupSeries[] = [];
  for (const widthSeconds of levels) {
    const finer = out[out.length - 1];
    out.push(finer ? coarsenRollup(finer, widthSeconds) : buildRollup(t, v, widthSeconds));
  }
  return out;
}
