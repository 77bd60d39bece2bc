/**
 * Datapoints ↔ chunk bytes. A chunk holds consecutive datapoints of one substream in storage order
 * (time, then insertion); numbers and booleans are stored as typed columns, anything else as JSON.
 */
import type { Datapoint } from '../../../core/model';
import { chunkValuesToData, classifyValues, decodeChunk, encodeChunk, type DecodedChunk } from '../chunks';

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

export function decodePoints(bytes: Uint8Array): Datapoint[] {
  const chunk = decodeChunk(bytes);
  const ds = chunkValuesToData(chunk.values);
  const points = new Array<Datapoint>(chunk.t.length);
  for (let i = 0; i < points.length; i++) {
    const o = chunk.o?.[i];
    points[i] = o ? { t: chunk.t[i]!, d: ds[i], o } : { t: chunk.t[i]!, d: ds[i] };
  }
  return points;
}
