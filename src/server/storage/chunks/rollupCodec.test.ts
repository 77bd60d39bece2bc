import { describe, expect, it } from 'vitest';
import type { RollupSeries } from '../../../core/timeseries/rollup';
import {
  ROLLUP_FIELDS,
  ROLLUP_LEVELS,
  buildRollupPyramid,
  emptyRollup,
} from '../../../core/timeseries/rollup';
import { SERIES_SHAPES, randomSeries } from '../../../core/timeseries/testing/randomSeries';
import { seededRandom } from '../../../core/timeseries/testing/seededRandom';
import { decodeRollupChunk, encodeRollupChunk } from './rollupCodec';
import { isSameBits, randomFloat } from './testing/randomFloats';

function expectSameSeries(actual: RollupSeries, expected: RollupSeries): void {
  expect(actual.widthSeconds).toBe(expected.widthSeconds);
  expect(actual.length).toBe(expected.length);
  for (const column of ['start', ...ROLLUP_FIELDS] as const) {
    expect(isSameBits(actual[column], expected[column]), column).toBe(true);
  }
}

describe('encodeRollupChunk / decodeRollupChunk', () => {
  it('round-trips every level of random pyramids bit for bit', () => {
    const random = seededRandom(12);
    for (const shape of SERIES_SHAPES) {
      const { t, v } = randomSeries(random, 20_000, shape);
      for (const series of buildRollupPyramid(t, v))
        expectSameSeries(decodeRollupChunk(encodeRollupChunk(series)), series);
    }
  });

  it('round-trips buckets of extreme values and an empty series', () => {
    const random = seededRandom(13);
    const t = Float64Array.from({ length: 3000 }, (_, i) => -5000 + i * 3.7);
    const v = Float64Array.from({ length: 3000 }, () => randomFloat(random) / 1e10);
    for (const series of buildRollupPyramid(t, v))
      expectSameSeries(decodeRollupChunk(encodeRollupChunk(series)), series);
    expectSameSeries(decodeRollupChunk(encodeRollupChunk(emptyRollup(60))), emptyRollup(60));
  });

  it('stores a day of 10 s buckets of a 1 Hz reading in about 12 bytes per bucket', () => {
    const random = seededRandom(14);
    const t = Float64Array.from({ length: 86_400 }, (_, i) => 1_704_067_200 + i);
    const v = Float64Array.from(
      { length: 86_400 },
      (_, i) => Math.round((20 + Math.sin(i / 5000) + random()) * 100) / 100,
    );
    const [tenSeconds] = buildRollupPyramid(t, v, ROLLUP_LEVELS.slice(0, 1));
    expect(encodeRollupChunk(tenSeconds!).length / tenSeconds!.length).toBeLessThan(16);
  });

  it('rejects data it did not write', () => {
    const bytes = encodeRollupChunk(emptyRollup(10));
    expect(() => decodeRollupChunk(Uint8Array.from([9, ...bytes.subarray(1)]))).toThrow(RangeError);
    expect(() => decodeRollupChunk(Uint8Array.from([...bytes, 1]))).toThrow(RangeError);
  });
});
