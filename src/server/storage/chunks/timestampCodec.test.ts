import { describe, expect, it } from 'vitest';
import { pick, randomInt, seededRandom } from '../../../core/timeseries/testing/seededRandom';
import { decodeTimestamps, encodeTimestamps } from './timestampCodec';
import { EXTREME_FLOATS, isSameBits, randomFloat } from './testing/randomFloats';

type Shape =
  'integer' | 'milliseconds' | 'microseconds' | 'fractional' | 'duplicates' | 'gaps' | 'negative' | 'wild';
const SHAPES: Shape[] = [
  'integer',
  'milliseconds',
  'microseconds',
  'fractional',
  'duplicates',
  'gaps',
  'negative',
  'wild',
];

function randomTimestamps(random: () => number, n: number, shape: Shape): Float64Array {
  const t = new Float64Array(n);
  let time = pick(random, [0, 1_700_000_000, 946_684_800.5, -86_400 * 365 * 30]);
  for (let i = 0; i < n; i++) {
    switch (shape) {
      case 'integer':
        time += randomInt(random, 0, 3) === 0 ? randomInt(random, 1, 100) : 1;
        break;
      case 'milliseconds':
        time = Math.round((time + 1 + (random() - 0.5) / 50) * 1e3) / 1e3;
        break;
      case 'microseconds':
        time = Math.round((time + random() * 5) * 1e6) / 1e6;
        break;
      case 'fractional':
        time += random() * 3;
        break;
      case 'duplicates':
        time += random() < 0.5 ? 0 : 1;
        break;
      case 'gaps':
        time += random() < 0.01 ? randomInt(random, 1, 1e9) : 1;
        break;
      case 'negative':
        time -= randomInt(random, 0, 10);
        break;
      case 'wild':
        time = randomFloat(random);
        break;
    }
    t[i] = time;
  }
  return t;
}

describe('timestamp codec', () => {
  it('round-trips any finite timestamps bit for bit', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 400; trial++) {
      const shape = SHAPES[trial % SHAPES.length]!;
      const t = randomTimestamps(random, randomInt(random, 0, 3000), shape);
      expect(isSameBits(decodeTimestamps(encodeTimestamps(t), t.length), t), shape).toBe(true);
    }
  });

  it('round-trips zero, -0, extremes and unsorted times', () => {
    const t = Float64Array.from([0, -0, ...EXTREME_FLOATS, 1_700_000_000, 0, 5]);
    expect(isSameBits(decodeTimestamps(encodeTimestamps(t), t.length), t)).toBe(true);
    const unsorted = Float64Array.from([5, 3, 9, 9, -2, 1e9, 0.5]);
    expect(isSameBits(decodeTimestamps(encodeTimestamps(unsorted), 7), unsorted)).toBe(true);
  });

  it('costs one bit per point for a regular series', () => {
    const t = Float64Array.from({ length: 4097 }, (_, i) => 1_700_000_000 + i);
    // Mode byte, 8 bytes for the first time, 9 bits for the first delta, then 4,095 one-bit zeros.
    expect(encodeTimestamps(t).length).toBe(1 + 8 + Math.ceil((9 + 4095) / 8));
    const tenHertz = Float64Array.from({ length: 4097 }, (_, i) => (17_000_000_000 + i) / 10);
    expect(encodeTimestamps(tenHertz).length).toBeLessThan(1 + 8 + 600);
  });

  it('stores Python time.time() stamps (not whole microseconds) in about 3 bytes, not 8', () => {
    const random = seededRandom(5);
    let time = 1_700_000_000;
    // Arbitrary doubles near 1 Hz: sub-microsecond bits and a few milliseconds of jitter.
    const t = Float64Array.from({ length: 4096 }, () => (time += 1 + (random() - 0.5) * 0.004));
    expect(t.some((time) => Math.round(time * 1e6) / 1e6 !== time)).toBe(true);
    const bytes = encodeTimestamps(t);
    expect(isSameBits(decodeTimestamps(bytes, t.length), t)).toBe(true);
    expect(bytes.length / t.length).toBeLessThan(3.5);
  });

  it('stores integer seconds in seconds, so irregular events stay small', () => {
    const random = seededRandom(4);
    let time = 1_700_000_000;
    const t = Float64Array.from({ length: 4096 }, () => (time += randomInt(random, 1, 60)));
    expect(encodeTimestamps(t).length / t.length).toBeLessThan(1.6);
  });
});
