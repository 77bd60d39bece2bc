import { describe, expect, it } from 'vitest';
import { bucketStart, columnOf, lowerBound } from './bucketStart';
import { nextDown, pick, seededRandom } from './testing/seededRandom';

describe('bucketStart', () => {
  it('puts t in [start, start + width) for positive, negative, fractional and boundary times', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 20_000; i++) {
      const width = pick(random, [10, 60, 600, 3600, 86_400, 7, 0.5]);
      const boundary = Math.round((random() - 0.5) * 4e8) * width;
      const t = pick(random, [
        boundary,
        boundary > 0 ? nextDown(boundary) : boundary - 1e-6,
        (random() - 0.5) * 4e9,
        Math.round((random() - 0.5) * 4e9),
      ]);
      const start = bucketStart(t, width);
      expect(start <= t && t < start + width, `t=${t} width=${width} start=${start}`).toBe(true);
      expect(Number.isInteger(start / width)).toBe(true);
    }
  });

  it('handles negative times by flooring toward minus infinity', () => {
    expect(bucketStart(-1, 10)).toBe(-10);
    expect(bucketStart(-10, 10)).toBe(-10);
    expect(bucketStart(-10.5, 10)).toBe(-20);
    expect(bucketStart(0, 10)).toBe(0);
    expect(bucketStart(9.999999, 10)).toBe(0);
  });
});

describe('columnOf', () => {
  it('corrects the rounded quotient where a plain floor puts t in the next column', () => {
    const columnWidth = 0.1;
    const t = 1.7;
    // The naive mapping is wrong here: 1.7 / 0.1 rounds to 17, but 17 * 0.1 is 1.7000000000000002.
    const naive = Math.floor(t / columnWidth);
    expect(naive * columnWidth).toBeGreaterThan(t);
    const column = columnOf(t, 0, columnWidth);
    expect(column).toBe(naive - 1);
    expect(column * columnWidth <= t && t < (column + 1) * columnWidth).toBe(true);
  });

  it('returns columns before and after the grid as negative and past-the-end indexes', () => {
    expect(columnOf(95, 100, 10)).toBe(-1);
    expect(columnOf(100, 100, 10)).toBe(0);
    expect(columnOf(109.99, 100, 10)).toBe(0);
    expect(columnOf(250, 100, 10)).toBe(15);
  });
});

describe('lowerBound', () => {
  it('finds the first element not below the value', () => {
    const sorted = [1, 2, 2, 2, 5, 9];
    expect(lowerBound(sorted, 0)).toBe(0);
    expect(lowerBound(sorted, 2)).toBe(1);
    expect(lowerBound(sorted, 3)).toBe(4);
    expect(lowerBound(sorted, 10)).toBe(6);
    expect(lowerBound(sorted, 2, 2, 3)).toBe(2);
  });
});
