import { describe, expect, it } from 'vitest';
import { m4FromPoints } from './m4';
import { allocateM4, decodeM4, encodeM4, finishM4 } from './m4Binary';
import { randomSeries } from './testing/randomSeries';
import { seededRandom } from './testing/seededRandom';

describe('encodeM4 / decodeM4', () => {
  const { t, v } = randomSeries(seededRandom(4), 10_000, 'spikes');
  const result = m4FromPoints(t, v, { t0: t[0]! + 0.25, columnWidth: 13, width: 701 });

  it('round-trips every field bit for bit, values in Float64', () => {
    const bytes = encodeM4(result);
    const count = result.column.length;
    expect(bytes.length).toBe(((24 + 4 * count + 7) & ~7) + 48 * count);
    expect(decodeM4(bytes)).toEqual(result);
  });

  it('decodes from a buffer that is not 8-byte aligned', () => {
    const bytes = encodeM4(result);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeM4(shifted.subarray(3))).toEqual(result);
  });

  it('writes a little-endian header with version, count, t0 and column width', () => {
    const view = new DataView(encodeM4(result).buffer);
    expect(view.getUint8(0)).toBe(1);
    expect(view.getUint32(4, true)).toBe(result.column.length);
    expect(view.getFloat64(8, true)).toBe(result.t0);
    expect(view.getFloat64(16, true)).toBe(13);
  });

  it('sends a computed result as it is, without copying it', () => {
    const bytes = encodeM4(result);
    expect(bytes.buffer).toBe(result.first.buffer);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    // Results made some other way, or whose arrays were replaced, are copied into the layout.
    const separate = { ...result, column: result.column.slice(), tLast: result.tLast.slice() };
    const copied = encodeM4(separate);
    expect(copied.buffer).not.toBe(result.first.buffer);
    expect(Array.from(copied)).toEqual(Array.from(bytes));
  });

  it('moves filled columns down in place, or copies a few of many to a buffer of their size', () => {
    for (const [capacity, count] of [
      [9, 9],
      [9, 5],
      [9, 4],
      [9, 0],
    ] as const) {
      const columns = allocateM4(capacity);
      for (let i = 0; i < count; i++) {
        columns.column[i] = 3 * i;
        columns.first[i] = i + 0.5;
        columns.min[i] = -i;
        columns.max[i] = 10 * i;
        columns.last[i] = i + 0.25;
        columns.tFirst[i] = 100 + i;
        columns.tLast[i] = 100.5 + i;
      }
      const finished = finishM4(columns, count, 7, 2);
      const expected = {
        t0: 7,
        columnWidth: 2,
        column: Uint32Array.from({ length: count }, (_, i) => 3 * i),
        first: Float64Array.from({ length: count }, (_, i) => i + 0.5),
        min: Float64Array.from({ length: count }, (_, i) => -i),
        max: Float64Array.from({ length: count }, (_, i) => 10 * i),
        last: Float64Array.from({ length: count }, (_, i) => i + 0.25),
        tFirst: Float64Array.from({ length: count }, (_, i) => 100 + i),
        tLast: Float64Array.from({ length: count }, (_, i) => 100.5 + i),
      };
      expect(finished, `${count} of ${capacity}`).toEqual(expected);
      expect(finished.first.buffer === columns.first.buffer, `${count} of ${capacity}`).toBe(
        2 * count >= capacity,
      );
      expect(decodeM4(encodeM4(finished))).toEqual(expected);
    }
  });

  it('round-trips an empty result', () => {
    const empty = m4FromPoints([], [], { t0: 5, columnWidth: 2, width: 10 });
    expect(decodeM4(encodeM4(empty))).toEqual(empty);
  });

  it('rejects truncated data and unknown versions', () => {
    const bytes = encodeM4(result);
    expect(() => decodeM4(bytes.subarray(0, bytes.length - 8))).toThrow(RangeError);
    expect(() => decodeM4(bytes.subarray(0, 10))).toThrow(RangeError);
    const future = bytes.slice();
    future[0] = 2;
    expect(() => decodeM4(future)).toThrow(RangeError);
  });
});
