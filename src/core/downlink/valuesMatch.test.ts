import { describe, expect, it } from 'vitest';
import { valuesMatch } from './valuesMatch';

describe('valuesMatch', () => {
  it('compares primitives exactly', () => {
    expect(valuesMatch(true, true)).toBe(true);
    expect(valuesMatch(true, false)).toBe(false);
    expect(valuesMatch('on', 'on')).toBe(true);
    expect(valuesMatch(1, '1')).toBe(false);
    expect(valuesMatch(0, false)).toBe(false);
  });

  it('treats undefined as null and nothing else', () => {
    expect(valuesMatch(undefined, null)).toBe(true);
    expect(valuesMatch(null, 0)).toBe(false);
    expect(valuesMatch(null, {})).toBe(false);
  });

  it('compares numbers exactly by default and within a tolerance when given', () => {
    expect(valuesMatch(25, 25)).toBe(true);
    expect(valuesMatch(0.1 + 0.2, 0.3)).toBe(false);
    expect(valuesMatch(0.1 + 0.2, 0.3, 1e-9)).toBe(true);
    expect(valuesMatch(25, 24.5, 0.5)).toBe(true);
    expect(valuesMatch(25, 24.4, 0.5)).toBe(false);
  });

  it('compares objects deeply, ignoring key order', () => {
    expect(valuesMatch({ a: 1, b: { c: [1, { d: 2 }] } }, { b: { c: [1, { d: 2 }] }, a: 1 })).toBe(true);
    expect(valuesMatch({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(valuesMatch({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(valuesMatch({ t: 20.04 }, { t: 20 }, 0.05)).toBe(true);
  });

  it('compares arrays in order and never equal to objects', () => {
    expect(valuesMatch([1, 2], [1, 2])).toBe(true);
    expect(valuesMatch([1, 2], [2, 1])).toBe(false);
    expect(valuesMatch([1], [1, 1])).toBe(false);
    expect(valuesMatch([], {})).toBe(false);
    expect(valuesMatch({ 0: 1 }, [1])).toBe(false);
  });
});
