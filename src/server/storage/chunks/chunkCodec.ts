import { decodeBooleans, encodeBooleans } from './booleanCodec';
import { ByteReader, ByteWriter } from './byteStream';
import { decodeJsonValues, encodeJsonValues } from './jsonCodec';
import { decodeNumbers, encodeNumbers } from './numberCodec';
import { decodeTimestamps, encodeTimestamps } from './timestampCodec';
import { decodeWriterPaths, encodeWriterPaths } from './writerPathCodec';

/** A chunk's values, in the cheapest form its datapoints allow (see `classifyValues`). */
export type ChunkValues =
  | { kind: 'number'; values: Float64Array }
  /** 0 or 1 per point. */
  | { kind: 'boolean'; values: Uint8Array }
  /** The JSON text of each point's `d` (`'null'` for null). */
  | { kind: 'json'; values: string[] };

/**
 * A chunk of a stream's datapoints, columnar: `t` in float unix seconds, the values, and the
 * writer path `o` of each point (absent when no point has one).
 */
export interface DecodedChunk {
  t: Float64Array;
  values: ChunkValues;
  o?: (string | undefined)[];
}

/**
 * Encoded layout:
 *
 *   version (1 byte) · flags (1 byte) · point count (varint)
 *   · timestamps section · values section · [writer-path section]
 *
 * Each section is a varint byte length and its bytes. Flags: bits 0–1 value kind (0 number,
 * 1 boolean, 2 JSON), bit 2 writer paths present. Sections are described beside their codecs:
 * `timestampCodec`, `numberCodec`, `booleanCodec`, `jsonCodec`, `writerPathCodec`.
 */
export const CHUNK_VERSION = 1;
/** A sanity bound for decoding; chunks are meant to hold a few thousand points. */
export const MAX_CHUNK_POINTS = 1 << 24;

const KIND_CODES = { number: 0, boolean: 1, json: 2 } as const;
const HAS_WRITER_PATHS = 1 << 2;

/**
 * Encodes a chunk losslessly: timestamps, numbers and booleans round-trip bit for bit (−0
 * included), JSON texts and writer paths character for character. An `o` with no writer at all
 * costs nothing and decodes as absent. Throws a RangeError when the columns' lengths differ.
 */
export function encodeChunk(chunk: DecodedChunk): Uint8Array {
  const count = chunk.t.length;
  if (chunk.values.values.length !== count) {
    throw new RangeError(`chunk has ${count} timestamps but ${chunk.values.values.length} values`);
  }
  if (chunk.o && chunk.o.length !== count) {
    throw new RangeError(`chunk has ${count} timestamps but ${chunk.o.length} writer paths`);
  }
  if (count > MAX_CHUNK_POINTS) throw new RangeError(`chunk of ${count} points exceeds ${MAX_CHUNK_POINTS}`);
  const writerPaths = chunk.o ? encodeWriterPaths(chunk.o) : undefined;
  const writer = new ByteWriter(count * 2 + 64);
  writer.writeByte(CHUNK_VERSION);
  writer.writeByte(KIND_CODES[chunk.values.kind] | (writerPaths ? HAS_WRITER_PATHS : 0));
  writer.writeVarint(count);
  writer.writeSection(encodeTimestamps(chunk.t));
  const { values } = chunk;
  switch (values.kind) {
    case 'number':
      writer.writeSection(encodeNumbers(values.values));
      break;
    case 'boolean':
      writer.writeSection(encodeBooleans(values.values));
      break;
    case 'json':
      writer.writeSection(encodeJsonValues(values.values));
      break;
  }
  if (writerPaths) writer.writeSection(writerPaths);
  return writer.finish();
}

/** Arrays a chunk's timestamps and numbers may be decoded into instead of new ones. */
export interface ChunkScratch {
  t: Float64Array;
  numbers: Float64Array;
}

function readHeader(bytes: Uint8Array) {
  const reader = new ByteReader(bytes);
  const version = reader.readByte();
  if (version !== CHUNK_VERSION) throw new RangeError(`unknown chunk version ${version}`);
  const flags = reader.readByte();
  if ((flags & ~(3 | HAS_WRITER_PATHS)) !== 0) throw new RangeError(`unknown chunk flags ${flags}`);
  const count = reader.readVarint();
  if (count > MAX_CHUNK_POINTS) throw new RangeError(`chunk claims ${count} points`);
  return { reader, flags, count };
}

/** Only the timestamps of `encodeChunk` output, into `out` (at least as long as the chunk) when given. */
export function decodeChunkTimes(bytes: Uint8Array, out?: Float64Array): Float64Array {
  const { reader, count } = readHeader(bytes);
  return decodeTimestamps(reader.readSection(), count, out?.subarray(0, count));
}

/**
 * Decodes `encodeChunk` output; throws a RangeError on data it did not write. With `scratch` (at
 * least as long as the chunk) timestamps and numbers are decoded into it: the chunk is then valid
 * until the scratch is reused.
 */
export function decodeChunk(bytes: Uint8Array, scratch?: ChunkScratch): DecodedChunk {
  const { reader, flags, count } = readHeader(bytes);
  if (scratch && (scratch.t.length < count || scratch.numbers.length < count)) {
    throw new RangeError(`chunk scratch of ${scratch.t.length} points cannot hold ${count}`);
  }
  const t = decodeTimestamps(reader.readSection(), count, scratch?.t.subarray(0, count));
  const valueBytes = reader.readSection();
  let values: ChunkValues;
  switch (flags & 3) {
    case KIND_CODES.number:
      values = {
        kind: 'number',
        values: decodeNumbers(valueBytes, count, scratch?.numbers.subarray(0, count)),
      };
      break;
    case KIND_CODES.boolean:
      values = { kind: 'boolean', values: decodeBooleans(valueBytes, count) };
      break;
    case KIND_CODES.json:
      values = { kind: 'json', values: decodeJsonValues(valueBytes, count) };
      break;
    default:
      throw new RangeError(`unknown value kind ${flags & 3}`);
  }
  const chunk: DecodedChunk = { t, values };
  if (flags & HAS_WRITER_PATHS) chunk.o = decodeWriterPaths(reader.readSection(), count);
  if (reader.remaining !== 0) throw new RangeError('chunk has trailing bytes');
  return chunk;
}
