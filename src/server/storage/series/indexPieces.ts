/**
 * Where a run of positions lives: ranges of cached chunks, then the tail points after them (the
 * tail always follows every chunk point). Both adapters find the pieces; turning them into
 * datapoints or plot samples is the same for both.
 */
import type { Datapoint } from '../../../core/model';
import { concatSamples, numericSamples, type NumericSamples } from './rollupPeriods';
import type { ColumnarChunk } from './seriesCodec';

export interface IndexPieces {
  chunks: { chunk: ColumnarChunk; from: number; to: number }[];
  tail: Datapoint[];
}

export function piecePoints({ chunks, tail }: IndexPieces): Datapoint[] {
  const out: Datapoint[] = [];
  for (const { chunk, from, to } of chunks) for (const p of chunk.points(from, to)) out.push(p);
  for (const p of tail) out.push(p);
  return out;
}

export function pieceSamples({ chunks, tail }: IndexPieces): NumericSamples {
  const parts = chunks.map(({ chunk, from, to }) => chunk.samples(from, to));
  if (tail.length > 0) parts.push(numericSamples(tail));
  return concatSamples(parts);
}
