import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '../../../core/timeseries/testing/seededRandom';
import { decodeGorilla, encodeGorilla } from './gorillaCodec';
import { EXTREME_FLOATS, isSameBits, randomBitsFloat, randomFloat } from './testing/randomFloats';

describe('Gorilla XOR codec', () => {
  it('round-trips random floats bit for bit, extremes and -0 included', () => {
    const random = seededRandom(2);
    for (let trial = 0; trial < 300; trial++) {
      const n = randomInt(random, 0, 2000);
      const values = new Float64Array(n);
      const flavour = trial % 3;
      for (let i = 0; i < n; i++) {
        values[i] =
          flavour === 0 ? randomFloat(random) : flavour === 1 ? randomBitsFloat(random) : Math.sin(i / 50);
      }
      expect(isSameBits(decodeGorilla(encodeGorilla(values), n), values)).toBe(true);
    }
  });

  it('keeps every bit pattern, NaN payloads and infinities too', () => {
    const values = Float64Array.from([
      ...EXTREME_FLOATS,
      NaN,
      Infinity,
      -Infinity,
      ...EXTREME_FLOATS.reverse(),
    ]);
    const bits = new Uint32Array(values.buffer);
    bits[2 * EXTREME_FLOATS.length] = 0xdeadbeef; // a NaN with a payload
    expect(isSameBits(decodeGorilla(encodeGorilla(values), values.length), values)).toBe(true);
  });

  it('spends one bit on a repeated value', () => {
    const values = new Float64Array(8001).fill(21.5);
    expect(encodeGorilla(values).length).toBe(8 + 1000);
  });
});
