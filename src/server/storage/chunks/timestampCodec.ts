import { BitReader, BitWriter } from './bitStream';
import { readBlocks, writeBlocks } from './blockPacking';
import { readGorilla, writeGorilla } from './gorillaCodec';
import { addUlps, ulpDistance } from './ulps';
import { bitLength, unZigZag, zigZag } from './zigZag';

/**
 * Timestamps (float unix seconds), losslessly.
 *
 * When every `t` is a whole number of microseconds (`Math.round(t * 1e6) / 1e6` gives `t` back,
 * bit for bit), the integers are divided by the largest common unit of 1 s, 1 ms or 1 µs and
 * stored as delta-of-deltas with Gorilla-style prefix codes on their zig-zag value `z`:
 *
 * | prefix  | payload       | covers            |
 * |---------|---------------|-------------------|
 * | `0`     | —             | z = 0 (regular)   |
 * | `10`    | 7 bits        | z < 2^7           |
 * | `110`   | 9 bits        | z < 2^9           |
 * | `1110`  | 12 bits       | z < 2^12          |
 * | `11110` | 24 bits       | z < 2^24          |
 * | `11111` | 6-bit length + that many bits | the rest (< 2^53) |
 *
 * so a regular series costs one bit per point. The first timestamp is stored as its 64 float
 * bits. Times that are not whole microseconds but lie within a few ULPs of one (`time.time()` in
 * Python, which ConnectorDB's client uses: 0.5 µs is about 2 ULPs at today's unix times) are stored
 * the same way plus, after the delta-of-deltas, each one's ULP distance from its microsecond,
 * block-packed (`blockPacking`). Otherwise (−0, huge magnitudes, tiny non-zero times) the floats
 * are Gorilla-XORed. Any order works; sorted costs least.
 *
 * Section layout: one mode byte (`FLOAT_MODE`, or the unit as a power of ten of microseconds —
 * 0, 3 or 6 — plus `HAS_RESIDUALS`), then the bit stream.
 */

const FLOAT_MODE = 0xff;
const UNIT_EXPONENTS = [6, 3, 0] as const;
const HAS_RESIDUALS = 0x80;
/** Payload bits after a prefix of 1, 2, 3, 4 one-bits (see the table above). */
const PAYLOAD_BITS = [0, 7, 9, 12, 24] as const;
/** A time this many ULPs or more from its microsecond goes to Gorilla. */
const MAX_RESIDUAL = 2 ** 20;
/** Keeps every delta-of-delta's zig-zag value a safe integer. */
const MAX_DELTA_OF_DELTA = 2 ** 51;

/**
 * The nearest whole microsecond of every timestamp and, when some `t` is not exactly one, the ULP
 * distances from it; undefined when some `t` is too far from its microsecond or too large.
 */
function toMicros(t: Float64Array): { micros: Float64Array; residuals?: Float64Array } | undefined {
  const micros = new Float64Array(t.length);
  let residuals: Float64Array | undefined;
  let previous = 0;
  let previousDelta = 0;
  for (let i = 0; i < t.length; i++) {
    const time = t[i]!;
    // `+ 0` turns −0 into +0, whose bits are 2^63 from −0's, so −0 takes the float path.
    const us = Math.round(time * 1e6) + 0;
    if (!Number.isSafeInteger(us)) return undefined;
    const approximation = us / 1e6;
    if (!Object.is(approximation, time)) {
      const residual = ulpDistance(time, approximation);
      if (!(Math.abs(residual) < MAX_RESIDUAL)) return undefined;
      residuals ??= new Float64Array(t.length);
      residuals[i] = residual;
    }
    if (i > 0) {
      // A safe result of subtracting safe integers is exact, so these checks are sufficient.
      const delta = us - previous;
      const deltaOfDelta = delta - previousDelta;
      if (!Number.isSafeInteger(delta) || !(Math.abs(deltaOfDelta) < MAX_DELTA_OF_DELTA)) return undefined;
      previousDelta = delta;
    }
    micros[i] = us;
    previous = us;
  }
  return residuals ? { micros, residuals } : { micros };
}

function commonUnitExponent(micros: Float64Array): number {
  for (const exponent of UNIT_EXPONENTS) {
    const unit = 10 ** exponent;
    let isDivisible = true;
    for (let i = 0; i < micros.length && isDivisible; i++) isDivisible = micros[i]! % unit === 0;
    if (isDivisible) return exponent;
  }
  return 0;
}

/** Encodes timestamps into a self-describing section (see the module comment). */
export function encodeTimestamps(t: Float64Array): Uint8Array {
  const writer = new BitWriter(t.length / 4 + 32);
  const found = t.length > 0 ? toMicros(t) : undefined;
  if (found === undefined) {
    writer.write(FLOAT_MODE, 8);
    writeGorilla(t, writer);
    return writer.finish();
  }
  const { micros, residuals } = found;
  const exponent = commonUnitExponent(micros);
  const unit = 10 ** exponent;
  writer.write(exponent | (residuals ? HAS_RESIDUALS : 0), 8);
  writeGorilla(t.subarray(0, 1), writer);
  let previous = micros[0]! / unit;
  let previousDelta = 0;
  for (let i = 1; i < micros.length; i++) {
    const value = micros[i]! / unit;
    const delta = value - previous;
    const z = zigZag(delta - previousDelta);
    previous = value;
    previousDelta = delta;
    if (z === 0) writer.write(0, 1);
    else if (z < 1 << 7) writer.write((0b10 << 7) | z, 9);
    else if (z < 1 << 9) writer.write((0b110 << 9) | z, 12);
    else if (z < 1 << 12) writer.write((0b1110 << 12) | z, 16);
    else if (z < 1 << 24) {
      writer.write(0b11110, 5);
      writer.write(z, 24);
    } else {
      const length = bitLength(z);
      writer.write((0b11111 << 6) | length, 11);
      writer.writeWide(z, length);
    }
  }
  if (residuals) writeBlocks(writer, residuals);
  return writer.finish();
}

/** Decodes `count` timestamps from a section written by `encodeTimestamps` (into `t`, when given). */
export function decodeTimestamps(
  bytes: Uint8Array,
  count: number,
  t: Float64Array = new Float64Array(count),
): Float64Array {
  const reader = new BitReader(bytes);
  const mode = reader.read(8);
  if (mode === FLOAT_MODE) return readGorilla(reader, count, t);
  const exponent = mode & ~HAS_RESIDUALS;
  if (!(UNIT_EXPONENTS as readonly number[]).includes(exponent))
    throw new RangeError(`unknown timestamp mode ${mode}`);
  if (count === 0) return t;
  const unit = 10 ** exponent;
  t[0] = readGorilla(reader, 1)[0]!;
  // Recomputed exactly as the encoder did, so the running sum starts from the same integer.
  let value = (Math.round(t[0] * 1e6) + 0) / unit;
  let delta = 0;
  for (let i = 1; i < count; i++) {
    // The prefix is 0 to 5 one-bits; the last code has a 6-bit length instead of a fixed size.
    let ones = 0;
    while (ones < 5 && reader.read(1) === 1) ones++;
    const z =
      ones === 5 ? reader.readWide(reader.read(6)) : ones === 0 ? 0 : reader.read(PAYLOAD_BITS[ones]!);
    delta += unZigZag(z);
    value += delta;
    t[i] = (value * unit) / 1e6;
  }
  if (mode & HAS_RESIDUALS) {
    const residuals = readBlocks(reader, count);
    for (let i = 1; i < count; i++) if (residuals[i] !== 0) t[i] = addUlps(t[i]!, residuals[i]!);
  }
  return t;
}
