import type { BitReader, BitWriter } from './bitStream';
import { bitLength, unZigZag, zigZag } from './zigZag';

/**
 * Frame-of-reference bit packing of integers (below 2^51 in magnitude) in blocks of up to
 * `BLOCK_SIZE`: each block is stored on its values or on their deltas (from the previous block's
 * last value), whichever needs fewer bits, as
 *
 *   1 bit mode (1 = deltas) · 6 bits width · 6 bits L · L bits zig-zag base · width bits × block
 *
 * A constant or linear block costs 13 bits plus its base.
 */
export const BLOCK_SIZE = 128;

/** Packs `values[from, to)` as one block after `previous`; returns the block's last value. */
export function writeBlock(
  writer: BitWriter,
  values: Float64Array,
  from: number,
  to: number,
  previous: number,
): number {
  let valueMin = Infinity;
  let valueMax = -Infinity;
  let deltaMin = Infinity;
  let deltaMax = -Infinity;
  let last = previous;
  for (let i = from; i < to; i++) {
    const value = values[i]!;
    const delta = value - last;
    last = value;
    if (value < valueMin) valueMin = value;
    if (value > valueMax) valueMax = value;
    if (delta < deltaMin) deltaMin = delta;
    if (delta > deltaMax) deltaMax = delta;
  }
  const valueWidth = bitLength(valueMax - valueMin);
  const deltaWidth = bitLength(deltaMax - deltaMin);
  const isDelta = deltaWidth < valueWidth;
  const width = isDelta ? deltaWidth : valueWidth;
  const base = isDelta ? deltaMin : valueMin;
  const zigZagBase = zigZag(base);
  const baseBits = bitLength(zigZagBase);
  writer.write(((isDelta ? 1 : 0) << 12) | (width << 6) | baseBits, 13);
  writer.writeWide(zigZagBase, baseBits);
  if (width > 0) {
    if (isDelta) {
      for (let i = from, p = previous; i < to; i++) {
        writer.writeWide(values[i]! - p - base, width);
        p = values[i]!;
      }
    } else {
      for (let i = from; i < to; i++) writer.writeWide(values[i]! - base, width);
    }
  }
  return last;
}

/** Reads one block written by `writeBlock` into `out[from, to)`; returns its last value. */
export function readBlock(
  reader: BitReader,
  out: Float64Array,
  from: number,
  to: number,
  previous: number,
): number {
  const header = reader.read(13);
  const isDelta = header >>> 12 === 1;
  const width = (header >>> 6) & 63;
  const base = unZigZag(reader.readWide(header & 63));
  if (isDelta) {
    for (let i = from; i < to; i++) out[i] = previous += base + reader.readWide(width);
  } else {
    for (let i = from; i < to; i++) out[i] = previous = base + reader.readWide(width);
  }
  return previous;
}

/** Packs all of `values` in consecutive blocks. */
export function writeBlocks(writer: BitWriter, values: Float64Array): void {
  let previous = 0;
  for (let from = 0; from < values.length; from += BLOCK_SIZE) {
    previous = writeBlock(writer, values, from, Math.min(values.length, from + BLOCK_SIZE), previous);
  }
}

/** Reads `count` values written by `writeBlocks`. */
export function readBlocks(reader: BitReader, count: number): Float64Array {
  const out = new Float64Array(count);
  let previous = 0;
  for (let from = 0; from < count; from += BLOCK_SIZE) {
    previous = readBlock(reader, out, from, Math.min(count, from + BLOCK_SIZE), previous);
  }
  return out;
}
