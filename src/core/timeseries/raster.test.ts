import { describe, expect, it } from 'vitest';
import { lowerBound } from './bucketStart';
import type { PlotColumns } from './planPlot';
import { planPlot } from './planPlot';
import { m4FromPoints, m4FromRollup, m4ToPolyline } from './m4';
import type { RasterView } from './raster';
import { rasterizeLine } from './raster';
import type { RollupSeries } from './rollup';
import { ROLLUP_LEVELS, buildRollupPyramid } from './rollup';
import type { SeriesShape } from './testing/randomSeries';
import { SERIES_SHAPES, randomSeries } from './testing/randomSeries';
import { randomInt, seededRandom } from './testing/seededRandom';

/** The bitmap as rows of '#' and '.', top row first, for readable small-case assertions. */
function picture(bitmap: Uint8Array, width: number): string[] {
  const rows: string[] = [];
  for (let y = bitmap.length / width - 1; y >= 0; y--) {
    rows.push(Array.from(bitmap.subarray(y * width, (y + 1) * width), (p) => (p ? '#' : '.')).join(''));
  }
  return rows;
}

/** The raw points that fall in the plot's columns: what drawing "every point" means. */
function pointsInColumns(t: Float64Array, v: Float64Array, columns: PlotColumns) {
  const from = lowerBound(t, columns.t0);
  const to = lowerBound(t, columns.t0 + columns.width * columns.columnWidth, from);
  return { t: t.subarray(from, to), v: v.subarray(from, to) };
}

function isSameBitmap(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((pixel, i) => pixel === b[i]);
}

interface Trial {
  t: Float64Array;
  v: Float64Array;
  pyramid: RollupSeries[];
  levels: readonly number[];
  plan: ReturnType<typeof planPlot>;
  view: RasterView;
}

/**
 * Random series of every shape and random windows over them (some starting before or ending after
 * the data), at random pixel sizes, with the value range sometimes narrower than the data so that
 * lines are clipped.
 */
function* trials(seed: number, levels: readonly number[], perShape: number): Generator<Trial> {
  const random = seededRandom(seed);
  for (const shape of SERIES_SHAPES as SeriesShape[]) {
    const { t, v } = randomSeries(random, randomInt(random, 5_000, 40_000), shape);
    const pyramid = buildRollupPyramid(t, v, levels);
    const span = t[t.length - 1]! - t[0]!;
    for (let i = 0; i < perShape; i++) {
      const t0 = t[0]! + (random() * 1.1 - 0.05) * span;
      const t1 = t0 + Math.max(1, random() * random() * span);
      const width = randomInt(random, 20, 400);
      const plan = planPlot({ t0, t1, width, levels });
      const window = pointsInColumns(t, v, plan);
      let vMin = Infinity;
      let vMax = -Infinity;
      for (const value of window.v) {
        vMin = Math.min(vMin, value);
        vMax = Math.max(vMax, value);
      }
      if (!(vMax > vMin)) [vMin, vMax] = [-1, 1];
      const margin = (vMax - vMin) * (random() * 0.6 - 0.2);
      const view = { ...plan, height: randomInt(random, 8, 250), vMin: vMin - margin, vMax: vMax + margin };
      yield { t, v, pyramid, levels, plan, view };
    }
  }
}

describe('rasterizeLine', () => {
  const view = { t0: 0, columnWidth: 1, width: 6, height: 4, vMin: 0, vMax: 3 };

  it('joins consecutive points with Bresenham lines, row 0 at vMin', () => {
    const bitmap = rasterizeLine({ t: [0, 5, 5], v: [0, 3, 1] }, view);
    expect(picture(bitmap, 6)).toEqual(['.....#', '...###', '.##..#', '#.....']);
  });

  it('draws a single point and clips what lies outside the grid', () => {
    expect(picture(rasterizeLine({ t: [2.5], v: [2] }, view), 6)).toEqual([
      '......',
      '..#...',
      '......',
      '......',
    ]);
    const clipped = rasterizeLine({ t: [-3, 8], v: [1, 1] }, view);
    expect(picture(clipped, 6)).toEqual(['......', '......', '######', '......']);
    expect(rasterizeLine({ t: [-30, -20], v: [1, 2] }, view).every((p) => p === 0)).toBe(true);
  });

  it('covers the same pixels whichever way a segment is drawn', () => {
    const random = seededRandom(2);
    const big = { t0: 0, columnWidth: 1, width: 40, height: 30, vMin: 0, vMax: 29 };
    for (let i = 0; i < 500; i++) {
      const t = [randomInt(random, -5, 45), randomInt(random, -5, 45)];
      const v = [randomInt(random, -5, 35), randomInt(random, -5, 35)];
      const forward = rasterizeLine({ t, v }, big);
      const backward = rasterizeLine({ t: [...t].reverse(), v: [...v].reverse() }, big);
      expect(isSameBitmap(forward, backward)).toBe(true);
    }
  });

  it('rejects an empty value range', () => {
    expect(() => rasterizeLine({ t: [0], v: [0] }, { ...view, vMax: 0 })).toThrow(RangeError);
  });
});

describe('M4 pixel identity', () => {
  for (const levels of [ROLLUP_LEVELS, [1, 5, 30, 300, 1800]]) {
    it(`draws M4 from points and from rollups [${levels.join(', ')}] exactly like every raw point`, () => {
      let fromRollups = 0;
      let nonEmpty = 0;
      for (const { t, v, pyramid, plan, view } of trials(levels.length, levels, 12)) {
        const raw = rasterizeLine(pointsInColumns(t, v, plan), view);
        const fromPoints = rasterizeLine(m4ToPolyline(m4FromPoints(t, v, plan)), view);
        expect(isSameBitmap(fromPoints, raw)).toBe(true);
        if (raw.some((p) => p === 1)) nonEmpty++;
        if (plan.source === 'rollup') {
          fromRollups++;
          const series = pyramid[levels.indexOf(plan.level)]!;
          const fromRollup = rasterizeLine(m4ToPolyline(m4FromRollup([series], plan)), view);
          expect(isSameBitmap(fromRollup, raw)).toBe(true);
        }
      }
      expect(fromRollups).toBeGreaterThan(40);
      expect(nonEmpty).toBeGreaterThan(60);
    });
  }

  it('fails when columns are not whole buckets (the check has teeth)', () => {
    let misaligned = 0;
    let differing = 0;
    for (const { t, v, pyramid, levels, plan, view } of trials(99, ROLLUP_LEVELS, 12)) {
      if (plan.source !== 'rollup' || plan.width < 10) continue;
      const series = pyramid[levels.indexOf(plan.level)]!;
      // Shift the grid by half a bucket, or widen columns to 1.5 buckets: buckets straddle columns.
      for (const columns of [
        { ...plan, t0: plan.t0 + plan.level / 2 },
        { ...plan, columnWidth: plan.columnWidth + plan.level / 2 },
      ]) {
        misaligned++;
        const shifted = { ...view, ...columns };
        const raw = rasterizeLine(pointsInColumns(t, v, columns), shifted);
        const fromRollup = rasterizeLine(m4ToPolyline(m4FromRollup([series], columns)), shifted);
        if (!isSameBitmap(fromRollup, raw)) differing++;
      }
    }
    expect(misaligned).toBeGreaterThan(40);
    expect(differing / misaligned).toBeGreaterThan(0.5);
  });
});
