import { describe, expect, it } from 'vitest';
import { m4FromPoints } from './m4';
import { decodeM4, encodeM4 } from './m4Binary';
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
