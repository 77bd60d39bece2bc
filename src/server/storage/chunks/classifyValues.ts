import type { ChunkValues } from './chunkCodec';

/**
 * Picks the cheapest representation for a chunk's `d` values: `number` when every one is a finite
 * JS number (an empty chunk counts), `boolean` when every one is a boolean, otherwise `json` with
 * each value's JSON text (`undefined` is stored as `'null'`, as on the wire).
 */
export function classifyValues(ds: readonly unknown[]): ChunkValues {
  if (ds.every((d) => typeof d === 'number' && Number.isFinite(d))) {
    return { kind: 'number', values: Float64Array.from(ds as number[]) };
  }
  if (ds.every((d) => typeof d === 'boolean')) {
    return { kind: 'boolean', values: Uint8Array.from(ds as boolean[], (d) => (d ? 1 : 0)) };
  }
  return { kind: 'json', values: ds.map((d) => JSON.stringify(d) ?? 'null') };
}

/** The `d` values back from a chunk: numbers, booleans or parsed JSON. */
export function chunkValuesToData(values: ChunkValues): unknown[] {
  switch (values.kind) {
    case 'number':
      return Array.from(values.values);
    case 'boolean':
      return Array.from(values.values, (b) => b === 1);
    case 'json':
      return values.values.map((text) => JSON.parse(text) as unknown);
  }
}
