import { ROLLUP_CHUNK_BUCKETS } from '../series/rollupPeriods';
import { describe, expect, it } from 'vitest';
import type { RollupSeries } from '../../../core/timeseries/rollup';
import {
  ROLLUP_FIELDS,
  ROLLUP_LEVELS,
  allocateRollup,
  buildRollup,
  coarsenRollup,
  sliceRollup,
} from '../../../core/timeseries/rollup';
import { gaussian, pick, randomInt, seededRandom } from '../../../core/timeseries/testing/seededRandom';
import type { ChunkValues, DecodedChunk } from './chunkCodec';
import { decodeChunk, decodeChunkTimes, encodeChunk } from './chunkCodec';
import { encodeRollupChunk } from './rollupCodec';
import { classifyValues } from './classifyValues';
import { isSameBits, randomFloat } from './testing/randomFloats';

function randomTimes(random: () => number, n: number): Float64Array {
  const t = new Float64Array(n);
  let time = pick(random, [0, 1_700_000_000, -1e9, 1_700_000_000.123456]);
  const style = randomInt(random, 0, 4);
  for (let i = 0; i < n; i++) {
    if (style === 0) time += 1;
    else if (style === 1) time += random() < 0.2 ? 0 : random() < 0.01 ? 1e7 * random() : random();
    else if (style === 2) time += randomInt(random, 0, 100);
    else if (style === 3) time = randomFloat(random);
    else time = Math.round((time + random()) * 1e3) / 1e3;
    t[i] = time;
  }
  return t;
}

function randomValues(random: () => number, n: number): ChunkValues {
  switch (randomInt(random, 0, 5)) {
    case 0:
      return { kind: 'number', values: Float64Array.from({ length: n }, () => randomFloat(random)) };
    case 1:
      return {
        kind: 'number',
        values: Float64Array.from({ length: n }, (_, i) => Math.round(Math.sin(i) * 1e4) / 100),
      };
    case 2:
      return { kind: 'number', values: Float64Array.from({ length: n }, () => randomInt(random, 0, 10)) };
    case 3:
      return { kind: 'boolean', values: Uint8Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0)) };
    case 4:
      return classifyValues(
        Array.from({ length: n }, (_, i) => pick(random, [null, 'text ✓', { i }, [1, 2], false])),
      );
    default:
      return { kind: 'json', values: Array.from({ length: n }, () => JSON.stringify(randomFloat(random))) };
  }
}

function expectSameChunk(actual: DecodedChunk, expected: DecodedChunk): void {
  expect(isSameBits(actual.t, expected.t)).toBe(true);
  expect(actual.values.kind).toBe(expected.values.kind);
  if (expected.values.kind === 'number') {
    expect(isSameBits(actual.values.values as Float64Array, expected.values.values)).toBe(true);
  } else {
    expect(actual.values.values).toEqual(expected.values.values);
  }
  const hasWriter = expected.o?.some((path) => path !== undefined) ?? false;
  expect(actual.o).toEqual(hasWriter ? expected.o : undefined);
}

describe('encodeChunk / decodeChunk', () => {
  it('round-trips random chunks exactly: any finite times, extreme floats, booleans, JSON, writers', () => {
    const random = seededRandom(42);
    for (let trial = 0; trial < 500; trial++) {
      const n = randomInt(random, 0, trial % 10 === 0 ? 5000 : 300);
      const chunk: DecodedChunk = { t: randomTimes(random, n), values: randomValues(random, n) };
      if (random() < 0.3)
        chunk.o = Array.from({ length: n }, () =>
          random() < 0.8 ? undefined : pick(random, ['a/b', 'c/d']),
        );
      expectSameChunk(decodeChunk(encodeChunk(chunk)), chunk);
    }
  });

  it('decodes times and numbers into scratch, and times alone, to the same bits', () => {
    const random = seededRandom(9);
    const scratch = { t: new Float64Array(400), numbers: new Float64Array(400) };
    for (let trial = 0; trial < 200; trial++) {
      const n = randomInt(random, 0, 400);
      const chunk: DecodedChunk = { t: randomTimes(random, n), values: randomValues(random, n) };
      const bytes = encodeChunk(chunk);
      const decoded = decodeChunk(bytes, scratch);
      expectSameChunk(decoded, chunk);
      expect(decoded.t.buffer).toBe(scratch.t.buffer);
      if (decoded.values.kind === 'number') expect(decoded.values.values.buffer).toBe(scratch.numbers.buffer);
      expect(isSameBits(decodeChunkTimes(bytes), chunk.t)).toBe(true);
      const times = decodeChunkTimes(bytes, scratch.t);
      expect(isSameBits(times, chunk.t) && times.buffer === scratch.t.buffer).toBe(true);
    }
    const big = encodeChunk({
      t: new Float64Array(401),
      values: { kind: 'number', values: new Float64Array(401) },
    });
    expect(() => decodeChunk(big, scratch)).toThrow(RangeError);
  });

  it('keeps -0 and the largest and smallest floats, as values and as times', () => {
    const special = Float64Array.from([0, -0, 1e308, 5e-324, -5e-324, -1e308, 1_700_000_000.5]);
    const chunk: DecodedChunk = { t: special, values: { kind: 'number', values: special.slice().reverse() } };
    expectSameChunk(decodeChunk(encodeChunk(chunk)), chunk);
  });

  it('spends nothing on writer paths when no point has one', () => {
    const t = Float64Array.from([1, 2, 3]);
    const values: ChunkValues = { kind: 'number', values: Float64Array.from([1, 2, 3]) };
    const without = encodeChunk({ t, values });
    expect(encodeChunk({ t, values, o: [undefined, undefined, undefined] })).toEqual(without);
    expect(decodeChunk(without).o).toBeUndefined();
  });

  it('rejects mismatched columns', () => {
    const t = Float64Array.from([1, 2]);
    expect(() => encodeChunk({ t, values: { kind: 'number', values: Float64Array.from([1]) } })).toThrow(
      RangeError,
    );
    expect(() =>
      encodeChunk({ t, values: { kind: 'boolean', values: Uint8Array.from([1, 0]) }, o: ['a'] }),
    ).toThrow(RangeError);
  });

  it('rejects data it did not write: other versions, truncation, trailing bytes', () => {
    const bytes = encodeChunk({
      t: Float64Array.from([1, 2]),
      values: { kind: 'json', values: ['1', '"a"'] },
    });
    expect(() => decodeChunk(Uint8Array.from([2, ...bytes.subarray(1)]))).toThrow(RangeError);
    expect(() => decodeChunk(bytes.subarray(0, bytes.length - 1))).toThrow();
    expect(() => decodeChunk(Uint8Array.from([...bytes, 0]))).toThrow(RangeError);
    expect(() => decodeChunk(Uint8Array.from([1, 0xf0, 0]))).toThrow(RangeError);
  });
});

describe('storage budget (DESIGN.md §7: ≤ 4 bytes per numeric datapoint)', () => {
  const DAY_SECONDS = 86_400;
  const DAYS = 365;
  /** Raw chunks of 4,320 points: a few thousand, and 20 to a day. */
  const RAW_CHUNK_POINTS = 4320;

  function concatRollups(parts: RollupSeries[]): RollupSeries {
    const out = allocateRollup(
      parts[0]!.widthSeconds,
      parts.reduce((sum, part) => sum + part.length, 0),
    );
    let offset = 0;
    for (const part of parts) {
      for (const column of ['start', ...ROLLUP_FIELDS] as const) out[column].set(part[column], offset);
      offset += part.length;
    }
    return out;
  }

  function encodedRollupBytes(series: RollupSeries): number {
    let bytes = 0;
    const spanSeconds = ROLLUP_CHUNK_BUCKETS * series.widthSeconds;
    for (let from = series.start[0]!; from <= series.start[series.length - 1]!; from += spanSeconds) {
      bytes += encodeRollupChunk(sliceRollup(series, from, from + spanSeconds)).length;
    }
    return bytes;
  }

  /**
   * Bytes per point of a year at 1 Hz, timestamps included: raw chunks, and the whole rollup
   * pyramid in chunks of 4,096 buckets. Generated a day at a time to keep memory small.
   */
  function bytesPerPoint(valueAt: (s: number, random: () => number) => number): {
    raw: number;
    rollups: number;
  } {
    const random = seededRandom(2024);
    const t0 = 1_704_067_200; // midnight UTC, so days hold whole buckets of every level
    const t = new Float64Array(DAY_SECONDS);
    const v = new Float64Array(DAY_SECONDS);
    let rawBytes = 0;
    let rollupBytes = 0;
    const minutes: RollupSeries[] = [];
    for (let day = 0; day < DAYS; day++) {
      for (let i = 0; i < DAY_SECONDS; i++) {
        const s = day * DAY_SECONDS + i;
        t[i] = t0 + s;
        v[i] = valueAt(s, random);
      }
      for (let from = 0; from < DAY_SECONDS; from += RAW_CHUNK_POINTS) {
        const to = from + RAW_CHUNK_POINTS;
        rawBytes += encodeChunk({
          t: t.subarray(from, to),
          values: { kind: 'number', values: v.subarray(from, to) },
        }).length;
      }
      const tenSeconds = buildRollup(t, v, ROLLUP_LEVELS[0]!);
      rollupBytes += encodedRollupBytes(tenSeconds);
      minutes.push(coarsenRollup(tenSeconds, ROLLUP_LEVELS[1]!));
    }
    let level = concatRollups(minutes);
    rollupBytes += encodedRollupBytes(level);
    for (const widthSeconds of ROLLUP_LEVELS.slice(2)) {
      level = coarsenRollup(level, widthSeconds);
      rollupBytes += encodedRollupBytes(level);
    }
    const points = DAYS * DAY_SECONDS;
    return { raw: rawBytes / points, rollups: rollupBytes / points };
  }

  function report(name: string, perPoint: { raw: number; rollups: number }): void {
    const total = perPoint.raw + perPoint.rollups;
    console.warn(
      `${name}: raw ${perPoint.raw.toFixed(3)} + rollups ${perPoint.rollups.toFixed(3)} = ${total.toFixed(3)} bytes/point`,
    );
    expect(perPoint.raw).toBeLessThanOrEqual(4);
    expect(total).toBeLessThanOrEqual(4);
  }

  it('stores a year of a noisy 1 Hz sine rounded to 2 decimals, with its pyramid, in ≤ 4 bytes per point', () => {
    const daily = (2 * Math.PI) / DAY_SECONDS;
    report(
      'noisy sine, 2 decimals',
      bytesPerPoint(
        (s, random) => Math.round((20 + 10 * Math.sin(s * daily) + gaussian(random) * 0.3) * 100) / 100,
      ),
    );
  });

  it('stores a year of a 1 Hz integer rating 0–10, with its pyramid, in ≤ 4 bytes per point', () => {
    let rating = 5;
    report(
      'rating 0–10',
      bytesPerPoint((_, random) => {
        if (random() < 0.05) rating = randomInt(random, 0, 10);
        return rating;
      }),
    );
  });
});
