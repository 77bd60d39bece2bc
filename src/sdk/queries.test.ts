/**
 * The query types are the contract's rules in the type system; `tsc -b` (npm run typecheck) checks
 * the `@ts-expect-error` lines, vitest checks the values are what the wire examples send.
 */
import { describe, expect, it } from 'vitest';
import type { DataRange, DatasetQuery, StreamQuery } from './queries';
import { rangeQuery } from './TributaryClient';

describe('query types', () => {
  it('accept the contract examples', () => {
    const merge: StreamQuery[] = [
      { stream: 'u/d/s1', i1: 0 },
      { stream: 'u/d/s2', t1: 3.0 },
      { stream: 'u/d/s3', i1: 1, i2: 2, transform: 'if $ > 5' },
    ];
    const tDataset: DatasetQuery = {
      t1: 0,
      t2: 8.1,
      dt: 2,
      dataset: { temperature: { stream: 'u/d/temp', interpolator: 'closest' } },
    };
    const xDataset: DatasetQuery = {
      stream: 'u/d/mood',
      i1: 0,
      dataset: {
        temperature: { stream: 'u/d/temp', interpolator: 'before', allownil: true },
        both: { merge: [{ stream: 'u/d/a', i1: 0 }], interpolator: 'sum' },
      },
      posttransform: 'd("x")',
    };
    expect([merge.length, tDataset.dataset, xDataset.dataset.both?.interpolator]).toEqual([
      3,
      tDataset.dataset,
      'sum',
    ]);
  });

  it('reject mixed ranges and mixed dataset kinds', () => {
    // @ts-expect-error index and time range mixed
    const mixed: DataRange = { i1: 0, t1: 5 };
    // @ts-expect-error a T-dataset has no X stream
    const both: DatasetQuery = { t1: 0, t2: 10, dt: 1, stream: 'u/d/s', dataset: {} };
    // @ts-expect-error a merge column takes its transforms per merged stream
    const column: DatasetQuery = { t1: 0, t2: 1, dt: 1, dataset: { c: { merge: [], transform: 'x' } } };
    expect([mixed, both, column]).toHaveLength(3);
  });

  it('turn ranges into query parameters', () => {
    expect(rangeQuery({})).toEqual({ i1: 0, i2: undefined });
    expect(rangeQuery({ t2: 10 })).toEqual({ t1: 0, t2: 10, limit: undefined });
    expect(rangeQuery({ t1: 'now-7d', limit: 0 })).toEqual({ t1: 'now-7d', t2: undefined, limit: undefined });
    expect(() => rangeQuery({ i1: 1, t1: 2 } as unknown as DataRange)).toThrow(TypeError);
  });
});
