import { describe, expect, it } from 'vitest';
import { goFormatFloat, looseEquals, parseGoFloat, toBool, toFloat, toInt, toStr } from './coerce';

describe('goFormatFloat', () => {
  it("formats like Go's strconv.FormatFloat(x, 'g', -1, 64)", () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '-0'],
      [1, '1'],
      [-2.5, '-2.5'],
      [0.1, '0.1'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [123456, '123456'],
      [999999.5, '999999.5'],
      [1000000, '1e+06'],
      [1234567, '1.234567e+06'],
      [1454907600, '1.4549076e+09'],
      [1e21, '1e+21'],
      [1.5e-300, '1.5e-300'],
      [NaN, 'NaN'],
      [Infinity, '+Inf'],
      [-Infinity, '-Inf'],
    ];
    for (const [value, text] of cases) expect(goFormatFloat(value), String(value)).toBe(text);
  });
});

describe('conversions', () => {
  it('parses numbers as Go did', () => {
    expect(parseGoFloat('1.5')).toBe(1.5);
    expect(parseGoFloat('-.5e2')).toBe(-50);
    expect(parseGoFloat('+Inf')).toBe(Infinity);
    expect(parseGoFloat('nan')).toBeNaN();
    expect(parseGoFloat(' 1')).toBeUndefined();
    expect(parseGoFloat('1e400')).toBeUndefined();
    expect(parseGoFloat('0x10')).toBeUndefined();
  });

  it('converts to numbers, booleans, strings and integers', () => {
    expect([true, false, '3', 'true', 'false', '', 'x', null, {}].map(toFloat)).toEqual([
      1,
      0,
      3,
      1,
      0,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect([0, 2, NaN, '0.0', '3.3', 'true', 'false', '', 'hi', null].map(toBool)).toEqual([
      false,
      true,
      false,
      false,
      true,
      true,
      false,
      false,
      undefined,
      undefined,
    ]);
    expect([1, 2.5, true, 's', null, [1]].map(toStr)).toEqual([
      '1',
      '2.5',
      'true',
      's',
      undefined,
      undefined,
    ]);
    expect(['56.0', 1.3, '1.3', true].map(toInt)).toEqual([56, undefined, undefined, 1]);
  });

  it('compares for equality loosely', () => {
    expect(looseEquals(1, true)).toBe(true);
    expect(looseEquals(4, true)).toBe(false);
    expect(looseEquals('false', false)).toBe(true);
    expect(looseEquals('hi', false)).toBe(false);
    expect(looseEquals('2', '2.0')).toBe(true);
    expect(looseEquals('a', 'A')).toBe(false);
    expect(looseEquals(NaN, NaN)).toBe(true);
    expect(looseEquals(null, null)).toBe(true);
    expect(looseEquals(null, 0)).toBe(false);
    expect(looseEquals({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(looseEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});
