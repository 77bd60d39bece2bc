/**
 * Distances between floats in ULPs (units in the last place): the difference of their IEEE bit
 * patterns read as integers. Used to store a float as a nearby "nice" float plus a small residual.
 */

const TWO_POW_32 = 4294967296;
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = IS_LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;
/** Scratch for bit patterns: [value, approximation]. */
const pair = new Float64Array(2);
const pairBits = new Uint32Array(pair.buffer);

/**
 * `bits(value) − bits(approximation)`: exact while below 2^53 in magnitude, which covers every
 * residual worth keeping. Values of opposite sign (−0 vs +0 included) are ~2^63 apart.
 */
export function ulpDistance(value: number, approximation: number): number {
  pair[0] = value;
  pair[1] = approximation;
  return (pairBits[HI]! - pairBits[2 + HI]!) * TWO_POW_32 + (pairBits[LO]! - pairBits[2 + LO]!);
}

/** The float whose bit pattern is `bits(approximation) + residual` (the inverse of `ulpDistance`). */
export function addUlps(approximation: number, residual: number): number {
  pair[0] = approximation;
  const low = pairBits[LO]! + residual;
  const carry = Math.floor(low / TWO_POW_32);
  pairBits[LO] = low - carry * TWO_POW_32;
  pairBits[HI] = pairBits[HI]! + carry;
  return pair[0];
}
