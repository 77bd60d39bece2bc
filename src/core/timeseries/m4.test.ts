import { describe, expect, it } from 'vitest';
import { columnOf } from './bucketStart';
import type { M4Result } from './m4';
import { m4FromPoints, m4FromRollup, m4ToPolyline } from './m4';
import { m4BinaryBytes } from './m4Binary';
import { planPlot } from './planPlot';
import { ROLLUP_LEVELS, buildRollup, buildRollupPyramid } from './rollup';
import { SERIES_SHAPES, randomSeries } from './testing/randomSeries';
import { randomInt, seededRandom } from './testing/seededRandom';

const columnsOf = (result: M4Result) => Array.from(result.column);

describe('m4FromPoints', () => {
  it('keeps first, min, max and last per non-empty column and ignores points outside', () => {
    const t = [5, 10, 11, 12, 13, 30, 31, 55, 60];
    const v = [9, 1, 5, -3, 2, 7, 7, 4, 100];
    const result = m4FromPoints(t, v, { t0: 10, columnWidth: 10, width: 5 });
    expect(result.t0).toBe(10);
    expect(result.columnWidth).toBe(10);
    expect(columnsOf(result)).toEqual([0, 2, 4]);
    expect(Array.from(result.first)).toEqual([1, 7, 4]);
    expect(Array.from(result.min)).toEqual([-3, 7, 4]);
    expect(Array.from(result.max)).toEqual([5, 7, 4]);
    expect(Array.from(result.last)).toEqual([2, 7, 4]);
    expect(Array.from(result.tFirst)).toEqual([10, 30, 55]);
    expect(Array.from(result.tLast)).toEqual([13, 31, 55]);
  });

  it('returns an empty result for an empty window', () => {
    expect(m4FromPoints([1, 2], [1, 2], { t0: 100, columnWidth: 1, width: 10 }).column.length).toBe(0);
  });
});

describe('m4FromRollup', () => {
  it('equals m4FromPoints on the raw points for every plan planPlot makes', () => {
    const random = seededRandom(21);
    let rollupPlans = 0;
    for (const shape of SERIES_SHAPES) {
      const { t, v } = randomSeries(random, 30_000, shape);
      const pyramid = buildRollupPyramid(t, v);
      const span = t[t.length - 1]! - t[0]!;
      for (let trial = 0; trial < 40; trial++) {
        const t0 = t[0]! + (random() * 1.2 - 0.1) * span;
        const t1 = t0 + Math.max(1, random() * span);
        const plan = planPlot({ t0, t1, width: randomInt(random, 10, 800), levels: ROLLUP_LEVELS });
        if (plan.source !== 'rollup') continue;
        rollupPlans++;
        const fromRollup = m4FromRollup([pyramid[ROLLUP_LEVELS.indexOf(plan.level)]!], plan);
        expect(fromRollup).toEqual(m4FromPoints(t, v, plan));
      }
    }
    expect(rollupPlans).toBeGreaterThan(150);
  });

  it('takes buckets as runs, one of which may start with the bucket the previous one ended with', () => {
    const random = seededRandom(22);
    const { t, v } = randomSeries(random, 20_000, 'spikes');
    for (let trial = 0; trial < 30; trial++) {
      // Split the points (not the buckets) at random places, as stored periods and a tail do.
      const cuts = [0, ...Array.from({ length: 3 }, () => randomInt(random, 1, t.length - 1)), t.length];
      cuts.sort((a, b) => a - b);
      const runs = cuts.slice(1).map((to, i) => buildRollup(t.slice(cuts[i], to), v.slice(cuts[i], to), 60));
      const plan = planPlot({
        t0: t[0]!,
        t1: t[t.length - 1]! + 1,
        width: randomInt(random, 5, 300),
        levels: [60],
      });
      if (plan.source !== 'rollup') continue;
      expect(m4FromRollup(runs, plan)).toEqual(m4FromPoints(t, v, plan));
    }
  });

  it('writes into a scratch buffer for the widest plan, however few columns it fills, with equal results', () => {
    const random = seededRandom(23);
    const { t, v } = randomSeries(random, 20_000, 'steps');
    const pyramid = buildRollupPyramid(t, v);
    const scratch = new ArrayBuffer(m4BinaryBytes(2 * 800 + 1));
    for (let trial = 0; trial < 40; trial++) {
      const t0 = t[0]! + random() * (t[t.length - 1]! - t[0]!);
      const plan = planPlot({
        t0,
        t1: t0 + 10 + random() * 20_000,
        width: randomInt(random, 1, 800),
        levels: ROLLUP_LEVELS,
      });
      const fromPoints = m4FromPoints(t, v, plan, scratch);
      expect(fromPoints.first.buffer).toBe(scratch);
      expect(fromPoints).toEqual(m4FromPoints(t, v, plan));
      if (plan.source !== 'rollup') continue;
      const fromRollup = m4FromRollup([pyramid[ROLLUP_LEVELS.indexOf(plan.level)]!], plan, scratch);
      expect(fromRollup.tLast.buffer).toBe(scratch);
      expect(fromRollup).toEqual(m4FromRollup([pyramid[ROLLUP_LEVELS.indexOf(plan.level)]!], plan));
    }
    expect(() => m4FromPoints(t, v, { t0: t[0]!, columnWidth: 1, width: 2000 }, scratch)).toThrow(RangeError);
  });

  it('refuses a series of another level than the plan', () => {
    const series = buildRollup([0, 1], [1, 2], 10);
    expect(() => m4FromRollup([series], { level: 60, t0: 0, columnWidth: 60, width: 1 })).toThrow(RangeError);
  });
});

describe('m4ToPolyline', () => {
  it('draws first, the extremes in line order at a time inside the column, then last', () => {
    const result = m4FromPoints([0, 1, 2, 3, 10, 11, 12, 20], [5, 9, -1, 6, 3, 0, 8, 4], {
      t0: 0,
      columnWidth: 10,
      width: 3,
    });
    const { t, v } = m4ToPolyline(result);
    // Column 0: first 5 is nearer max 9 than min -1, so max comes first. Column 2: a single point.
    expect(Array.from(v)).toEqual([5, 9, -1, 6, 3, 0, 8, 4]);
    expect(Array.from(t)).toEqual([0, 1.5, 1.5, 3, 10, 11, 11, 12, 20].filter((_, i) => i !== 6));
  });

  it('skips extremes that the first-to-last stroke already covers', () => {
    const result = m4FromPoints([0, 1, 2], [1, 2, 3], { t0: 0, columnWidth: 10, width: 1 });
    expect(Array.from(m4ToPolyline(result).v)).toEqual([1, 3]);
  });

  it('keeps every point in the column it summarises', () => {
    const random = seededRandom(8);
    const { t, v } = randomSeries(random, 20_000, 'fractional');
    const columns = { t0: t[100]!, columnWidth: 37.3, width: 500 };
    const result = m4FromPoints(t, v, columns);
    const line = m4ToPolyline(result);
    let k = 0;
    for (let i = 0; i < result.column.length; i++) {
      while (k < line.t.length && columnOf(line.t[k]!, columns.t0, columns.columnWidth) === result.column[i])
        k++;
    }
    expect(k).toBe(line.t.length);
    for (let i = 1; i < line.t.length; i++) expect(line.t[i]!).toBeGreaterThanOrEqual(line.t[i - 1]!);
  });
});
