import { Buffer } from 'node:buffer';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ByteReader, ByteWriter } from './byteStream';

/**
 * JSON values (each the JSON text of one datapoint's `d`) as one raw-deflate stream: the texts'
 * lengths in UTF-16 code units as varints, then the texts concatenated as UTF-8. Repeated keys and
 * values across points compress well together. Texts must be well-formed Unicode (JSON.stringify
 * output always is: it escapes lone surrogates).
 */
export function encodeJsonValues(values: readonly string[]): Uint8Array {
  const lengths = new ByteWriter(values.length * 2 + 16);
  for (const text of values) lengths.writeVarint(text.length);
  const header = lengths.finish();
  const text = Buffer.from(values.join(''), 'utf8');
  const raw = Buffer.allocUnsafe(header.length + text.length);
  raw.set(header, 0);
  raw.set(text, header.length);
  return deflateRawSync(raw);
}

/** Decodes `count` JSON texts written by `encodeJsonValues`. */
export function decodeJsonValues(bytes: Uint8Array, count: number): string[] {
  const raw = inflateRawSync(bytes);
  const reader = new ByteReader(raw);
  const lengths = new Array<number>(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    lengths[i] = reader.readVarint();
    total += lengths[i]!;
  }
  const joined = raw.toString('utf8', raw.length - reader.remaining);
  if (joined.length !== total) throw new RangeError('JSON section lengths do not match its text');
  const values = new Array<string>(count);
  for (let i = 0, offset = 0; i < count; i++) {
    values[i] = joined.slice(offset, offset + lengths[i]!);
    offset += lengths[i]!;
  }
  return values;
}
