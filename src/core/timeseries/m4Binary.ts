import type { M4Result } from './m4';

/**
 * Binary form of an M4 result for the browser, little-endian:
 *
 * | offset | size          | field                                               |
 * |--------|---------------|-----------------------------------------------------|
 * | 0      | 1             | version (1)                                         |
 * | 1      | 3             | reserved, 0                                         |
 * | 4      | 4             | count: u32                                          |
 * | 8      | 8             | t0: f64, unix seconds                               |
 * | 16     | 8             | columnWidth: f64, seconds                           |
 * | 24     | 4 × count     | column: u32[]                                       |
 * | A      | 8 × count × 6 | first, min, max, last, tFirst, tLast: f64[] in turn |
 *
 * `A` is `24 + 4 × count` rounded up to a multiple of 8, so on a little-endian machine (every
 * browser) the decoder hands out typed-array views on the received bytes without copying. Values
 * stay Float64: Float32 would move points by up to a pixel on a tall plot and break pixel identity.
 */
export const M4_BINARY_VERSION = 1;
const HEADER_BYTES = 24;
const FLOAT_FIELDS = ['first', 'min', 'max', 'last', 'tFirst', 'tLast'] as const;
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function floatsOffset(count: number): number {
  return (HEADER_BYTES + 4 * count + 7) & ~7;
}

/** Serialises an M4 result (see the layout above). */
export function encodeM4(result: M4Result): Uint8Array {
  const count = result.column.length;
  for (const field of FLOAT_FIELDS) {
    if (result[field].length !== count)
      throw new RangeError(`M4 ${field} has ${result[field].length} entries, not ${count}`);
  }
  const base = floatsOffset(count);
  const buffer = new ArrayBuffer(base + 8 * count * FLOAT_FIELDS.length);
  const view = new DataView(buffer);
  view.setUint8(0, M4_BINARY_VERSION);
  view.setUint32(4, count, true);
  view.setFloat64(8, result.t0, true);
  view.setFloat64(16, result.columnWidth, true);
  if (IS_LITTLE_ENDIAN) {
    new Uint32Array(buffer, HEADER_BYTES, count).set(result.column);
    FLOAT_FIELDS.forEach((field, f) =>
      new Float64Array(buffer, base + 8 * count * f, count).set(result[field]),
    );
  } else {
    for (let i = 0; i < count; i++) view.setUint32(HEADER_BYTES + 4 * i, result.column[i]!, true);
    FLOAT_FIELDS.forEach((field, f) => {
      const values = result[field];
      for (let i = 0; i < count; i++) view.setFloat64(base + 8 * (count * f + i), values[i]!, true);
    });
  }
  return new Uint8Array(buffer);
}

/**
 * Parses `encodeM4` output. On little-endian machines the arrays are views on `bytes` (copied once
 * first if `bytes` is not 8-byte aligned), so keep `bytes` unchanged while the result is in use.
 */
export function decodeM4(bytes: Uint8Array): M4Result {
  if (bytes.length < HEADER_BYTES) throw new RangeError('M4 data is shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  if (version !== M4_BINARY_VERSION) throw new RangeError(`unknown M4 data version ${version}`);
  const count = view.getUint32(4, true);
  const base = floatsOffset(count);
  const expectedBytes = base + 8 * count * FLOAT_FIELDS.length;
  if (bytes.length !== expectedBytes) {
    throw new RangeError(`M4 data of ${count} columns needs ${expectedBytes} bytes, got ${bytes.length}`);
  }
  const t0 = view.getFloat64(8, true);
  const columnWidth = view.getFloat64(16, true);
  if (IS_LITTLE_ENDIAN) {
    const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const float = (f: number) =>
      new Float64Array(aligned.buffer, aligned.byteOffset + base + 8 * count * f, count);
    return {
      t0,
      columnWidth,
      column: new Uint32Array(aligned.buffer, aligned.byteOffset + HEADER_BYTES, count),
      first: float(0),
      min: float(1),
      max: float(2),
      last: float(3),
      tFirst: float(4),
      tLast: float(5),
    };
  }
  const column = new Uint32Array(count);
  for (let i = 0; i < count; i++) column[i] = view.getUint32(HEADER_BYTES + 4 * i, true);
  const float = (f: number) => {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat64(base + 8 * (count * f + i), true);
    return out;
  };
  return {
    t0,
    columnWidth,
    column,
    first: float(0),
    min: float(1),
    max: float(2),
    last: float(3),
    tFirst: float(4),
    tLast: float(5),
  };
}
