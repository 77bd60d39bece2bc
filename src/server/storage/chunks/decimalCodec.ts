import { BitReader, BitWriter } from './bitStream';
import { BLOCK_SIZE, readBlock, writeBlock } from './blockPacking';
import { addUlps, ulpDistance } from './ulps';

/**
 * Numbers that are short decimals (sensor readings rounded to 2 places, integer ratings), or
 * within a few ULPs of one (a sum of such readings), as integers — the idea of ALP (Afroozeh et
 * al., "ALP: Adaptive Lossless floating-Point Compression", SIGMOD 2024). Gorilla XOR does badly on
 * them because 12.34 has a full 52-bit mantissa.
 *
 * Every value `v` of a chunk is stored as an integer `n` and a residual `r`, with
 * `v = bits⁻¹(bits(n / 10^k) + r)`, `k` in 0..MAX_DECIMALS chosen per chunk and `bits` the IEEE
 * pattern as an integer. Exact decimals have `r = 0` everywhere and then no residuals are stored.
 * The encoder checks every value bit for bit, so the round trip is exact.
 *
 * The integers are frame-of-reference bit-packed in blocks (`blockPacking`); when the chunk has
 * residuals, each block of integers is followed by the block of their residuals.
 * Section layout: one byte (`k`, plus `HAS_RESIDUALS`), then the bit stream.
 */

export const MAX_DECIMALS = 8;
const HAS_RESIDUALS = 0x80;
/** Keeps deltas, ranges and zig-zagged bases safe integers. */
const MAX_SCALED = 2 ** 50;
/** Beyond this many ULPs from the decimal, Gorilla is the better choice anyway. */
const MAX_RESIDUAL = 2 ** 20;

export interface DecimalScale {
  decimals: number;
  /** `round(v × 10^decimals)` per value. */
  scaled: Float64Array;
  /** ULPs from `scaled / 10^decimals` to the value; absent when every value is an exact decimal. */
  residuals?: Float64Array;
}

/**
 * The representation above for `values`: the fewest decimals that reproduce every value exactly,
 * else the fewest that bring every value within `MAX_RESIDUAL` ULPs; undefined when neither
 * exists (random mantissas, huge magnitudes, NaN, infinities), and the caller uses Gorilla.
 */
export function findDecimalScale(values: Float64Array): DecimalScale | undefined {
  const scaled = new Float64Array(values.length);
  for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
    const scale = 10 ** decimals;
    let isExact = true;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      // `+ 0` turns −0 into +0, so −0 fails the check below and keeps its sign another way.
      const n = Math.round(value * scale) + 0;
      if (!(Math.abs(n) <= MAX_SCALED) || !Object.is(n / scale, value)) {
        isExact = false;
        break;
      }
      scaled[i] = n;
    }
    if (isExact) return { decimals, scaled };
  }
  const residuals = new Float64Array(values.length);
  for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
    const scale = 10 ** decimals;
    let isClose = true;
    for (let i = 0; i < values.length; i++) {
      const n = Math.round(values[i]! * scale) + 0;
      const residual = Math.abs(n) <= MAX_SCALED ? ulpDistance(values[i]!, n / scale) : NaN;
      if (!(Math.abs(residual) <= MAX_RESIDUAL)) {
        isClose = false;
        break;
      }
      scaled[i] = n;
      residuals[i] = residual;
    }
    if (isClose) return { decimals, scaled, residuals };
  }
  return undefined;
}

/** Encodes a `findDecimalScale` result into a section. */
export function encodeDecimal(scale: DecimalScale): Uint8Array {
  const { decimals, scaled, residuals } = scale;
  const writer = new BitWriter(scaled.length + 16);
  writer.write(decimals | (residuals ? HAS_RESIDUALS : 0), 8);
  let previous = 0;
  let previousResidual = 0;
  for (let from = 0; from < scaled.length; from += BLOCK_SIZE) {
    const to = Math.min(scaled.length, from + BLOCK_SIZE);
    previous = writeBlock(writer, scaled, from, to, previous);
    if (residuals) previousResidual = writeBlock(writer, residuals, from, to, previousResidual);
  }
  return writer.finish();
}

/** One block of residuals at a time, reused: decoding is synchronous, and a buffer each is garbage. */
const residualBlock = new Float64Array(BLOCK_SIZE);

/** Decodes `count` values from a section written by `encodeDecimal` (into `values`, when given). */
export function decodeDecimal(
  bytes: Uint8Array,
  count: number,
  values: Float64Array = new Float64Array(count),
): Float64Array {
  const reader = new BitReader(bytes);
  const header = reader.read(8);
  const decimals = header & ~HAS_RESIDUALS;
  if (decimals > MAX_DECIMALS) throw new RangeError(`unknown decimal scale ${decimals}`);
  const hasResiduals = (header & HAS_RESIDUALS) !== 0;
  const scale = 10 ** decimals;
  const residuals = hasResiduals ? residualBlock : undefined;
  let previous = 0;
  let previousResidual = 0;
  for (let from = 0; from < count; from += BLOCK_SIZE) {
    const to = Math.min(count, from + BLOCK_SIZE);
    previous = readBlock(reader, values, from, to, previous);
    if (residuals) {
      previousResidual = readBlock(reader, residuals, 0, to - from, previousResidual);
      for (let i = from; i < to; i++) {
        const residual = residuals[i - from]!;
        values[i] = residual === 0 ? values[i]! / scale : addUlps(values[i]! / scale, residual);
      }
    } else {
      for (let i = from; i < to; i++) values[i] = values[i]! / scale;
    }
  }
  return values;
}
