import { describe, expect, it } from 'vitest';
import { gaussian, randomInt, seededRandom } from '../../../core/timeseries/testing/seededRandom';
import { decodeDecimal, encodeDecimal, findDecimalScale } from './decimalCodec';
import { isSameBits } from './testing/randomFloats';

function roundTrip(values: Float64Array): Float64Array {
  const found = findDecimalScale(values);
  if (!found) throw new Error('values are not short decimals');
  return decodeDecimal(encodeDecimal(found), values.length);
}

describe('decimal codec', () => {
  it('finds the fewest decimals that reproduce every value exactly', () => {
    expect(findDecimalScale(Float64Array.from([1, 2, -3]))?.decimals).toBe(0);
    expect(findDecimalScale(Float64Array.from([1.5, 2.25, 0.1]))?.decimals).toBe(2);
    expect(findDecimalScale(Float64Array.from([1.005]))?.decimals).toBe(3);
    expect(findDecimalScale(Float64Array.from([]))?.decimals).toBe(0);
  });

  it('stores values a few ULPs off a short decimal with residuals', () => {
    const found = findDecimalScale(Float64Array.from([0.1 + 0.2, 0.5]));
    expect(found?.decimals).toBe(1);
    expect(Array.from(found!.scaled)).toEqual([3, 5]);
    expect(Array.from(found!.residuals!)).toEqual([1, 0]);
  });

  it('declines values it cannot store compactly and exactly', () => {
    expect(findDecimalScale(Float64Array.from([1, -0]))).toBeUndefined();
    expect(findDecimalScale(Float64Array.from([1e-20]))).toBeUndefined();
    expect(findDecimalScale(Float64Array.from([1e300]))).toBeUndefined();
    expect(findDecimalScale(Float64Array.from([Math.PI]))).toBeUndefined();
    expect(findDecimalScale(Float64Array.from([NaN]))).toBeUndefined();
  });

  it('round-trips random short decimals bit for bit', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 300; trial++) {
      const decimals = randomInt(random, 0, 8);
      // Random walks with jumps stay well inside the codec's 2^50 bound on the scaled integers.
      const magnitude = 10 ** randomInt(random, 0, 12 - decimals);
      const n = randomInt(random, 0, 1000);
      const values = new Float64Array(n);
      let level = (random() - 0.5) * magnitude;
      for (let i = 0; i < n; i++) {
        level += random() < 0.1 ? (random() - 0.5) * magnitude : gaussian(random);
        // `+ 0`: a rounded −0 is not a short decimal (its sign would be lost), and is tested elsewhere.
        values[i] = (Math.round(level * 10 ** decimals) + 0) / 10 ** decimals;
      }
      expect(isSameBits(roundTrip(values), values)).toBe(true);
    }
  });

  it('round-trips sums of decimals and values nudged by a few ULPs bit for bit', () => {
    const random = seededRandom(9);
    const view = new DataView(new ArrayBuffer(8));
    for (let trial = 0; trial < 300; trial++) {
      const n = randomInt(random, 1, 1000);
      const values = new Float64Array(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += Math.round((random() - 0.4) * 1e4) / 100;
        let value = trial % 2 === 0 ? sum : Math.round(sum * 100) / 100;
        if (trial % 2 === 1 && value !== 0) {
          view.setFloat64(0, value);
          view.setBigInt64(0, view.getBigInt64(0) + BigInt(randomInt(random, -5000, 5000)));
          value = view.getFloat64(0);
        }
        values[i] = value;
      }
      const found = findDecimalScale(values);
      expect(found).toBeDefined();
      expect(isSameBits(roundTrip(values), values)).toBe(true);
    }
  });

  it('packs a constant series into a few bits per block', () => {
    const values = new Float64Array(4096).fill(7);
    expect(encodeDecimal(findDecimalScale(values)!).length).toBeLessThan(80);
  });
});
