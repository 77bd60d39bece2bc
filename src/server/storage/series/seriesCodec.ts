/**
 * Datapoints ↔ chunk bytes. A chunk holds consecutive datapoints of one substream in storage order
 * (time, then insertion); numbers and booleans are stored as typed columns, anything else as JSON.
 */
import type { Datapoint } from '../../../core/model';
import { classifyValues, decodeChunk, encodeChunk, type ChunkScratch, type DecodedChunk } from '../chunks';
import { numericSamples, type NumericSamples } from './rollupPeriods';

export function encodePoints(points: readonly Datapoint[]): Uint8Array {
  const t = new Float64Array(points.length);
  const ds = new Array<unknown>(points.length);
  let hasWriter = false;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    t[i] = p.t;
    ds[i] = p.d ?? null;
    if (p.o) hasWriter = true;
  }
  const chunk: DecodedChunk = { t, values: classifyValues(ds) };
  if (hasWriter) chunk.o = points.map((p) => p.o || undefined);
  return encodeChunk(chunk);
}

/** How many of `times` (in storage order, so ascending) are at or before `t`: a binary search. */
export function countAtOrBefore(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A decoded chunk as its columns, which is how chunks are cached: typed arrays hold a chunk in a
 * third of the memory of 4,096 datapoint objects and cost the garbage collector nothing to trace,
 * so a cache of them does not slow every other request down. Datapoints are made when asked for.
 */
export class ColumnarChunk {
  private readonly chunk: DecodedChunk;

  /** With `scratch`, the chunk is decoded into it and valid only until the scratch is reused. */
  constructor(bytes: Uint8Array, scratch?: ChunkScratch) {
    this.chunk = decodeChunk(bytes, scratch);
  }

  get length(): number {
    return this.chunk.t.length;
  }

  /** The time of point `i`. */
  t(i: number): number {
    return this.chunk.t[i]!;
  }

  /** How many points have a time at or before `t`. */
  countAtOrBefore(t: number): number {
    return countAtOrBefore(this.chunk.t, t);
  }

  /** New datapoints with `t1 < t <= t2`, at most `max` of them. */
  pointsBetween(t1: number, t2: number, max: number): Datapoint[] {
    const from = this.countAtOrBefore(t1);
    return this.points(from, Math.min(this.countAtOrBefore(t2), from + max));
  }

  /**
   * The plottable values of positions [from, to), as `numericSamples` makes them. For a chunk of
   * numbers (JSON numbers: always finite) these are views of the columns, not copies.
   */
  samples(from = 0, to = this.length): NumericSamples {
    const { t, values } = this.chunk;
    if (values.kind === 'number') return { t: t.subarray(from, to), v: values.values.subarray(from, to) };
    if (values.kind === 'boolean')
      return { t: t.subarray(from, to), v: Float64Array.from(values.values.subarray(from, to)) };
    return numericSamples(this.points(from, to));
  }

  /** New datapoints for positions [from, to). */
  points(from = 0, to = this.length): Datapoint[] {
    const { t, values, o } = this.chunk;
    const out = new Array<Datapoint>(Math.max(0, to - from));
    for (let i = from; i < to; i++) {
      const d =
        values.kind === 'number'
          ? values.values[i]
          : values.kind === 'boolean'
            ? values.values[i] === 1
            : (JSON.parse(values.values[i]!) as unknown);
      const writer = o?.[i];
      out[i - from] = writer ? { t: t[i]!, d, o: writer } : { t: t[i]!, d };
    }
    return out;
  }
}
