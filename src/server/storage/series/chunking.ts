/**
 * How a substream is laid out: sealed chunks of up to CHUNK_POINTS datapoints (fewer when their
 * values are large JSON, see CHUNK_JSON_CHARS) in storage order,
 * then a small "tail" of recent single writes kept one row per datapoint so that a single insert
 * costs one small row. Every tail point sorts after every chunk point (a point earlier than the
 * chunks' end goes into the chunks, not the tail), so positions are simple: the
 * chunks hold positions [0, chunkedCount) and the tail the rest. A write that lands before the
 * chunks' end is merged into the chunks around it and leaves the tail alone (`splitAtChunksEnd`).
 */
import type { Datapoint } from '../../../core/model';
import { encodePoints } from './seriesCodec';

/** Points per sealed chunk: large enough to compress well, small enough to decode in ~0.1 ms. */
export const CHUNK_POINTS = 4096;
/**
 * A chunk is also sealed once its JSON values (anything but numbers, booleans and null) and
 * writers take this many characters, however few points it holds: a read decodes a whole chunk,
 * and reading one point among 4,096 documents of 10 KB took ~95 ms.
 */
export const CHUNK_JSON_CHARS = 256 * 1024;
/** The tail is folded into chunks once it holds this many points. */
export const TAIL_FOLD_POINTS = 1024;
/**
 * An adapter that folds soon after the write rather than inside it (SQLite) folds inside a write
 * that would take the tail to this many points: folding has fallen behind the writes.
 */
export const TAIL_MAX_POINTS = 2 * TAIL_FOLD_POINTS;
/**
 * The same two limits on the size of the tail's values (characters of JSON), for an adapter that
 * keeps its tail in memory (SQLite): large values (documents, not readings) fold long before 1,024
 * points.
 */
export const TAIL_FOLD_BYTES = 1 << 20;
export const TAIL_MAX_BYTES = 2 * TAIL_FOLD_BYTES;
/** A batch at least this large skips the tail and is written as chunks directly. */
export const DIRECT_CHUNK_POINTS = 256;

/**
 * A chunk as stored: where it sits in the substream and what time span it covers.
 *
 * A run of new points [minT, maxT] is merged with the chunks it overlaps (`tEnd > minT` and
 * `tStart <= maxT`): chunks ending at or before minT stay before it (their equal-time points were
 * inserted earlier), chunks starting after maxT stay after it and only move by the number of new
 * points.
 */
export interface ChunkInfo {
  firstIndex: number;
  count: number;
  tStart: number;
  tEnd: number;
}

export interface NewChunk extends ChunkInfo {
  data: Uint8Array;
}

/**
 * Splits points (already in storage order) into chunks starting at `firstIndex`: full chunks, then
 * the remainder, so that a stream growing by appends ends up with full chunks.
 */
export function chunkPoints(points: readonly Datapoint[], firstIndex: number): NewChunk[] {
  const chunks: NewChunk[] = [];
  for (let from = 0, to = 0; from < points.length; from = to) {
    to = fullChunkEnd(points, from);
    const slice = points.slice(from, to);
    chunks.push({
      firstIndex: firstIndex + from,
      count: slice.length,
      tStart: slice[0]!.t,
      tEnd: slice[slice.length - 1]!.t,
      data: encodePoints(slice),
    });
  }
  return chunks;
}

/** Where a full chunk starting at `from` ends: after CHUNK_POINTS points or CHUNK_JSON_CHARS. */
function fullChunkEnd(points: readonly Datapoint[], from: number): number {
  const end = Math.min(points.length, from + CHUNK_POINTS);
  let chars = 0;
  for (let i = from; i < end; i++) {
    chars += jsonChars(points[i]!);
    if (chars >= CHUNK_JSON_CHARS) return i + 1;
  }
  return end;
}

/** The characters a point's JSON value and writer take in a chunk (typed columns count nothing). */
function jsonChars(p: Datapoint): number {
  const d = p.d;
  const value =
    typeof d === 'string' ? d.length + 2 : typeof d === 'object' && d !== null ? JSON.stringify(d).length : 0;
  return value + (p.o?.length ?? 0);
}

/**
 * Merges two runs sorted by time into storage order. On equal times the points of `earlier` come
 * first: they were inserted before the points of `later`.
 */
export function mergeByTime(earlier: readonly Datapoint[], later: readonly Datapoint[]): Datapoint[] {
  const out = new Array<Datapoint>(earlier.length + later.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < earlier.length && j < later.length) {
    out[k++] = later[j]!.t < earlier[i]!.t ? later[j++]! : earlier[i++]!;
  }
  while (i < earlier.length) out[k++] = earlier[i++]!;
  while (j < later.length) out[k++] = later[j++]!;
  return out;
}

/**
 * Splits a sorted batch where the sealed chunks end: `past` (before the chunks' last time) is
 * merged into the chunks it overlaps, `rest` goes after them like any append. So a point synced
 * late rewrites the chunks around its own time, never the years of chunks after it.
 */
export function splitAtChunksEnd(
  batch: readonly Datapoint[],
  stats: { chunkedCount: number; chunkEndT: number },
): { past: readonly Datapoint[]; rest: readonly Datapoint[] } {
  if (stats.chunkedCount === 0 || batch[0]!.t >= stats.chunkEndT) return { past: [], rest: batch };
  let split = 0;
  while (split < batch.length && batch[split]!.t < stats.chunkEndT) split++;
  return { past: batch.slice(0, split), rest: batch.slice(split) };
}
