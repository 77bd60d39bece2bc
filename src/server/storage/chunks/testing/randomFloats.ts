import { pick, randomInt } from '../../../../core/timeseries/testing/seededRandom';

/** Floats at the edges of float64: the largest, the smallest subnormal, −0 and friends. */
export const EXTREME_FLOATS = [
  0,
  -0,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  Number.EPSILON,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 53,
  0.1,
  1 / 3,
];

/** A finite float with uniformly random bits (any exponent, sign and mantissa). */
export function randomBitsFloat(random: () => number): number {
  const view = new DataView(new ArrayBuffer(8));
  for (;;) {
    view.setUint32(0, Math.floor(random() * 4294967296));
    view.setUint32(4, Math.floor(random() * 4294967296));
    const value = view.getFloat64(0);
    if (Number.isFinite(value)) return value;
  }
}

/** A float of a random flavour: extreme, random bits, short decimal, integer or ordinary. */
export function randomFloat(random: () => number): number {
  switch (randomInt(random, 0, 5)) {
    case 0:
      return pick(random, EXTREME_FLOATS);
    case 1:
      return randomBitsFloat(random);
    case 2:
      return Math.round((random() - 0.5) * 1e6) / 100;
    case 3:
      return randomInt(random, -1000, 1000);
    case 4:
      return (random() - 0.5) * 10 ** randomInt(random, -20, 20);
    default:
      return random();
  }
}

/** True when both arrays hold the same float64 bit patterns (so −0 differs from 0). */
export function isSameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((byte, i) => byte === y[i]);
}
