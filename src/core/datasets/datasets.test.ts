import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../model';
import { datapointsToJson } from '../model';
import {
  DatasetError,
  POSTTRANSFORM_MAX_VALUES,
  buildTDataset,
  buildXDataset,
  createInterpolator,
  mergeDatapoints,
  mergedDatapoints,
  prepareTDataset,
  validateDatasetQuery,
} from './index';
import type { DatasetQuery } from './index';

const points = (pairs: [number, unknown][]): Datapoint[] => pairs.map(([t, d]) => ({ t, d }));

// The streams of the Python client's query_test.py.
const temperature = points([
  [2, 73],
  [5, 84],
  [8, 81],
  [11, 79],
]);
const mood = points([
  [1, 7],
  [4, 3],
  [11, 5],
]);

describe('mergeDatapoints', () => {
  it('reproduces the Python client test: whole s1, s2 after t=3, s3 index 1..2', () => {
    const s1 = points([1, 2, 3, 4, 5].map((t) => [t, 1]));
    const s2 = points([3.1, 4.1, 5.1].map((t) => [t, 2]));
    const s3 = points([[2.2, 3]]);
    expect(mergeDatapoints([s1, s2, s3])).toEqual(
      points([
        [1, 1],
        [2, 1],
        [2.2, 3],
        [3, 1],
        [3.1, 2],
        [4, 1],
        [4.1, 2],
        [5, 1],
        [5.1, 2],
      ]),
    );
  });

  it('orders equal timestamps by stream order, then by position, and drops o', () => {
    const a = [
      { t: 1, d: 'a1', o: 'u/x' },
      { t: 1, d: 'a2' },
    ];
    const b = [{ t: 1, d: 'b1', o: 'u/y' }];
    expect(mergeDatapoints([b, a])).toEqual(points([1, 1, 1].map((t, i) => [t, ['b1', 'a1', 'a2'][i]])));
    expect(mergeDatapoints([b, a]).some((dp) => 'o' in dp)).toBe(false);
  });

  it('produces the merge one datapoint at a time', () => {
    const merged = mergedDatapoints([temperature, mood]);
    expect(merged.next().value).toEqual({ t: 1, d: 7 });
    expect(merged.next().value).toEqual({ t: 2, d: 73 });
    expect([...merged]).toHaveLength(5);
  });

  it('merges nothing into nothing', () => {
    expect(mergeDatapoints([])).toEqual([]);
    expect(mergeDatapoints([[], []])).toEqual([]);
  });
});

describe('buildTDataset', () => {
  it('reproduces the Python client T-dataset (closest, t1=0, t2=8.1, dt=2)', () => {
    const rows = buildTDataset({
      t1: 0,
      t2: 8.1,
      dt: 2,
      columns: { temperature: { points: temperature, interpolator: 'closest', allownil: false } },
    });
    expect(JSON.parse(datapointsToJson(rows))).toEqual([
      { d: { temperature: 73 } },
      { t: 2, d: { temperature: 73 } },
      { t: 4, d: { temperature: 84 } },
      { t: 6, d: { temperature: 84 } },
      { t: 8, d: { temperature: 81 } },
    ]);
  });

  it('places rows at t1 + i*dt without accumulating rounding error', () => {
    const rows = buildTDataset({
      t1: 0,
      t2: 1,
      dt: 0.1,
      columns: { c: { points: [], interpolator: 'count', allownil: false } },
    });
    expect(rows.map((r) => r.t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i * 0.1));
  });

  it('drops rows with a null column unless the column allows nil', () => {
    const columns = (allownil: boolean) => ({
      temperature: { points: temperature, interpolator: 'before', allownil },
    });
    expect(buildTDataset({ t1: 0, t2: 6, dt: 2, columns: columns(false) }).map((r) => r.t)).toEqual([2, 4]);
    expect(buildTDataset({ t1: 0, t2: 6, dt: 2, columns: columns(true) })[0]).toEqual({
      t: 0,
      d: { temperature: null },
    });
  });

  it("rejects the original's invalid ranges", () => {
    const columns = { c: { points: [], interpolator: 'count', allownil: false } };
    const fails = (t1: number, t2: number, dt: number) => () => buildTDataset({ t1, t2, dt, columns });
    expect(fails(-1, 10, 1)).toThrow(DatasetError);
    expect(fails(0, 0.5, 1)).toThrow('Tdataset range invalid');
    expect(fails(0, 10, 0.0001)).toThrow(/limited to a max of 10000000 datapoints/);
    expect(fails(0, 20_000_001, 1)).toThrow(/limited/);
  });

  it('runs a post-transform over the rows', () => {
    const rows = buildTDataset({
      t1: 2,
      t2: 9,
      dt: 3,
      columns: { temperature: { points: temperature, interpolator: 'closest', allownil: false } },
      posttransform: '$("temperature") | sum | if last',
    });
    expect(rows).toEqual([{ t: 8, d: 73 + 84 + 81 }]);
  });

  it('wraps script failures in a DatasetError naming the column', () => {
    const build = () =>
      buildTDataset({
        t1: 0,
        t2: 10,
        dt: 5,
        columns: { name: { points: points([[1, 'x']]), interpolator: '$ > 1', allownil: false } },
      });
    expect(build).toThrow(DatasetError);
    expect(build).toThrow(/Dataset element 'name'/);
  });
});

describe('the first row of windowed interpolators', () => {
  const column = (interpolator: string) => ({ points: temperature, interpolator, allownil: false });
  const tRows = (interpolator: string) =>
    buildTDataset({ t1: 6, t2: 12, dt: 3, columns: { c: column(interpolator) } }).map((r) => [
      r.t,
      (r.d as { c: unknown }).c,
    ]);

  it('aggregates only (t1 - dt, t1] in a T-dataset, not the datapoints before it', () => {
    // temperature (2,73) (5,84) (8,81) (11,79): the row at 6 sees (3, 6], not 2 as well.
    expect(tRows('sum')).toEqual([
      [6, 84],
      [9, 81],
    ]);
    expect(tRows('count')).toEqual([
      [6, 1],
      [9, 1],
    ]);
    expect(tRows('mean')).toEqual([
      [6, 84],
      [9, 81],
    ]);
    expect(tRows('$ + 1')).toEqual([
      [6, 85],
      [9, 82],
    ]);
  });

  it('still gives before and closest the datapoints before t1', () => {
    expect(tRows('before')).toEqual([
      [6, 84],
      [9, 81],
    ]);
    expect(tRows('closest')).toEqual([
      [6, 84],
      [9, 81],
    ]);
  });

  it('aggregates only the datapoints at the first X timestamp in an X-dataset', () => {
    const rows = buildXDataset({
      x: mood,
      columns: { sum: column('sum'), count: column('count') },
    });
    expect(rows.map((r) => [r.t, r.d])).toEqual([
      [1, { sum: 0, count: 0, x: 7 }],
      [4, { sum: 73, count: 1, x: 3 }],
      [11, { sum: 84 + 81 + 79, count: 3, x: 5 }],
    ]);
    const atFirst = buildXDataset({
      x: points([[5, 'first']]),
      columns: { count: column('count') },
    });
    expect(atFirst).toEqual([{ t: 5, d: { count: 1, x: 'first' } }]);
  });
});

describe('prepared datasets', () => {
  it('computes rows one at a time, so a large dataset is never held whole', () => {
    const dataset = prepareTDataset({
      t1: 0,
      t2: 10_000_000,
      dt: 1,
      columns: { temperature: { points: temperature, interpolator: 'closest', allownil: false } },
    });
    expect([...dataset.check()]).toEqual([]);
    const rows = dataset.rows();
    expect([rows.next().value, rows.next().value, rows.next().value]).toEqual([
      { t: 0, d: { temperature: 73 } },
      { t: 1, d: { temperature: 73 } },
      { t: 2, d: { temperature: 73 } },
    ]);
    rows.return();
  });

  it('finds an error of the last row in check, before any row is handed out', () => {
    const late = points([
      [1, 3],
      [99_990, 'oops'],
    ]);
    const dataset = prepareTDataset({
      t1: 0,
      t2: 100_000,
      dt: 1,
      columns: { a: { points: late, interpolator: 'sum', allownil: false } },
    });
    expect(() => [...dataset.check()]).toThrow(/Dataset element 'a': The sum interpolator could not convert/);
  });

  it('names the column and the place in the script of a run-time error', () => {
    const dataset = prepareTDataset({
      t1: 0,
      t2: 10,
      dt: 5,
      columns: { a: { points: points([[1, 'x']]), interpolator: 'if $ > 1', allownil: false } },
    });
    expect(() => [...dataset.check()]).toThrow(
      "Dataset element 'a': PipeScript run-time error: Values given to comparison not numerical: 'x' > 1 (at character 6, near “if $ > 1”)",
    );
  });

  it('refuses a posttransform over more values than it may hold, saying how to narrow the query', () => {
    const columns = {
      a: { points: temperature, interpolator: 'closest', allownil: false },
      b: { points: temperature, interpolator: 'closest', allownil: false },
    };
    const rows = POSTTRANSFORM_MAX_VALUES / 2;
    expect(() => prepareTDataset({ t1: 0, t2: rows, dt: 1, columns, posttransform: '$' })).not.toThrow();
    const tooMany = () => prepareTDataset({ t1: 0, t2: rows + 1, dt: 1, columns, posttransform: '$' });
    expect(tooMany).toThrow(DatasetError);
    expect(tooMany).toThrow(
      /limited to 250000 values \(rows × columns\); this one has 125001 rows × 2 columns/,
    );
    expect(() => prepareTDataset({ t1: 0, t2: 10 * rows, dt: 1, columns })).not.toThrow();
    const body = { t1: 0, t2: rows + 1, dt: 1, posttransform: '$', dataset: { a: { stream: 'u/d/a' } } };
    expect(validateDatasetQuery(body)).not.toBeInstanceOf(DatasetError);
    expect(
      validateDatasetQuery({ ...body, dataset: { a: { stream: 'u/d/a' }, b: { stream: 'u/d/b' } } }),
    ).toBeInstanceOf(DatasetError);
  });
});

describe('buildXDataset', () => {
  it('reproduces the Python client X-dataset (x = mood, temperature closest)', () => {
    const rows = buildXDataset({
      x: mood,
      columns: { temperature: { points: temperature, interpolator: 'closest', allownil: false } },
    });
    expect(rows).toEqual([
      { t: 1, d: { temperature: 73, x: 7 } },
      { t: 4, d: { temperature: 84, x: 3 } },
      { t: 11, d: { temperature: 79, x: 5 } },
    ]);
  });

  it('refuses a column named x', () => {
    const build = () =>
      buildXDataset({
        x: mood,
        columns: { x: { points: temperature, interpolator: 'closest', allownil: false } },
      });
    expect(build).toThrow("Dataset already contains field of name 'x'");
  });
});

describe('interpolators', () => {
  const series = points([
    [1, 10],
    [2, 20],
    [3, 30],
    [5, 50],
  ]);
  const values = (name: string, timestamps: number[]) => {
    const interpolator = createInterpolator(name, series);
    return timestamps.map((ts) => interpolator.at(ts)?.d ?? null);
  };

  it('closest takes the nearer datapoint, the earlier one on a tie', () => {
    expect(values('closest', [0, 1.5, 2.6, 4, 9])).toEqual([10, 10, 30, 30, 50]);
  });
  it('before takes the last datapoint at or before the row, null before the first', () => {
    expect(values('before', [0, 1, 2.5, 4, 9])).toEqual([null, 10, 20, 30, 50]);
  });
  it('after takes the first datapoint after the row', () => {
    expect(values('after', [0, 1, 2.5, 4, 9])).toEqual([10, 20, 30, 50, null]);
  });
  it('sum, count and mean use the datapoints in (previous row, row]', () => {
    expect(values('sum', [0, 2, 4, 6])).toEqual([0, 30, 30, 50]);
    expect(values('count', [0, 2, 4, 6])).toEqual([0, 2, 1, 1]);
    expect(values('mean', [0, 2, 4, 6])).toEqual([0, 15, 30, 50]);
  });
  it('runs any other string as a script over the window and keeps its last output', () => {
    expect(values('$ * 2', [0, 2, 4, 6])).toEqual([null, 40, 60, 100]);
    expect(values('max', [2, 6])).toEqual([20, 50]);
  });
  it('rejects a string that is neither an interpolator nor a script', () => {
    expect(() => createInterpolator('nearest', series)).toThrow(DatasetError);
  });
  it('fails on data that sum cannot add', () => {
    const interpolator = createInterpolator('sum', points([[1, 'abc']]));
    expect(() => interpolator.at(2)).toThrow(DatasetError);
  });
});

describe('validateDatasetQuery', () => {
  const ok = (body: unknown): DatasetQuery => {
    const result = validateDatasetQuery(body);
    if (result instanceof DatasetError) throw result;
    return result;
  };
  const error = (body: unknown): string => {
    const result = validateDatasetQuery(body);
    expect(result).toBeInstanceOf(DatasetError);
    return (result as DatasetError).message;
  };

  it('accepts a T-dataset as the Python client sends it', () => {
    const query = ok({
      t1: 0,
      t2: 8.1,
      dt: 2,
      dataset: { temperature: { stream: 'u/d/temperature', interpolator: 'closest' } },
    });
    expect(query).toEqual({
      kind: 't',
      t1: 0,
      t2: 8.1,
      dt: 2,
      dataset: {
        temperature: {
          source: {
            type: 'stream',
            query: { stream: 'u/d/temperature', i1: 0, i2: 0, t1: 0, t2: 0, limit: 0 },
          },
          interpolator: 'closest',
          allownil: false,
        },
      },
    });
  });

  it('accepts an X-dataset from a stream or from a merge, with element merges and a post-transform', () => {
    const x = ok({ stream: 'u/d/mood', i1: -1000, dataset: { t: { stream: 'u/d/t', allownil: true } } });
    expect(x.kind).toBe('x');
    const merged = ok({
      merge: [{ stream: 'u/d/a' }, { stream: 'u/d/b', t1: 5 }],
      posttransform: 'if $("t") > 3',
      dataset: { t: { merge: [{ stream: 'u/d/t', transform: '$ + 1' }], interpolator: 'sum' } },
    });
    expect(merged).toMatchObject({ kind: 'x', x: { type: 'merge' }, posttransform: 'if $("t") > 3' });
    expect(merged.dataset.t!.source.type).toBe('merge');
    expect(merged.dataset.t!.interpolator).toBe('sum');
  });

  it('defaults a missing interpolator to closest', () => {
    expect(ok({ stream: 'u/d/m', dataset: { t: { stream: 'u/d/t' } } }).dataset.t!.interpolator).toBe(
      'closest',
    );
  });

  it("reports the original's errors", () => {
    expect(error(null)).toMatch(/JSON object/);
    expect(error({ t1: 0, t2: 5, dt: 1 })).toBe('The dataset query must have a dataset!');
    expect(error({ t1: 0, t2: 5, dt: 1, dataset: {} })).toBe('The dataset query must have a dataset!');
    const dataset = { a: { stream: 'u/d/a' } };
    expect(error({ t1: -1, t2: 5, dt: 1, dataset })).toBe('Tdataset range invalid');
    expect(error({ t1: 0, t2: 0.5, dt: 1, dataset })).toBe('Tdataset range invalid');
    expect(error({ t1: 0, t2: 5, dt: 0.0001, dataset })).toMatch(/min dt 0.001/);
    expect(error({ i1: 3, t2: 5, dt: 1, dataset })).toMatch(/index or time/);
    expect(error({ stream: 'u/d/x', dt: 1, dataset })).toBe(
      'Dataset must be either time or stream based. Not both.',
    );
    expect(error({ stream: 'u/d/x', dataset: { x: { stream: 'u/d/a' } } })).toBe(
      "Dataset already contains field of name 'x'",
    );
    expect(
      error({ stream: 'u/d/x', dataset: { a: { stream: 'u/d/a', merge: [{ stream: 'u/d/b' }] } } }),
    ).toMatch(/both a merge and a stream/);
    expect(
      error({ stream: 'u/d/x', dataset: { a: { transform: '$', merge: [{ stream: 'u/d/b' }] } } }),
    ).toMatch(/Set transforms within each merge element/);
    expect(error({ stream: 'u/d/x', dataset: { a: {} } })).toMatch(/No stream\(s\) were selected/);
    expect(error({ stream: 'u/d/x', dataset: { a: { merge: [{ t1: 4 }] } } })).toMatch(
      /'stream' is required/,
    );
  });

  it('checks field types and scripts', () => {
    const dataset = { a: { stream: 'u/d/a' } };
    expect(error({ stream: 'u/d/x', i1: 1.5, dataset })).toMatch(/'i1' must be an integer/);
    expect(error({ t1: '0', t2: 5, dt: 1, dataset })).toMatch(/'t1' must be a number/);
    expect(error({ stream: 'u/d/x', dataset: { a: { stream: 'u/d/a', allownil: 'yes' } } })).toMatch(
      /'allownil' must be a boolean/,
    );
    expect(error({ stream: 'u/d/x', transform: 'if $ >', dataset })).toMatch(/transform/);
    expect(error({ stream: 'u/d/x', posttransform: 'orange', dataset })).toMatch(
      /Transform 'orange' not found/,
    );
    expect(error({ stream: 'u/d/x', dataset: { a: { stream: 'u/d/a', interpolator: 'nearest' } } })).toMatch(
      /interpolator/,
    );
    const merge = Array.from({ length: 11 }, (_, i) => ({ stream: `u/d/s${i}` }));
    expect(error({ merge, dataset })).toMatch(/at most 10 streams/);
  });
});
