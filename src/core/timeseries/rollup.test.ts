import { describe, expect, it } from 'vitest';
import type { RollupSeries } from './rollup';
import {
  ROLLUP_LEVELS,
  addPoints,
  buildRollup,
  buildRollupPyramid,
  coarsenRollup,
  emptyRollup,
  mergeRollups,
  sliceRollup,
} from './rollup';
import { SERIES_SHAPES, randomSeries } from './testing/randomSeries';
import { randomInt, seededRandom } from './testing/seededRandom';

/** The bucket at `i` as a plain object, for readable assertions. */
function bucket(series: RollupSeries, i: number) {
  return {
    start: series.start[i],
    count: series.count[i],
    first: series.first[i],
    last: series.last[i],
    min: series.min[i],
    max: series.max[i],
    sum: series.sum[i],
    sumSquares: series.sumSquares[i],
    tFirst: series.tFirst[i],
    tLast: series.tLast[i],
    tSum: series.tSum[i],
  };
}

/** Equal bucket by bucket: order-dependent fields exactly, sums up to rounding order. */
function expectSameRollup(actual: RollupSeries, expected: RollupSeries): void {
  expect(actual.widthSeconds).toBe(expected.widthSeconds);
  expect(actual.length).toBe(expected.length);
  for (const field of ['start', 'count', 'first', 'last', 'min', 'max', 'tFirst', 'tLast'] as const) {
    expect(actual[field], field).toEqual(expected[field]);
  }
  for (const field of ['sum', 'sumSquares', 'tSum'] as const) {
    for (let i = 0; i < actual.length; i++) {
      const scale = Math.max(1, Math.abs(expected[field][i]!));
      expect(Math.abs(actual[field][i]! - expected[field][i]!) / scale, field).toBeLessThan(1e-12);
    }
  }
}

describe('buildRollup', () => {
  it('aggregates points into [start, start + width) buckets, negative times included', () => {
    const t = [-15, -10, -10, -1, 0, 9.5, 10];
    const v = [1, 5, -2, 3, 4, -0.5, 8];
    const series = buildRollup(t, v, 10);
    expect(series.length).toBe(4);
    expect(bucket(series, 0)).toEqual({
      start: -20,
      count: 1,
      first: 1,
      last: 1,
      min: 1,
      max: 1,
      sum: 1,
      sumSquares: 1,
      tFirst: -15,
      tLast: -15,
      tSum: -15,
    });
    // Two points at t = -10: the earlier index is first, the later last.
    expect(bucket(series, 1)).toEqual({
      start: -10,
      count: 3,
      first: 5,
      last: 3,
      min: -2,
      max: 5,
      sum: 6,
      sumSquares: 38,
      tFirst: -10,
      tLast: -1,
      tSum: -21,
    });
    expect(bucket(series, 2)).toMatchObject({ start: 0, count: 2, first: 4, last: -0.5, min: -0.5, max: 4 });
    expect(bucket(series, 3)).toMatchObject({ start: 10, count: 1, first: 8, tFirst: 10 });
  });

  it('breaks ties on equal times by insertion order', () => {
    const series = buildRollup([5, 5, 5], [1, 2, 3], 10);
    expect(bucket(series, 0)).toMatchObject({ first: 1, last: 3, tFirst: 5, tLast: 5 });
  });

  it('rejects unsorted times and mismatched lengths', () => {
    expect(() => buildRollup([1, 3, 2], [0, 0, 0], 10)).toThrow(RangeError);
    expect(() => buildRollup([1, 2], [0], 10)).toThrow(RangeError);
    expect(() => buildRollup([], [], 0)).toThrow(RangeError);
  });

  it('builds an empty series from no points', () => {
    expect(buildRollup([], [], 10).length).toBe(0);
  });
});

describe('addPoints and mergeRollups', () => {
  it('equal building from all points when batches land anywhere in time, ties included', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 40; trial++) {
      const width = ROLLUP_LEVELS[trial % 3]!;
      // Reference: every point with its insertion sequence, sorted by (t, sequence) at the end.
      const all: { t: number; v: number; sequence: number }[] = [];
      let series = emptyRollup(width);
      const batches = randomInt(random, 1, 12);
      for (let b = 0; b < batches; b++) {
        const size = randomInt(random, 0, 300);
        const base = 1_700_000_000 + randomInt(random, -500, 500) * 7;
        const t: number[] = [];
        const v: number[] = [];
        for (let i = 0; i < size; i++) {
          // Coarse times make equal timestamps across and within batches common.
          const time = base + randomInt(random, 0, 400) * (random() < 0.5 ? 1 : 0.5);
          const value = randomInt(random, -50, 50);
          t.push(time);
          v.push(value);
          all.push({ t: time, v: value, sequence: all.length });
        }
        series = addPoints(series, t, v);
      }
      all.sort((a, b) => a.t - b.t || a.sequence - b.sequence);
      const expected = buildRollup(
        all.map((p) => p.t),
        all.map((p) => p.v),
        width,
      );
      expectSameRollup(series, expected);
    }
  });

  it('counts the later argument as inserted later', () => {
    const a = buildRollup([10, 12], [1, 2], 10);
    const b = buildRollup([10, 12], [3, 4], 10);
    expect(bucket(mergeRollups(a, b), 0)).toMatchObject({ first: 1, last: 4, count: 4, min: 1, max: 4 });
    expect(bucket(mergeRollups(b, a), 0)).toMatchObject({ first: 3, last: 2 });
  });

  it('rejects merging different levels', () => {
    expect(() => mergeRollups(emptyRollup(10), emptyRollup(60))).toThrow(RangeError);
  });
});

describe('coarsenRollup', () => {
  it('equals building the coarser level from the raw points', () => {
    const random = seededRandom(11);
    for (const shape of SERIES_SHAPES) {
      const { t, v } = randomSeries(random, 20_000, shape);
      const pyramid = buildRollupPyramid(t, v);
      ROLLUP_LEVELS.forEach((width, level) => expectSameRollup(pyramid[level]!, buildRollup(t, v, width)));
    }
  });

  it('rejects a width that is not a whole multiple', () => {
    expect(() => coarsenRollup(emptyRollup(60), 90)).toThrow(RangeError);
    expect(() => coarsenRollup(emptyRollup(60), 30)).toThrow(RangeError);
  });
});

describe('sliceRollup', () => {
  it('returns the buckets overlapping [t0, t1), found by binary search', () => {
    const random = seededRandom(3);
    const { t, v } = randomSeries(random, 5_000, 'gaps');
    const series = buildRollup(t, v, 60);
    for (let trial = 0; trial < 200; trial++) {
      const t0 = t[0]! + (random() - 0.1) * (t[t.length - 1]! - t[0]!);
      const t1 = t0 + random() * 20_000;
      const slice = sliceRollup(series, t0, t1);
      const expected = Array.from(series.start).filter((start) => start + 60 > t0 && start < t1);
      expect(Array.from(slice.start)).toEqual(expected);
      expect(slice.count.length).toBe(slice.length);
    }
  });

  it('shares memory with the series instead of copying', () => {
    const series = buildRollup([0, 10, 20], [1, 2, 3], 10);
    expect(sliceRollup(series, 10, 20).first.buffer).toBe(series.first.buffer);
  });
});
