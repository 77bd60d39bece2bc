/**
 * One test per decision in QUIRKS.md: where Tributary deliberately behaves differently from the
 * original engine, or deliberately keeps its behaviour.
 */
import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../model';
import { PipeScriptError, parsePipeScript } from './index';

const run = (script: string, input: Datapoint[]): Datapoint[] => parsePipeScript(script).run(input);
const stream = (...data: unknown[]): Datapoint[] => data.map((d, i) => ({ t: i + 1, d }));
const data = (points: Datapoint[]): unknown[] => points.map((p) => p.d);

function failure(action: () => unknown): PipeScriptError {
  try {
    action();
  } catch (error) {
    if (error instanceof PipeScriptError) return error;
    throw error;
  }
  throw new Error('expected a PipeScriptError');
}

const HOUR = 3600;
/** Hourly points over three UTC days starting 2021-03-01T00:00Z, data 1 each. */
const threeDays: Datapoint[] = Array.from({ length: 72 }, (_, i) => ({ t: 1614556800 + i * HOUR, d: 1 }));

describe('quirks of the original, decided on purpose', () => {
  it('division by zero gives null instead of unserialisable Infinity', () => {
    expect(data(run('$ / 0', stream(1, -1)))).toEqual([null, null]);
    expect(JSON.stringify(run('$ / 0', stream(1)))).toBe('[{"t":1,"d":null}]');
  });

  it('zero divided by zero gives null instead of NaN', () => {
    expect(data(run('0 / 0', stream(1)))).toEqual([null]);
    expect(data(run('$ % 0', stream(3)))).toEqual([null]);
  });

  it('keeps infinities inside a script, so comparisons on them still work', () => {
    expect(data(run('$ / 0 > 5', stream(1, -1)))).toEqual([true, false]);
  });

  it('keeps while faithful: the documented day==next:day idiom shifts each group by one datapoint', () => {
    const sums = run("while(day('UTC') == next:day('UTC'), sum)", threeDays);
    // Each day's last datapoint compares unequal with the next one and starts the next group; at the
    // end `next` has null data at the current timestamp, so the last group runs to the end.
    expect(data(sums)).toEqual([23, 24, 25]);
  });

  it("shifts the old frontend's while(day==next:day, mean) preset the same way", () => {
    const byDay = threeDays.map((p, i) => ({ t: p.t, d: Math.floor(i / 24) + 1 }));
    const means = data(run("while(day('UTC') == next:day('UTC'), mean)", byDay));
    // The second group starts with day 1's last datapoint (1) followed by 23 datapoints of day 2.
    expect(means).toEqual([1, (1 + 23 * 2) / 24, (2 + 24 * 3) / 25]);
  });

  it('groups days correctly with while(not day:changed, sum)', () => {
    const sums = run("while(not day('UTC'):changed, sum)", threeDays);
    expect(data(sums)).toEqual([24, 24, 24]);
    expect(sums.map((p) => p.t)).toEqual([
      1614556800 + 23 * HOUR,
      1614556800 + 47 * HOUR,
      1614556800 + 71 * HOUR,
    ]);
  });

  it('anytrue starts a second stream at false', () => {
    const script = parsePipeScript('anytrue');
    expect(data(script.run(stream(true)))).toEqual([true]);
    expect(data(script.run(stream(false, false)))).toEqual([false, false]);
  });

  it('evaluates a constant piped into an expression: 5 | $ + 1 is 6', () => {
    expect(data(run('5 | $ + 1', stream('x', 'y')))).toEqual([6, 6]);
  });

  it('rejects an unknown character instead of truncating the script', () => {
    expect(failure(() => parsePipeScript('$.key'))).toMatchObject({ phase: 'parse', position: 1 });
    expect(failure(() => parsePipeScript('if $ > 5 ; junk'))).toMatchObject({ phase: 'parse', position: 9 });
  });

  it("rejects '=' with a hint instead of truncating", () => {
    const error = failure(() => parsePipeScript('$ = 1'));
    expect(error).toMatchObject({ phase: 'parse', position: 2 });
    expect(error.message).toMatch(/==/);
  });

  it('matches keywords as whole words: orange is an unknown transform, not or+ange', () => {
    const error = failure(() => parsePipeScript('orange'));
    expect(error).toMatchObject({ phase: 'parse', position: 0 });
    expect(error.message).toMatch(/Transform 'orange' not found/);
    expect(failure(() => parsePipeScript('notable')).message).toMatch(/Transform 'notable' not found/);
  });

  it('fails a run without partial output, also when the failure happens while looking ahead', () => {
    const script = parsePipeScript('mean | if last');
    const error = failure(() => script.run(stream(1, 'oops', 3)));
    expect(error.phase).toBe('run');
    // The same compiled script is still usable and starts fresh.
    expect(data(script.run(stream(1, 3)))).toEqual([2]);
  });

  it('changed treats a first datapoint with null data as changed', () => {
    expect(data(run('changed', stream(null, null, 1)))).toEqual([true, false, true]);
  });

  it('dt after a datapoint at t=0 uses the real gap', () => {
    expect(
      data(
        run('dt', [
          { t: 0, d: 1 },
          { t: 5, d: 1 },
        ]),
      ),
    ).toEqual([0, 5]);
  });
});

describe('further decisions', () => {
  it('starts days at local midnight also under daylight saving time', () => {
    // 2021-07-01 00:30 EDT = 04:30 UTC; the original's elapsed-time division put it on June 30.
    const julyFirst = Date.UTC(2021, 6, 1, 4, 30) / 1000;
    const [day] = data(run("day('America/New_York')", [{ t: julyFirst, d: 0 }]));
    expect(day).toBe(Date.UTC(2021, 6, 1) / 86_400_000);
    expect(data(run("dayhour('America/New_York')", [{ t: julyFirst, d: 0 }]))).toEqual([0]);
  });

  it('counts days before 1970 downwards (floor), not towards zero', () => {
    expect(data(run("day('UTC')", [{ t: -3600, d: 0 }]))).toEqual([-1]);
  });

  it('marks while as not one-to-one, so it cannot be an operand', () => {
    expect(failure(() => parsePipeScript('$ + while($ > 0, sum)')).phase).toBe('parse');
  });

  it('requires one-to-one scripts where results are matched per datapoint (ifelse, imap, iwhile)', () => {
    for (const script of ['ifelse($ > 1, (if $ > 3))', 'imap($, (if $ > 3))', 'iwhile($ > 1, (if $ > 3))']) {
      expect(failure(() => parsePipeScript(script)).message).toMatch(/one-to-one/);
    }
  });

  it('runs a filtering script in map and while over each group and keeps its last result', () => {
    expect(data(run('map($ % 2, (if $ > 2 | count))', stream(1, 2, 3, 4, 5)))).toEqual([{ 0: 1, 1: 2 }]);
    expect(data(run('while($ != 1, (if $ > 2))', stream(5, 2, 1, 2)))).toEqual([5]);
  });

  it('keeps an object value in filter when the condition script returns nothing', () => {
    // For 1 the condition returns nothing (kept); for 9 it returns false (kept).
    expect(data(run('filter((if $ > 5 | $ < 0))', stream({ a: 1, b: 9 })))).toEqual([{ a: 1, b: 9 }]);
  });

  it('hands out a fresh object per imap datapoint instead of one shared, changing map', () => {
    const out = data(run('imap($, count)', stream('a', 'b')));
    expect(out).toEqual([{ a: 1 }, { a: 1, b: 1 }]);
    expect(out[0]).not.toBe(out[1]);
  });

  it('matches regexes in linear time: a pattern that backtracks forever in JavaScript returns at once', () => {
    const started = Date.now();
    expect(data(run('regex("^(a+)+$")', stream(`${'a'.repeat(5000)}!`)))).toEqual([false]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('computes sentiment in double precision', () => {
    expect(data(run('sentiment', stream('I like traaains')))).toEqual([2 / 15]);
  });

  it('rejects a bucket size that is not positive', () => {
    expect(failure(() => parsePipeScript('bucket(0)')).phase).toBe('parse');
  });

  it('counts characters, not UTF-8 bytes, in length', () => {
    expect(data(run('length', stream('héllo', '❤')))).toEqual([5, 1]);
  });
});
