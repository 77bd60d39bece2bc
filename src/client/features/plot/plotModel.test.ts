import { describe, expect, it } from 'vitest';
import { buildPlotModel } from './plotModel';

describe('buildPlotModel', () => {
  it('draws numbers as one line', () => {
    expect(
      buildPlotModel(
        [
          { t: 1, d: 3 },
          { t: 2, d: 4.5 },
        ],
        'Mood',
      ),
    ).toEqual({
      kind: 'numeric',
      t: [1, 2],
      series: [{ label: 'Mood', values: [3, 4.5] }],
    });
  });

  it('draws booleans as an on/off timeline', () => {
    expect(
      buildPlotModel(
        [
          { t: 1, d: true },
          { t: 2, d: false },
        ],
        'Lamp',
      ),
    ).toEqual({
      kind: 'boolean',
      t: [1, 2],
      series: [{ label: 'Lamp', values: [1, 0] }],
    });
  });

  it('draws objects as a line per numeric key, with gaps where a key is missing', () => {
    const model = buildPlotModel(
      [
        { t: 1, d: { hours: 7, quality: 3, note: 'ok' } },
        { t: 2, d: { hours: 6.5 } },
      ],
      'Sleep',
    );
    expect(model).toEqual({
      kind: 'numeric',
      t: [1, 2],
      series: [
        { label: 'hours', values: [7, 6.5] },
        { label: 'quality', values: [3, null] },
      ],
    });
  });

  it('does not plot text, mixed values or objects without numbers', () => {
    expect(buildPlotModel([], 'x')).toEqual({ kind: 'empty' });
    expect(buildPlotModel([{ t: 1, d: 'text' }], 'x')).toEqual({ kind: 'unplottable' });
    expect(
      buildPlotModel(
        [
          { t: 1, d: 1 },
          { t: 2, d: 'a' },
        ],
        'x',
      ),
    ).toEqual({ kind: 'unplottable' });
    expect(buildPlotModel([{ t: 1, d: { a: 'x' } }], 'x')).toEqual({ kind: 'unplottable' });
  });
});
