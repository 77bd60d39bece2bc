import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../model';
import { PipeScriptError, listInterpolators, listTransforms, parsePipeScript } from './index';

const stream = (...data: unknown[]): Datapoint[] => data.map((d, i) => ({ t: i + 1, d }));
const data = (script: string, input: Datapoint[]): unknown[] =>
  parsePipeScript(script)
    .run(input)
    .map((p) => p.d);

const TRANSFORMS =
  `$ alltrue anytrue append apply bottom bucket changed contains count d day dayhour del distance
  domain dt filter first hour i if ifelse imap iwhile last length map max mean min month monthday new next
  percent rand reduce regex remember sentiment set sum t tfalse top tshift ttrue wc week weekday while year
  yearday yearmonth`.split(/\s+/);

describe('listTransforms', () => {
  const transforms = listTransforms();

  it("lists the original registry's 55 transforms", () => {
    expect(Object.keys(transforms).sort()).toEqual([...TRANSFORMS].sort());
    expect(TRANSFORMS).toHaveLength(55);
  });

  it('documents every transform and argument', () => {
    for (const info of Object.values(transforms)) {
      expect(info.description.length, info.name).toBeGreaterThan(10);
      expect(info.documentation.length, info.name).toBeGreaterThan(10);
      for (const arg of info.args) expect(arg.description.length, info.name).toBeGreaterThan(5);
    }
  });

  it('describes arguments, hijacked scripts and flags', () => {
    expect(transforms.while).toMatchObject({ one_to_one: false, peek: true, stateless: false });
    expect(transforms.while!.args[1]).toMatchObject({ type: 'pipe', hijacked: true });
    expect(transforms.next!.args[0]).toMatchObject({ type: 'constant', optional: true, default: 1 });
    expect(transforms.day!.args[0]).toMatchObject({ optional: true, default: 'Local' });
    expect(transforms.remember!.args[1]).toMatchObject({ optional: true, default: '$' });
    expect(transforms.t).toMatchObject({ one_to_one: true, stateless: true, peek: false });
    expect(transforms.if!.one_to_one).toBe(false);
  });

  it('returns copies that callers may change', () => {
    listTransforms().sum!.description = 'changed';
    expect(listTransforms().sum!.description).not.toBe('changed');
  });
});

describe('listInterpolators', () => {
  it('lists the six interpolators', () => {
    expect(Object.keys(listInterpolators())).toEqual(['closest', 'before', 'after', 'sum', 'count', 'mean']);
    expect(listInterpolators().sum!.description).toMatch(/sum/);
  });
});

describe('loose typing', () => {
  it('reads numeric and boolean strings as numbers', () => {
    expect(data('$ + 1', stream('2', '1e3', true, 'false'))).toEqual([3, 1001, 2, 1]);
    expect(data('"23" + "42"', stream(0))).toEqual([65]);
    expect(data('"ab" + "cd"', stream(0))).toEqual(['abcd']);
  });

  it('compares loosely for equality and never fails on it', () => {
    expect(data('$ == 1', stream(1, '1', '1.0', true, 'x', null, [1]))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(data('$ == {"a": 1}', stream({ a: 1 }, { a: '1' }, { a: 2 }))).toEqual([true, false, false]);
  });

  it('fails ordering comparisons and arithmetic on values that are not numbers', () => {
    expect(() => parsePipeScript('$ < 1').run(stream(null))).toThrow(PipeScriptError);
    expect(() => parsePipeScript('$ * 2').run(stream({}))).toThrow(/couldn't convert to float/);
  });

  it('turns numbers into strings as Go did for keys', () => {
    expect(data('map($, count)', stream(1, 1000000, 0.00001, 123456.5))).toEqual([
      { '1': 1, '1e+06': 1, '1e-05': 1, '123456.5': 1 },
    ]);
    expect(data('append', stream(2.5, true, 'x'))).toEqual(['2.5', '2.5true', '2.5truex']);
  });
});

describe('transforms beyond the vectors', () => {
  it('ifelse runs each branch with its own state', () => {
    expect(data('ifelse($ > 2, count, $ * 10)', stream(1, 3, 2, 4))).toEqual([10, 1, 20, 2]);
    expect(parsePipeScript('ifelse($ > 0, tshift(5))').run(stream(1))).toEqual([{ t: 6, d: 1 }]);
  });

  it('top and bottom weigh values with a script', () => {
    expect(data('top(1, length)', stream({ a: 'xx', b: 'xxx', c: 'x' }))).toEqual([{ b: 'xxx' }]);
    expect(data('bottom(2)', stream({ a: 3, b: 1, c: 2 }))).toEqual([{ b: 1, c: 2 }]);
  });

  it('reduce also runs over arrays', () => {
    expect(data('reduce(max)', stream([3, 9, 4]))).toEqual([9]);
    expect(() => parsePipeScript('reduce(sum)').run(stream(5))).toThrow(/Can't reduce/);
  });

  it('percent leaves an all-zero object at zero', () => {
    expect(data('percent', stream({ a: 0, b: -1 }))).toEqual([{ a: 0, b: 0 }]);
  });

  it('distance accepts scripts as coordinates', () => {
    const here = { latitude: 40.4268, longitude: -86.9165 };
    expect(data('distance($("latitude"), $("longitude"))', stream(here))).toEqual([0]);
    expect(() => parsePipeScript('distance(1, 2)').run(stream({ lat: 1 }))).toThrow(/latitude/);
  });

  it('remember, max and min return whole datapoints', () => {
    const out = parsePipeScript('max').run([
      { t: 1, d: 5 },
      { t: 2, d: 3 },
    ]);
    expect(out).toEqual([
      { t: 1, d: 5 },
      { t: 1, d: 5 },
    ]);
  });

  it('next looks up to 100 datapoints ahead', () => {
    expect(data('next(2)', stream(1, 2, 3))).toEqual([3, null, null]);
    expect(() => parsePipeScript('next(101)')).toThrow(/100/);
  });

  it('stops new, map and imap at 1000 distinct values, as the original did', () => {
    const many = stream(...Array.from({ length: 1001 }, (_, i) => i));
    for (const script of ['new', 'map($, count)', 'imap($, count)']) {
      expect(() => parsePipeScript(script).run(many), script).toThrow(/maximum/);
    }
  });

  it('limits the string append builds', () => {
    const big = 'x'.repeat(600_000);
    expect(() => parsePipeScript('append').run(stream(big, big))).toThrow(/maximum string length/);
  });

  it('rand returns numbers in [0, 1)', () => {
    for (const value of data('rand', stream(...Array.from({ length: 100 }, () => 0)))) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('wc, contains and domain handle non-strings', () => {
    expect(data('wc', stream('Hello, World!', 12))).toEqual([2, 1]);
    expect(data('contains("3")', stream(1234))).toEqual([true]);
    expect(() => parsePipeScript('contains("a")').run(stream(null))).toThrow(/String/);
    expect(
      data('domain', stream('http://user@www.example.com:8080/x?y#z', '//host/p', 'mailto:a@b.c', null)),
    ).toEqual(['example.com:8080', 'host', '', '']);
  });
});

describe('regex', () => {
  const matches = (pattern: string, ...texts: string[]) =>
    data(`regex(${JSON.stringify(pattern)})`, stream(...texts));

  it('supports the RE2 syntax in practical use', () => {
    expect(matches('^[a-z0-9_-]{3,16}$', 'high1', 'Hello World!', 'ab')).toEqual([true, false, false]);
    expect(matches('(?i)^hello', 'HeLLo there', 'oh hello')).toEqual([true, false]);
    expect(matches('\\bcat\\b', 'a cat!', 'concat')).toEqual([true, false]);
    expect(matches('colou?r|grey', 'color', 'colour', 'gray', 'grey')).toEqual([true, true, false, true]);
    expect(matches('^\\d+(\\.\\d+)?$', '3.14', '3.', '42')).toEqual([true, false, true]);
    expect(matches('[[:upper:]][^\\s]*', 'x Yz', 'abc')).toEqual([true, false]);
    expect(matches('a.c', 'abc', 'a\nc')).toEqual([true, false]);
    expect(matches('(?s)a.c', 'a\nc')).toEqual([true]);
    expect(matches('^b$', 'a\nb')).toEqual([false]);
    expect(matches('(?m)^b$', 'a\nb')).toEqual([true]);
    expect(matches('(?P<word>\\w+)@(?:x|y)\\.com', 'me@y.com')).toEqual([true]);
    expect(matches('x{2,}', 'x', 'xxx')).toEqual([false, true]);
    expect(matches('é+', 'café')).toEqual([true]);
    expect(matches('', '')).toEqual([true]);
  });

  it('rejects what RE2 rejects', () => {
    for (const pattern of ['(a)\\1', '(?=a)', 'a**', '[z-a]', 'x{2000}', '\\p{L}', '(', '('.repeat(3000)]) {
      expect(() => parsePipeScript(`regex(${JSON.stringify(pattern)})`), pattern).toThrow(PipeScriptError);
    }
  });
});

describe('calendar', () => {
  // 2026-11-22 03:46:16 UTC, a Sunday.
  const t = 1795319176;
  const at = (script: string, time = t) => data(script, [{ t: time, d: 0 }])[0];

  it('computes calendar fields in a named zone', () => {
    expect(at("dayhour('Asia/Kolkata')")).toBe(9);
    expect(at("weekday('America/Los_Angeles')")).toBe('Saturday');
    expect(at("monthday('America/Los_Angeles')")).toBe(21);
    expect(at("yearday('UTC')")).toBe(326);
    expect(at("yearmonth('UTC')")).toBe('November');
    expect(at("year('Pacific/Kiritimati')", 1767182400)).toBe(2026);
  });

  it('uses the process zone by default (UTC in the tests)', () => {
    expect(at('dayhour')).toBe(3);
    expect(at("dayhour('Local')")).toBe(3);
  });

  it('counts hours, weeks and months from the start of 1970 in the zone', () => {
    expect(at("hour('UTC')", 3600 * 5 + 10)).toBe(5);
    expect(at("hour('Europe/Berlin')", 0)).toBe(1);
    expect(at("week('UTC')", Date.UTC(1970, 0, 5) / 1000)).toBe(0);
    expect(at("week('UTC')", Date.UTC(1970, 0, 4) / 1000)).toBe(-1);
    expect(at("month('UTC')", Date.UTC(1971, 1, 1) / 1000)).toBe(14);
  });

  it('follows daylight saving transitions hour by hour', () => {
    // Europe/Berlin switched to summer time at 2021-03-28 01:00 UTC.
    const before = Date.UTC(2021, 2, 28, 0, 59) / 1000;
    const after = Date.UTC(2021, 2, 28, 1, 1) / 1000;
    expect(
      data("dayhour('Europe/Berlin')", [
        { t: before, d: 0 },
        { t: after, d: 0 },
      ]),
    ).toEqual([1, 3]);
  });

  it('treats leap years and dates far from 1970', () => {
    expect(at("yearday('UTC')", Date.UTC(2024, 11, 31) / 1000)).toBe(366);
    expect(at("monthday('UTC')", Date.UTC(2000, 1, 29) / 1000)).toBe(29);
    expect(at("year('UTC')", Date.UTC(1900, 5, 1) / 1000)).toBe(1900);
  });
});
