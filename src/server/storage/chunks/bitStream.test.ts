import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '../../../core/timeseries/testing/seededRandom';
import { BitReader, BitWriter } from './bitStream';
import { ByteReader, ByteWriter } from './byteStream';

describe('BitWriter / BitReader', () => {
  it('read back random fields of 0 to 53 bits in order', () => {
    const random = seededRandom(1);
    for (let trial = 0; trial < 50; trial++) {
      const fields: [number, number][] = [];
      const writer = new BitWriter(4);
      for (let i = 0; i < 500; i++) {
        const n = randomInt(random, 0, 53);
        const value = Math.floor(random() * 2 ** n);
        fields.push([value, n]);
        writer.writeWide(value, n);
      }
      const bytes = writer.finish();
      const totalBits = fields.reduce((sum, [, n]) => sum + n, 0);
      expect(bytes.length).toBe(Math.ceil(totalBits / 8));
      const reader = new BitReader(bytes);
      for (const [value, n] of fields) expect(reader.readWide(n)).toBe(value);
    }
  });

  it('writes most significant bits first and only the low n bits of a value', () => {
    const writer = new BitWriter();
    writer.write(0b101, 3);
    writer.write(0xff, 2);
    writer.write(1, 3);
    expect(Array.from(writer.finish())).toEqual([0b10111001]);
  });

  it('reads zeros past the end', () => {
    const reader = new BitReader(new Uint8Array([0xff]));
    expect(reader.read(8)).toBe(0xff);
    expect(reader.read(32)).toBe(0);
  });
});

describe('ByteWriter / ByteReader', () => {
  it('round-trips varints up to 2^53 - 1 and sections', () => {
    const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
    const writer = new ByteWriter(1);
    for (const value of values) writer.writeVarint(value);
    writer.writeSection(new Uint8Array([7, 8, 9]));
    const reader = new ByteReader(writer.finish());
    for (const value of values) expect(reader.readVarint()).toBe(value);
    expect(Array.from(reader.readSection())).toEqual([7, 8, 9]);
    expect(reader.remaining).toBe(0);
  });

  it('rejects negative or unsafe varints and truncated input', () => {
    expect(() => new ByteWriter().writeVarint(-1)).toThrow(RangeError);
    expect(() => new ByteWriter().writeVarint(2 ** 53)).toThrow(RangeError);
    expect(() => new ByteReader(new Uint8Array([0x80])).readVarint()).toThrow(RangeError);
    expect(() => new ByteReader(new Uint8Array([5, 1])).readSection()).toThrow(RangeError);
    expect(() => new ByteReader(new Uint8Array(9).fill(0x80)).readVarint()).toThrow(RangeError);
  });
});
