import { describe, expect, it } from 'vitest';
import { planPlot } from './planPlot';
import { ROLLUP_LEVELS } from './rollup';
import { seededRandom } from './testing/seededRandom';

const YEAR = 365 * 86_400;

describe('planPlot', () => {
  it('reads the hourly level for a year at 2,000 px, in whole-bucket columns', () => {
    const t0 = 1_700_000_123.5;
    const plan = planPlot({ t0, t1: t0 + YEAR, width: 2000, levels: ROLLUP_LEVELS });
    // A pixel spans 15,768 s: 3,600 s is the coarsest level within it; 4 hours make a column.
    expect(plan).toEqual({
      source: 'rollup',
      level: 3600,
      t0: 1_699_999_200,
      columnWidth: 14_400,
      width: 2191,
    });
  });

  it('snaps columns to bucket boundaries, never wider than a pixel, covering the window', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 5000; trial++) {
      const t0 = 1_600_000_000 + (random() - 0.5) * 1e8;
      const t1 = t0 + Math.exp(random() * Math.log(2 * YEAR));
      const width = 1 + Math.floor(random() * 3000);
      const plan = planPlot({ t0, t1, width, levels: ROLLUP_LEVELS });
      const pixelSeconds = (t1 - t0) / width;
      if (plan.source === 'raw') {
        expect(pixelSeconds).toBeLessThan(ROLLUP_LEVELS[0]!);
        continue;
      }
      expect(plan.level).toBeLessThanOrEqual(pixelSeconds);
      const coarser = ROLLUP_LEVELS.find((level) => level > plan.level);
      if (coarser !== undefined) expect(coarser).toBeGreaterThan(pixelSeconds);
      expect(Number.isInteger(plan.t0 / plan.level)).toBe(true);
      expect(Number.isInteger(plan.columnWidth / plan.level)).toBe(true);
      expect(plan.columnWidth).toBeLessThanOrEqual(pixelSeconds);
      expect(plan.columnWidth).toBeGreaterThan(pixelSeconds / 2);
      expect(plan.t0).toBeLessThanOrEqual(t0);
      expect(plan.t0 > t0 - plan.level).toBe(true);
      expect(plan.t0 + plan.width * plan.columnWidth).toBeGreaterThanOrEqual(t1);
      expect(plan.t0 + (plan.width - 1) * plan.columnWidth).toBeLessThan(t1);
      // At least the requested resolution; snapping t0 down can add one column.
      expect(plan.width).toBeGreaterThanOrEqual(width);
      expect(plan.width).toBeLessThanOrEqual(2 * width + 1);
    }
  });

  it('reads raw points when even the finest level is wider than a pixel', () => {
    expect(planPlot({ t0: 0, t1: 3600, width: 2000, levels: ROLLUP_LEVELS })).toEqual({
      source: 'raw',
      t0: 0,
      columnWidth: 1.8,
      width: 2000,
    });
    expect(planPlot({ t0: 0, t1: 1e6, width: 100, levels: [] }).source).toBe('raw');
  });

  it('reads raw points when the window holds few of them', () => {
    const request = { t0: 0, t1: YEAR, width: 1000, levels: ROLLUP_LEVELS };
    expect(planPlot({ ...request, pointsInWindow: 4000 }).source).toBe('raw');
    expect(planPlot({ ...request, pointsInWindow: 4001 }).source).toBe('rollup');
  });

  it('rejects an empty window and a width that is not a pixel count', () => {
    expect(() => planPlot({ t0: 10, t1: 10, width: 100, levels: ROLLUP_LEVELS })).toThrow(RangeError);
    expect(() => planPlot({ t0: 0, t1: Infinity, width: 100, levels: ROLLUP_LEVELS })).toThrow(RangeError);
    expect(() => planPlot({ t0: 0, t1: 10, width: 0, levels: ROLLUP_LEVELS })).toThrow(RangeError);
    expect(() => planPlot({ t0: 0, t1: 10, width: 2.5, levels: ROLLUP_LEVELS })).toThrow(RangeError);
  });
});
