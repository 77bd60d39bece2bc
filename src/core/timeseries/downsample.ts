import type { RollupSeries } from './rollup';

/** Which aggregate of a bucket becomes the downsampled value. */
export type DownsampleValue = 'mean' | 'sum' | 'min' | 'max' | 'sum_squares' | 'std_dev' | 'count';
/** Which time stands for a bucket: its first point's, its last point's, or the mean of its points'. */
export type DownsampleTime = 'first' | 'last' | 'mean';

export interface DownsampleOptions {
  value: DownsampleValue;
  time: DownsampleTime;
}

/**
 * One point per bucket, for the Datastream downsamplers. `std_dev` is the *population* standard
 * deviation `sqrt(sumSquares / count - mean²)` (divide by n, not n − 1: a bucket is the whole
 * population of its points); the subtraction can dip below zero by rounding, which clamps to 0.
 */
export function downsample(
  series: RollupSeries,
  options: DownsampleOptions,
): { t: Float64Array; v: Float64Array } {
  const n = series.length;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const { count, sum } = series;
  switch (options.time) {
    case 'first':
      t.set(series.tFirst);
      break;
    case 'last':
      t.set(series.tLast);
      break;
    case 'mean':
      for (let i = 0; i < n; i++) t[i] = series.tSum[i]! / count[i]!;
      break;
  }
  switch (options.value) {
    case 'mean':
      for (let i = 0; i < n; i++) v[i] = sum[i]! / count[i]!;
      break;
    case 'sum':
      v.set(sum);
      break;
    case 'min':
      v.set(series.min);
      break;
    case 'max':
      v.set(series.max);
      break;
    case 'sum_squares':
      v.set(series.sumSquares);
      break;
    case 'count':
      v.set(count);
      break;
    case 'std_dev':
      for (let i = 0; i < n; i++) {
        const mean = sum[i]! / count[i]!;
        v[i] = Math.sqrt(Math.max(0, series.sumSquares[i]! / count[i]! - mean * mean));
      }
      break;
  }
  return { t, v };
}
