import { describe, expect, it } from 'vitest';
import { buildRollup, M4_FIELDS, ROLLUP_FIELDS } from '../../../core/timeseries';
import { randomSeries } from '../../../core/timeseries/testing/randomSeries';
import { seededRandom } from '../../../core/timeseries/testing/seededRandom';
import { encodeRollupChunk } from '../chunks';
import { RollupPeriod } from './RollupPeriod';

describe('RollupPeriod', () => {
  const { t, v } = randomSeries(seededRandom(5), 8000, 'spikes');
  const series = buildRollup(t, v, 10);
  const bytes = encodeRollupChunk(series);

  it('decodes the columns a reader picks, and all of them when asked', () => {
    const period = RollupPeriod.fromBytes(bytes);
    expect(period.length).toBe(series.length);
    expect(period.widthSeconds).toBe(10);
    const plot = period.pick(M4_FIELDS);
    expect(Object.keys(plot).sort()).toEqual(['length', 'start', 'widthSeconds', ...M4_FIELDS].sort());
    for (const column of ['start', ...M4_FIELDS] as const) expect(plot[column]).toEqual(series[column]);
    const all = period.series();
    for (const column of ['start', ...ROLLUP_FIELDS] as const) expect(all[column]).toEqual(series[column]);
    // Columns decoded once are kept: picking again hands out the same arrays.
    expect(period.pick(M4_FIELDS).first).toBe(plot.first);
  });

  it('holds a series it is given as it is', () => {
    const period = RollupPeriod.fromSeries(series);
    expect(period.series().sum).toBe(series.sum);
    expect(period.pick(['min']).min).toBe(series.min);
  });

  it('refuses bytes the codec did not write', () => {
    expect(() => RollupPeriod.fromBytes(Uint8Array.from([9, ...bytes.subarray(1)]))).toThrow(RangeError);
  });
});
