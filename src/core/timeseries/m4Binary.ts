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

/** Bytes of the binary form of `count` columns (what `allocateM4` needs for that capacity). */
export function m4BinaryBytes(count: number): number {
  return floatsOffset(count) + 8 * count * FLOAT_FIELDS.length;
}

/** The arrays an M4 computation fills, before it knows how many columns it fills. */
export type M4Columns = Omit<M4Result, 't0' | 'columnWidth'>;

/** Views of the arrays of `count` columns in the binary form that starts at `byteOffset` of `buffer`. */
function columnsIn(buffer: ArrayBufferLike, count: number, byteOffset = 0): M4Columns {
  const base = byteOffset + floatsOffset(count);
  const float = (f: number) => new Float64Array(buffer, base + 8 * count * f, count);
  return {
    column: new Uint32Array(buffer, byteOffset + HEADER_BYTES, count),
    first: float(0),
    min: float(1),
    max: float(2),
    last: float(3),
    tFirst: float(4),
    tLast: float(5),
  };
}

/**
 * Arrays for up to `capacity` columns, laid out in one buffer as the binary form is, so that the
 * result `finishM4` makes is sent as it is: a plot costs one allocation, not a scratch copy, a
 * trimmed copy and an encoded one (on a server, that churn of buffers is what brings on the
 * garbage collector's full pauses). With `scratch` (at least `m4BinaryBytes(capacity)` bytes) the
 * arrays are laid out in it and the plot allocates nothing; the result then lives in `scratch`,
 * which its owner must not reuse while the result is in use.
 */
export function allocateM4(capacity: number, scratch?: ArrayBuffer): M4Columns {
  const bytes = m4BinaryBytes(capacity);
  if (scratch && scratch.byteLength < bytes) {
    throw new RangeError(`M4 scratch of ${scratch.byteLength} bytes cannot hold ${capacity} columns`);
  }
  return columnsIn(scratch ?? new ArrayBuffer(bytes), capacity);
}

/**
 * The first `count` columns of `allocateM4` arrays as a result. The columns are moved down in
 * place into the layout for `count` (each field's new place lies below its old one, so ascending
 * order never overwrites a field not yet moved). When only a few of the columns of a buffer of
 * our own were filled they are copied to a buffer of their size instead, so a kept result holds
 * no slack; a caller's scratch is never swapped for a new buffer.
 */
export function finishM4(
  columns: M4Columns,
  count: number,
  t0: number,
  columnWidth: number,
  inScratch = false,
): M4Result {
  const capacity = columns.column.length;
  if (!inScratch && 2 * count < capacity) {
    const out = allocateM4(count);
    out.column.set(columns.column.subarray(0, count));
    for (const field of FLOAT_FIELDS) out[field].set(columns[field].subarray(0, count));
    return { t0, columnWidth, ...out };
  }
  const buffer = columns.column.buffer;
  const bytes = new Uint8Array(buffer);
  const base = floatsOffset(count);
  FLOAT_FIELDS.forEach((field, f) => {
    const from = columns[field].byteOffset;
    bytes.copyWithin(base + 8 * count * f, from, from + 8 * count);
  });
  return { t0, columnWidth, ...columnsIn(buffer, count) };
}

/** The result's own buffer, when its arrays already sit in the binary layout (`finishM4`, `decodeM4`). */
function inBinaryLayout(result: M4Result): Uint8Array | undefined {
  const count = result.column.length;
  const buffer = result.column.buffer;
  if (!IS_LITTLE_ENDIAN || result.column.byteOffset !== HEADER_BYTES) return undefined;
  const base = floatsOffset(count);
  const inPlace = FLOAT_FIELDS.every((field, f) => {
    const values = result[field];
    return values.buffer === buffer && values.byteOffset === base + 8 * count * f && values.length === count;
  });
  return inPlace ? new Uint8Array(buffer, 0, m4BinaryBytes(count)) : undefined;
}

/** Serialises an M4 result (see the layout above); a result in the binary layout is not copied. */
export function encodeM4(result: M4Result): Uint8Array {
  const count = result.column.length;
  for (const field of FLOAT_FIELDS) {
    if (result[field].length !== count)
      throw new RangeError(`M4 ${field} has ${result[field].length} entries, not ${count}`);
  }
  const inPlace = inBinaryLayout(result);
  const bytes = inPlace ?? new Uint8Array(m4BinaryBytes(count));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint8(0, M4_BINARY_VERSION);
  view.setUint32(4, count, true);
  view.setFloat64(8, result.t0, true);
  view.setFloat64(16, result.columnWidth, true);
  if (inPlace) return inPlace;
  if (IS_LITTLE_ENDIAN) {
    const columns = columnsIn(bytes.buffer, count);
    columns.column.set(result.column);
    for (const field of FLOAT_FIELDS) columns[field].set(result[field]);
  } else {
    const base = floatsOffset(count);
    for (let i = 0; i < count; i++) view.setUint32(HEADER_BYTES + 4 * i, result.column[i]!, true);
    FLOAT_FIELDS.forEach((field, f) => {
      const values = result[field];
      for (let i = 0; i < count; i++) view.setFloat64(base + 8 * (count * f + i), values[i]!, true);
    });
  }
  return bytes;
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
    return { t0, columnWidth, ...columnsIn(aligned.buffer, count, aligned.byteOffset) };
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
