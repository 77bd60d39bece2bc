import { describe, expect, it } from 'vitest';
import type { CachedWindow } from './localDb';
import { addPointsToWindows, capWindows, insertWindow, nextDown, readWindows } from './timeWindows';

const w = (t1: number, t2: number, fetchedAt: number, ts: number[]): CachedWindow => ({
  t1,
  t2,
  fetchedAt,
  points: ts.map((t) => ({ t, d: t })),
});
const times = (windows: CachedWindow[]) => windows.map((x) => [x.t1, x.t2, x.points.map((p) => p.t)]);

describe('cached time windows', () => {
  it('lets a newer fetch replace what older windows held in its range', () => {
    const old = [w(0, 10, 1, [1, 5, 9]), w(20, 30, 2, [25])];
    const merged = insertWindow(old, w(4, 22, 3, [6, 21]));
    expect(times(merged)).toEqual([
      [0, 4, [1]],
      [4, 22, [6, 21]],
      [22, 30, [25]],
    ]);
  });

  it('reads a range with the age of its oldest part and says whether it is complete', () => {
    const windows = [w(0, 10, 100, [1, 5, 10]), w(10, 20, 50, [15])];
    expect(readWindows(windows, 2, 15)).toEqual({
      points: [
        { t: 5, d: 5 },
        { t: 10, d: 10 },
        { t: 15, d: 15 },
      ],
      fetchedAt: 50,
      isComplete: true,
    });
    expect(readWindows(windows, 5, 25)?.isComplete).toBe(false);
    expect(readWindows([w(0, 10, 1, []), w(12, 20, 1, [])], 0, 20)?.isComplete).toBe(false);
    expect(readWindows(windows, 30, 40)).toBeUndefined();
  });

  it('adds saved points only to the window covering them, after equal times', () => {
    const windows = [w(0, 10, 1, [2, 5])];
    expect(
      addPointsToWindows(windows, [
        { t: 5, d: 'new' },
        { t: 50, d: 'outside' },
      ]),
    ).toBe(true);
    expect(windows[0]!.points).toEqual([
      { t: 2, d: 2 },
      { t: 5, d: 5 },
      { t: 5, d: 'new' },
    ]);
    expect(addPointsToWindows(windows, [{ t: 11, d: 1 }])).toBe(false);
  });

  it('evicts the least recently fetched windows, then the oldest points of the one kept', () => {
    const keep = w(20, 30, 9, [21, 22, 23, 24]);
    const capped = capWindows([w(0, 5, 1, [1, 2]), w(5, 10, 5, [6]), keep], keep, 5, 10);
    expect(times(capped)).toEqual([
      [5, 10, [6]],
      [20, 30, [21, 22, 23, 24]],
    ]);
    expect(times(capWindows([keep], keep, 2, 10))).toEqual([[22, 30, [23, 24]]]);
    expect(capWindows([w(0, 1, 1, []), w(1, 2, 2, []), keep], keep, 100, 2)).toHaveLength(2);
  });

  it('finds the double just below a time, so (nextDown(t), …] includes t', () => {
    const t = 1_700_000_000.123;
    expect(nextDown(t)).toBeLessThan(t);
    expect((nextDown(t) + t) / 2 === t || (nextDown(t) + t) / 2 === nextDown(t)).toBe(true);
    expect(nextDown(-1)).toBeLessThan(-1);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
  });
});
