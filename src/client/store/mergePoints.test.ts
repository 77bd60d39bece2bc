import { describe, expect, it } from 'vitest';
import { laterPoint, mergePoints } from './mergePoints';

describe('mergePoints', () => {
  it('keeps points in time order wherever new ones land', () => {
    expect(
      mergePoints(
        [
          { t: 1, d: 1 },
          { t: 3, d: 3 },
        ],
        [
          { t: 4, d: 4 },
          { t: 2, d: 2 },
        ],
      ).map((p) => p.t),
    ).toEqual([1, 2, 3, 4]);
  });

  it('skips a point it already has (a saved value coming back over the websocket)', () => {
    const existing = [{ t: 1, d: { a: 1 } }];
    expect(mergePoints(existing, [{ t: 1, d: { a: 1 } }])).toEqual(existing);
  });

  it('keeps different values at the same time, the newer last', () => {
    expect(mergePoints([{ t: 1, d: 'a' }], [{ t: 1, d: 'b' }])).toEqual([
      { t: 1, d: 'a' },
      { t: 1, d: 'b' },
    ]);
  });

  it('merges two large overlapping reads in one pass, without duplicates', () => {
    const read = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => ({ t: from + i, d: (from + i) % 7 }));
    const merged = mergePoints(read(0, 200_000), read(100_000, 300_000));
    expect(merged).toHaveLength(300_000);
    expect(merged.every((p, i) => p.t === i)).toBe(true);
  });

  it('does not change its input', () => {
    const existing = [{ t: 1, d: 1 }];
    mergePoints(existing, [{ t: 0, d: 0 }]);
    expect(existing).toEqual([{ t: 1, d: 1 }]);
  });
});

describe('laterPoint', () => {
  it('picks the later datapoint, the second on a tie', () => {
    expect(laterPoint({ t: 2, d: 'a' }, { t: 1, d: 'b' })).toEqual({ t: 2, d: 'a' });
    expect(laterPoint({ t: 2, d: 'a' }, { t: 2, d: 'b' })).toEqual({ t: 2, d: 'b' });
    expect(laterPoint(null, undefined)).toBeNull();
  });
});
