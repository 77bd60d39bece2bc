import { describe, expect, it } from 'vitest';
import { downsample } from './downsample';
import { buildRollup } from './rollup';

describe('downsample', () => {
  // Two buckets of 10 s: the classic population-std-dev example, then a single point.
  const series = buildRollup([0, 1, 2, 3, 4, 5, 6, 7, 15], [2, 4, 4, 4, 5, 5, 7, 9, 3], 10);

  it('gives one value per bucket for every aggregate', () => {
    const values = (value: Parameters<typeof downsample>[1]['value']) =>
      Array.from(downsample(series, { value, time: 'first' }).v);
    expect(values('mean')).toEqual([5, 3]);
    expect(values('sum')).toEqual([40, 3]);
    expect(values('min')).toEqual([2, 3]);
    expect(values('max')).toEqual([9, 3]);
    expect(values('sum_squares')).toEqual([232, 9]);
    expect(values('count')).toEqual([8, 1]);
  });

  it('uses the population standard deviation (divides by n)', () => {
    expect(Array.from(downsample(series, { value: 'std_dev', time: 'first' }).v)).toEqual([2, 0]);
  });

  it('stamps each bucket with its first, last or mean time', () => {
    expect(Array.from(downsample(series, { value: 'mean', time: 'first' }).t)).toEqual([0, 15]);
    expect(Array.from(downsample(series, { value: 'mean', time: 'last' }).t)).toEqual([7, 15]);
    expect(Array.from(downsample(series, { value: 'mean', time: 'mean' }).t)).toEqual([3.5, 15]);
  });

  it('never returns NaN for a constant bucket whose variance rounds below zero', () => {
    const constant = buildRollup([0, 1, 2], [0.1, 0.1, 0.1], 10);
    const [stdDev] = downsample(constant, { value: 'std_dev', time: 'mean' }).v;
    expect(stdDev).toBeGreaterThanOrEqual(0);
    expect(stdDev).toBeLessThan(1e-8);
  });
});
