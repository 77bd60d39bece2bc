import { describe, expect, it } from 'vitest';
import { schemaYRange, serverPlotKind, summarisePlot } from './PlotCard';

describe('serverPlotKind', () => {
  it('plots numbers and booleans from the server by schema', () => {
    expect(serverPlotKind('{"type":"number"}', [])).toBe('numeric');
    expect(serverPlotKind('{"type":"integer","minimum":0,"maximum":10}', [])).toBe('numeric');
    expect(serverPlotKind('{"type":"boolean"}', [])).toBe('boolean');
  });

  it('judges a stream without a schema by its values', () => {
    expect(serverPlotKind('{}', [{ t: 1, d: 2 }])).toBe('numeric');
    expect(serverPlotKind('{}', [{ t: 1, d: false }])).toBe('boolean');
    expect(serverPlotKind('{}', [{ t: 1, d: { a: 1 } }])).toBeUndefined();
    expect(serverPlotKind('{}', [])).toBeUndefined();
  });

  it('leaves objects and strings to the browser', () => {
    expect(serverPlotKind('{"type":"object"}', [{ t: 1, d: { a: 1 } }])).toBeUndefined();
    expect(serverPlotKind('{"type":"string"}', [{ t: 1, d: 'x' }])).toBeUndefined();
  });
});

describe('summarisePlot', () => {
  it('counts the values queued on this device with the server’s', () => {
    expect(summarisePlot([], [])).toBe('No values in this range.');
    expect(
      summarisePlot(
        [],
        [
          { t: 1, d: 3 },
          { t: 2, d: 5 },
          { t: 3, d: 8 },
        ],
      ),
    ).toMatch(/^3 values from .+ to .+, none of them sent yet\. The table below lists them\.$/);
    expect(summarisePlot([], [{ t: 1, d: 3 }])).toMatch(/^1 value from .+, not sent yet\./);
    expect(summarisePlot([{ t: 1, d: 3 }], [{ t: 2, d: 5 }])).toMatch(
      /^2 values from .+, 1 of them not sent yet\./,
    );
    expect(summarisePlot([{ t: 1, d: 3 }])).toMatch(/^1 value from .+ to .+\. The table below lists them\.$/);
  });
});

describe('schemaYRange', () => {
  it('takes the y axis from a schema bounded at both ends', () => {
    expect(schemaYRange('{"type":"integer","minimum":0,"maximum":10}')).toEqual([0, 10]);
    expect(schemaYRange('{"type":"number","minimum":40}')).toBeUndefined();
    expect(schemaYRange('{"type":"boolean"}')).toBeUndefined();
    expect(schemaYRange(undefined)).toBeUndefined();
  });
});
