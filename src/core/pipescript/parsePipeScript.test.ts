import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../model';
import { DEFAULT_PIPESCRIPT_LIMITS, PipeScriptError, parsePipeScript } from './index';

const stream = (...data: unknown[]): Datapoint[] => data.map((d, i) => ({ t: i + 1, d }));
const data = (script: string, input: Datapoint[] = stream(0)): unknown[] =>
  parsePipeScript(script)
    .run(input)
    .map((p) => p.d);

function parseFailure(source: string, limits?: Parameters<typeof parsePipeScript>[1]): PipeScriptError {
  try {
    parsePipeScript(source, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(PipeScriptError);
    return error as PipeScriptError;
  }
  throw new Error(`expected '${source}' to be rejected`);
}

function runFailure(source: string, input: Datapoint[], options?: { maxSteps?: number }): PipeScriptError {
  try {
    parsePipeScript(source).run(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(PipeScriptError);
    return error as PipeScriptError;
  }
  throw new Error(`expected '${source}' to fail`);
}

describe('syntax', () => {
  it('applies the precedence of the original grammar', () => {
    expect(data('2 * 3 ^ 2')).toEqual([18]);
    expect(data('2 ^ 3 ^ 2')).toEqual([64]);
    expect(data('-2 ^ 2')).toEqual([4]);
    expect(data('10 - 4 - 3')).toEqual([3]);
    expect(data('7 % 4 ^ 2')).toEqual([9]);
    expect(data('not 1 < 0 and false')).toEqual([false]);
    expect(data('true or false and false')).toEqual([true]);
    expect(data('1 < 2 == true')).toEqual([true]);
  });

  it('calls transforms bash-style, as functions, and with brackets', () => {
    const input = stream({ a: 3 }, { a: 9 });
    expect(data('if $("a") > 5', input)).toEqual([{ a: 9 }]);
    expect(data('if($("a") > 5)', input)).toEqual([{ a: 9 }]);
    expect(data('$["a"]', input)).toEqual([3, 9]);
    expect(data('$ "a"', input)).toEqual([3, 9]);
    expect(data('count()', input)).toEqual([1, 2]);
    expect(data('imap $("a") > 5 count', input)).toEqual([{ false: 1 }, { false: 1, true: 1 }]);
  });

  it('reads an identifier followed by a space and a minus as a subtraction', () => {
    expect(data('count - 1', stream(5, 5))).toEqual([0, 1]);
    expect(data('next (1)', stream(5, 6))).toEqual([6, null]);
  });

  it('pipes inside expressions with a colon, which binds tightest', () => {
    expect(data('$("a"):sum * 2', stream({ a: 1 }, { a: 2 }))).toEqual([2, 6]);
    expect(data('-$:sum', stream(1, 2))).toEqual([-1, -3]);
  });

  it('builds objects with scripts as values', () => {
    expect(data('{"v": $, "n": count, "t": t}', stream(4, 5))).toEqual([
      { v: 4, n: 1, t: 1 },
      { v: 5, n: 2, t: 2 },
    ]);
  });

  it('decodes string escapes and keeps unknown ones', () => {
    expect(data(`'a\\tb\\n\\'c\\"\\\\'`)).toEqual(['a\tb\n\'c"\\']);
    expect(data(`"\\d+"`)).toEqual(['\\d+']);
  });

  it('does not swallow text after the script', () => {
    expect(parseFailure('sum count')).toMatchObject({ position: 4 });
    expect(parseFailure('5 5')).toMatchObject({ position: 2 });
  });
});

describe('parse errors carry a clear message and the position', () => {
  const cases: [string, number, RegExp][] = [
    ['', 0, /empty/],
    ['$ + ', 4, /end of script/],
    ['if $ > (5', 9, /Expected '\)'/],
    ["'unterminated", 0, /Unterminated string/],
    ['$ ! 1', 2, /Unexpected character '!'/],
    ['nosuch(1)', 0, /Transform 'nosuch' not found/],
    ['sum(1)', 4, /1 arguments were passed to 'sum', which only accepts 0/],
    ['if', 0, /Argument 1 of transform 'if' is required/],
    ['tshift $', 7, /must be a constant/],
    ['map $ next', 6, /cannot be used with transforms that peek/],
    ['$ + (if $ > 1)', 5, /one-to-one/],
    ["day('Mars/Olympus')", 0, /unknown time zone/],
    ["regex('(a')", 0, /Invalid regex/],
    ['{"a": 1, "a": 2}', 9, /found multiple times/],
  ];
  for (const [source, position, message] of cases) {
    it(`${JSON.stringify(source)} at ${position}`, () => {
      const error = parseFailure(source);
      expect(error.phase).toBe('parse');
      expect(error.position).toBe(position);
      expect(error.message).toMatch(message);
    });
  }
});

describe('limits', () => {
  it('accepts scripts of 4 KB and more, up to the length limit', () => {
    const long = Array.from({ length: 600 }, (_, i) => `$ == ${i}`).join(' or ');
    expect(long.length).toBeGreaterThan(4096);
    expect(long.length).toBeLessThanOrEqual(DEFAULT_PIPESCRIPT_LIMITS.maxLength);
    expect(data(`if ${long}`, stream(3, 1000))).toEqual([3]);
  });

  it('rejects a script over the length limit at that position', () => {
    const error = parseFailure('1+'.repeat(5000) + '1');
    expect(error).toMatchObject({ phase: 'parse', position: DEFAULT_PIPESCRIPT_LIMITS.maxLength });
    expect(parseFailure('$ + $', { maxLength: 3 }).position).toBe(3);
  });

  it('rejects deep nesting with a positioned error instead of overflowing the stack', () => {
    const error = parseFailure('('.repeat(10_000) + '1' + ')'.repeat(10_000), { maxLength: 30_000 });
    expect(error).toMatchObject({ phase: 'parse', position: DEFAULT_PIPESCRIPT_LIMITS.maxDepth });
    expect(parseFailure('-'.repeat(100) + '1').position).toBe(64);
    expect(parseFailure('not '.repeat(100) + 'true').phase).toBe('parse');
    expect(parseFailure('$('.repeat(70) + ')'.repeat(70)).phase).toBe('parse');
  });

  it('allows nesting up to the depth limit', () => {
    expect(data('('.repeat(64) + '1' + ')'.repeat(64))).toEqual([1]);
    expect(parseFailure('((1))', { maxDepth: 1 }).position).toBe(1);
  });

  it('stops a run that exceeds its step budget', () => {
    const input = stream(...Array.from({ length: 1000 }, (_, i) => i));
    const error = runFailure('sum | sum | sum', input, { maxSteps: 2000 });
    expect(error.phase).toBe('run');
    expect(error.message).toMatch(/budget of 2000 steps/);
    expect(parsePipeScript('sum | sum | sum').run(input, { maxSteps: 10_000 })).toHaveLength(1000);
    expect(runFailure('sum', input, { maxSteps: 10 }).phase).toBe('run');
    expect(() => parsePipeScript('sum', { maxSteps: 10 }).run(input)).toThrow(/budget/);
  });

  it('counts the work of scripts run by other transforms against the budget', () => {
    const input = stream(...Array.from({ length: 500 }, (_, i) => ({ a: i, b: i })));
    expect(runFailure('apply($ + 1)', input, { maxSteps: 1000 }).phase).toBe('run');
  });
});

describe('runs', () => {
  it('reuses one compiled script across runs, each starting fresh', () => {
    const script = parsePipeScript('{"n": count, "s": sum, "f": first, "c": changed} | if last');
    expect(script.run(stream(1, 2, 3))).toEqual([{ t: 3, d: { n: 3, s: 6, f: false, c: true } }]);
    expect(script.run(stream(5))).toEqual([{ t: 1, d: { n: 1, s: 5, f: true, c: true } }]);
    expect(script.run([])).toEqual([]);
    expect(script.source).toBe('{"n": count, "s": sum, "f": first, "c": changed} | if last');
  });

  it('reports the position of the transform that failed', () => {
    const error = runFailure('$ + 1 | if $ > 2 | sum', stream(1, 5, 'x'));
    expect(error).toMatchObject({ phase: 'run', position: 2 });
    expect(error.message).toMatch(/'x' \+ 1/);
    expect(runFailure('count | $("x")', stream(1))).toMatchObject({ phase: 'run', position: 8 });
  });

  it('fails a constant that cannot be computed only when data arrives', () => {
    const script = parsePipeScript("-'hello'");
    expect(script.run([])).toEqual([]);
    expect(runFailure("-'hello'", stream(1)).phase).toBe('run');
  });

  it('does not modify its input and drops o', () => {
    const input = [{ t: 1, d: { a: 1 }, o: 'u/dev' }];
    const snapshot = JSON.stringify(input);
    const output = parsePipeScript('set("b", 2) | del("a")').run(input);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(output).toEqual([{ t: 1, d: { b: 2 } }]);
  });

  it('sets a field named __proto__ as a field', () => {
    const [out] = data('set("__proto__", 1)', stream({}));
    expect(JSON.stringify(out)).toBe('{"__proto__":1}');
  });

  it('treats missing data as null', () => {
    expect(parsePipeScript('$').run([{ t: 1 } as Datapoint])).toEqual([{ t: 1, d: null }]);
  });

  it('keeps object keys that look like Object.prototype members', () => {
    const [out] = data('map($, count)', stream('__proto__', 'constructor', '__proto__'));
    expect(Object.keys(out as object)).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(out)).toBe('{"__proto__":2,"constructor":1}');
  });
});
