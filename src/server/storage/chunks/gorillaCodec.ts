import { BitReader, BitWriter } from './bitStream';

/**
 * Gorilla XOR compression of float64 values (Pelkonen et al., "Gorilla: A Fast, Scalable,
 * In-Memory Time Series Database", VLDB 2015, §4.1.2). Each value is XORed with the previous
 * one's IEEE bits:
 *
 * - `0`: identical bits;
 * - `10` + meaningful bits: the non-zero XOR bits fit inside the previous leading/trailing-zero
 *   window;
 * - `11` + 5 bits leading zeros (capped at 31) + 6 bits (meaningful length − 1) + meaningful bits.
 *
 * The first value is stored as 64 raw bits. Lossless for every bit pattern (−0, subnormals, NaN
 * payloads). The 64-bit words are handled as two 32-bit halves, since JS bit operators are 32-bit.
 */

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Index of the low and high 32-bit half of a float64 within a Uint32Array view. */
const LO = IS_LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

function trailingZeros32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function halves(values: Float64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** Appends the values' Gorilla encoding to `writer`. */
export function writeGorilla(values: Float64Array, writer: BitWriter): void {
  const n = values.length;
  if (n === 0) return;
  const bits = halves(values);
  let prevHi = bits[HI]!;
  let prevLo = bits[LO]!;
  writer.write(prevHi, 32);
  writer.write(prevLo, 32);
  // The current window; 64 leading zeros means "none yet", forcing a full header first.
  let windowLeading = 64;
  let windowTrailing = 0;
  for (let i = 1; i < n; i++) {
    const hi = bits[2 * i + HI]!;
    const lo = bits[2 * i + LO]!;
    const xorHi = (hi ^ prevHi) >>> 0;
    const xorLo = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if (xorHi === 0 && xorLo === 0) {
      writer.write(0, 1);
      continue;
    }
    const leading = xorHi !== 0 ? Math.clz32(xorHi) : 32 + Math.clz32(xorLo);
    const trailing = xorLo !== 0 ? trailingZeros32(xorLo) : 32 + trailingZeros32(xorHi);
    let shift: number;
    let meaningful: number;
    if (leading >= windowLeading && trailing >= windowTrailing) {
      writer.write(0b10, 2);
      shift = windowTrailing;
      meaningful = 64 - windowLeading - windowTrailing;
    } else {
      windowLeading = Math.min(leading, 31);
      windowTrailing = trailing;
      shift = trailing;
      meaningful = 64 - windowLeading - trailing;
      writer.write((0b11 << 11) | (windowLeading << 6) | (meaningful - 1), 13);
    }
    // The XOR shifted right by `shift`, as (high, low) halves; then its low `meaningful` bits.
    let low: number;
    let high: number;
    if (shift === 0) {
      low = xorLo;
      high = xorHi;
    } else if (shift < 32) {
      low = (xorLo >>> shift) | (xorHi << (32 - shift));
      high = xorHi >>> shift;
    } else {
      low = xorHi >>> (shift - 32);
      high = 0;
    }
    if (meaningful > 32) {
      writer.write(high, meaningful - 32);
      writer.write(low, 32);
    } else {
      writer.write(low, meaningful);
    }
  }
}

/** Reads `count` Gorilla-encoded values from `reader` (into `values`, when given). */
export function readGorilla(
  reader: BitReader,
  count: number,
  values: Float64Array = new Float64Array(count),
): Float64Array {
  if (count === 0) return values;
  const bits = halves(values);
  let hi = reader.read(32);
  let lo = reader.read(32);
  bits[HI] = hi;
  bits[LO] = lo;
  let windowLeading = 0;
  let windowTrailing = 0;
  for (let i = 1; i < count; i++) {
    if (reader.read(1) === 1) {
      if (reader.read(1) === 1) {
        const header = reader.read(11);
        windowLeading = header >>> 6;
        windowTrailing = 64 - windowLeading - ((header & 63) + 1);
        if (windowTrailing < 0) throw new RangeError('corrupt Gorilla window');
      }
      const meaningful = 64 - windowLeading - windowTrailing;
      let high = 0;
      let low: number;
      if (meaningful > 32) {
        high = reader.read(meaningful - 32);
        low = reader.read(32);
      } else {
        low = reader.read(meaningful);
      }
      const shift = windowTrailing;
      if (shift === 0) {
        hi ^= high;
        lo ^= low;
      } else if (shift < 32) {
        hi ^= (high << shift) | (low >>> (32 - shift));
        lo ^= low << shift;
      } else {
        hi ^= low << (shift - 32);
      }
    }
    bits[2 * i + HI] = hi;
    bits[2 * i + LO] = lo;
  }
  return values;
}

/** Gorilla-encodes values into a byte array. */
export function encodeGorilla(values: Float64Array): Uint8Array {
  const writer = new BitWriter(values.length * 2 + 16);
  writeGorilla(values, writer);
  return writer.finish();
}

/** Decodes `count` values written by `encodeGorilla` (into `out`, when given). */
export function decodeGorilla(bytes: Uint8Array, count: number, out?: Float64Array): Float64Array {
  return readGorilla(new BitReader(bytes), count, out);
}
