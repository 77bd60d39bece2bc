import { describe, expect, it } from 'vitest';
import { m4FromPoints, planPlot, ROLLUP_LEVELS } from '../../../core/timeseries';
import type { PlotData } from '../../../sdk';
import { layersFromModel, layersFromPlotData, layersFromPoints, plotValue } from './plotLayers';
import { buildPlotModel } from './plotModel';

const numeric = (points: { t: number; d: number }[]) => {
  const model = buildPlotModel(points, 'x');
  if (model.kind !== 'numeric') throw new Error('expected a numeric model');
  return model;
};

describe('layersFromModel (points held in the browser)', () => {
  it('passes few points through unchanged', () => {
    const layers = layersFromModel(
      numeric([
        { t: 1, d: 3 },
        { t: 2, d: 4 },
      ]),
      [0, 3],
      800,
    );
    expect(layers.lines).toEqual([{ label: 'x', t: [1, 2], v: [3, 4] }]);
    expect(layers.band).toBeUndefined();
  });

  it('reduces a dense line to M4 columns that keep every extreme, with a min/max band', () => {
    const points = Array.from({ length: 100_000 }, (_, i) => ({
      t: i,
      d: Math.sin(i / 50) * (i === 54_321 ? 10 : 1),
    }));
    const layers = layersFromModel(numeric(points), [0, 100_000], 500);
    const line = layers.lines[0]!;
    expect(line.t.length).toBeLessThanOrEqual(4 * 502);
    const values = points.map((p) => p.d);
    expect(Math.min(...(line.v as Float64Array))).toBe(Math.min(...values));
    expect(Math.max(...(line.v as Float64Array))).toBe(Math.max(...values));
    expect(Math.max(...(layers.band!.max as Float64Array))).toBe(Math.max(...values));
    expect([...(line.t as Float64Array)].every((x, i, a) => i === 0 || a[i - 1]! <= x)).toBe(true);
  });

  it('adds queued points as their own layer', () => {
    const layers = layersFromModel(numeric([{ t: 1, d: 3 }]), [0, 3], 800, [
      { t: 2, d: 5 },
      { t: 2.5, d: 'text' },
    ]);
    expect(layers.pending).toEqual({ t: [2], v: [5] });
  });
});

describe('layersFromPlotData (the server plot)', () => {
  const points = Array.from({ length: 5000 }, (_, i) => ({ t: 1000 + i, d: (i * 7) % 13 }));
  const plan = planPlot({ t0: 1000, t1: 6000, width: 100, levels: ROLLUP_LEVELS });
  const m4 = m4FromPoints(
    points.map((p) => p.t),
    points.map((p) => p.d),
    plan,
  );
  const data: PlotData = {
    source: 'rollup',
    level: plan.source === 'rollup' ? plan.level : 10,
    width: plan.width,
    m4,
    before: { t: 990, d: 4 },
    after: { t: 6001, d: 2 },
  };

  it('draws the M4 polyline between the neighbours outside the window, and a band', () => {
    const layers = layersFromPlotData(data, { label: 'Temp', kind: 'numeric' });
    const line = layers.lines[0]!;
    expect(line.label).toBe('Temp');
    expect(line.t[0]).toBe(990);
    expect(line.v[0]).toBe(4);
    expect(line.t[line.t.length - 1]).toBe(6001);
    expect(Math.max(...(line.v as number[]))).toBe(12);
    expect(layers.band!.t.length).toBe(m4.column.length);
    expect(Array.from(layers.band!.min)).toEqual(Array.from(m4.min));
  });

  it('appends live values that arrived after the window, in time order and without duplicates', () => {
    const layers = layersFromPlotData(data, {
      label: 'Temp',
      kind: 'numeric',
      later: [
        { t: 6005, d: 9 },
        { t: 6001, d: 2 },
        { t: 6003, d: true },
      ],
    });
    const line = layers.lines[0]!;
    const tail = Array.from(line.t).slice(-3);
    expect(tail).toEqual([6001, 6003, 6005]);
    expect(Array.from(line.v).slice(-3)).toEqual([2, 1, 9]);
  });
});

describe('plotValue', () => {
  it('plots numbers as they are and booleans as 0 and 1, nothing else', () => {
    expect(plotValue(2.5)).toBe(2.5);
    expect(plotValue(true)).toBe(1);
    expect(plotValue(false)).toBe(0);
    expect(plotValue('3')).toBeUndefined();
    expect(plotValue(Number.NaN)).toBeUndefined();
  });
});

describe('layersFromPoints (what this device holds, offline)', () => {
  const options = { label: 'Mood', range: [0, 100] as [number, number], widthPx: 800 };

  it('plots a stream whose only values are queued, marked as pending', () => {
    const queued = [
      { t: 10, d: 3 },
      { t: 20, d: 8 },
    ];
    expect(layersFromPoints([], queued, { ...options, kind: 'numeric' })).toEqual({
      kind: 'numeric',
      lines: [{ label: 'Mood', t: [], v: [] }],
      pending: { t: [10, 20], v: [3, 8] },
    });
    // Without a schema's word, the queued values say what the stream holds.
    expect(layersFromPoints([], [{ t: 1, d: true }], options)).toMatchObject({
      kind: 'boolean',
      pending: { t: [1], v: [1] },
    });
  });

  it('draws cached points as the line and queued ones on top', () => {
    const layers = layersFromPoints([{ t: 5, d: 4 }], [{ t: 30, d: 6 }], options);
    expect(layers?.lines).toEqual([{ label: 'Mood', t: [5], v: [4] }]);
    expect(layers?.pending).toEqual({ t: [30], v: [6] });
  });

  it('has nothing to draw without values, or with values that are not numbers', () => {
    expect(layersFromPoints([], [], options)).toBeUndefined();
    expect(layersFromPoints([], [{ t: 1, d: 'text' }], options)).toBeUndefined();
  });
});
