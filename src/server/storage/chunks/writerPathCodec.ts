import { ByteReader, ByteWriter } from './byteStream';

/**
 * The per-point writer path `o`, which most chunks lack and the rest share among a few devices:
 * a dictionary of the distinct paths, then runs of (length, dictionary index + 1, or 0 for "no
 * writer"), all varints. Returns undefined — no section at all — when no point has a writer.
 */
export function encodeWriterPaths(o: readonly (string | undefined)[]): Uint8Array | undefined {
  if (o.every((path) => path === undefined)) return undefined;
  const codes = new Map<string, number>();
  const writer = new ByteWriter();
  const paths: string[] = [];
  for (const path of o) {
    if (path !== undefined && !codes.has(path)) {
      codes.set(path, paths.length + 1);
      paths.push(path);
    }
  }
  const encoder = new TextEncoder();
  writer.writeVarint(paths.length);
  for (const path of paths) writer.writeSection(encoder.encode(path));
  for (let i = 0; i < o.length;) {
    const code = o[i] === undefined ? 0 : codes.get(o[i]!)!;
    let j = i + 1;
    while (j < o.length && o[j] === o[i]) j++;
    writer.writeVarint(j - i);
    writer.writeVarint(code);
    i = j;
  }
  return writer.finish();
}

/** Decodes `count` writer paths written by `encodeWriterPaths`. */
export function decodeWriterPaths(bytes: Uint8Array, count: number): (string | undefined)[] {
  const reader = new ByteReader(bytes);
  const decoder = new TextDecoder();
  const paths: (string | undefined)[] = [undefined];
  const pathCount = reader.readVarint();
  for (let i = 0; i < pathCount; i++) paths.push(decoder.decode(reader.readSection()));
  const o = new Array<string | undefined>(count);
  for (let i = 0; i < count;) {
    const run = reader.readVarint();
    const code = reader.readVarint();
    if (run === 0 || i + run > count || code >= paths.length)
      throw new RangeError('corrupt writer-path runs');
    o.fill(paths[code], i, i + run);
    i += run;
  }
  if (reader.remaining !== 0) throw new RangeError('writer-path section has trailing bytes');
  return o;
}
