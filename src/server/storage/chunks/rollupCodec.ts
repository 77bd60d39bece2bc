import type { RollupField, RollupSeries } from '../../../core/timeseries/rollup';
import { ROLLUP_FIELDS } from '../../../core/timeseries/rollup';
import { ByteReader, ByteWriter } from './byteStream';
import { MAX_CHUNK_POINTS } from './chunkCodec';
import { decodeNumbers, encodeNumbers } from './numberCodec';
import { decodeTimestamps, encodeTimestamps } from './timestampCodec';

/**
 * A run of rollup buckets of one level, for storing the pyramid in chunks like the raw points.
 * Stored as float64 in memory, a 10 s bucket would cost 88 bytes — 8.8 per raw point at 1 Hz, over
 * the whole budget. Bucket times (`start`, `tFirst`, `tLast`) use the timestamp codec, the other
 * columns the number codec (sums of short decimals sit a few ULPs off a decimal and stay small).
 *
 * Layout: version (1 byte) · width in seconds (float64, little-endian) · bucket count (varint) ·
 * one varint-length-prefixed section per column: `start`, then `ROLLUP_FIELDS` in order.
 */
export const ROLLUP_CHUNK_VERSION = 1;
const TIME_FIELDS = new Set<RollupColumn>(['start', 'tFirst', 'tLast']);
const COLUMNS = ['start', ...ROLLUP_FIELDS] as const;

/** Encodes a rollup series losslessly (every column bit for bit). */
export function encodeRollupChunk(series: RollupSeries): Uint8Array {
  const writer = new ByteWriter(series.length * 4 + 64);
  writer.writeByte(ROLLUP_CHUNK_VERSION);
  const width = new Uint8Array(8);
  new DataView(width.buffer).setFloat64(0, series.widthSeconds, true);
  writer.writeBytes(width);
  writer.writeVarint(series.length);
  for (const column of COLUMNS) {
    const values = series[column];
    writer.writeSection(TIME_FIELDS.has(column) ? encodeTimestamps(values) : encodeNumbers(values));
  }
  return writer.finish();
}

/** A rollup chunk's header and its undecoded column sections, so a reader decodes only what it reads. */
export interface RollupChunkSections {
  readonly widthSeconds: number;
  readonly length: number;
  readonly sections: Readonly<Record<RollupColumn, Uint8Array>>;
}

export type RollupColumn = 'start' | RollupField;

/** Splits `encodeRollupChunk` output into its sections; throws a RangeError on data it did not write. */
export function readRollupSections(bytes: Uint8Array): RollupChunkSections {
  const reader = new ByteReader(bytes);
  const version = reader.readByte();
  if (version !== ROLLUP_CHUNK_VERSION) throw new RangeError(`unknown rollup chunk version ${version}`);
  const width = reader.readBytes(8);
  const widthSeconds = new DataView(width.buffer, width.byteOffset, 8).getFloat64(0, true);
  const length = reader.readVarint();
  if (length > MAX_CHUNK_POINTS) throw new RangeError(`rollup chunk claims ${length} buckets`);
  const sections = {} as Record<RollupColumn, Uint8Array>;
  for (const column of COLUMNS) sections[column] = reader.readSection();
  if (reader.remaining !== 0) throw new RangeError('rollup chunk has trailing bytes');
  return { widthSeconds, length, sections };
}

/** Decodes one column of a chunk split by `readRollupSections` (into `out`, when given). */
export function decodeRollupColumn(
  chunk: RollupChunkSections,
  column: RollupColumn,
  out: Float64Array = new Float64Array(chunk.length),
): Float64Array {
  const section = chunk.sections[column];
  return TIME_FIELDS.has(column)
    ? decodeTimestamps(section, chunk.length, out)
    : decodeNumbers(section, chunk.length, out);
}

/** Decodes `encodeRollupChunk` output; throws a RangeError on data it did not write. */
export function decodeRollupChunk(bytes: Uint8Array): RollupSeries {
  const chunk = readRollupSections(bytes);
  const columns = Object.fromEntries(COLUMNS.map((column) => [column, decodeRollupColumn(chunk, column)]));
  return { widthSeconds: chunk.widthSeconds, length: chunk.length, ...columns } as RollupSeries;
}
