import { describe, expect, it } from 'vitest';
import { YEAR_POINTS, YEAR_START, yearBatch, yearValue } from './datasets';

describe('the year dataset', () => {
  it('writes each batch byte for byte as JSON.stringify would', () => {
    for (const [from, to] of [
      [0, 2000],
      [100_000, 101_000],
      [YEAR_POINTS - 1500, YEAR_POINTS],
      [5, 5],
    ] as const) {
      const points = Array.from({ length: to - from }, (_, k) => ({
        t: YEAR_START + from + k,
        d: yearValue(from + k),
      }));
      expect(yearBatch(from, to).toString()).toBe(JSON.stringify(points));
    }
  });

  it('has two decimals and a spike every 100,003 s', () => {
    for (let i = 0; i < 300_000; i += 997) expect(Math.round(yearValue(i) * 100) / 100).toBe(yearValue(i));
    expect(yearValue(100_003) - yearValue(100_002)).toBeGreaterThan(20);
  });
});
