import { describe, expect, it } from 'vitest';
import { serverPlotKind } from './PlotCard';

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
