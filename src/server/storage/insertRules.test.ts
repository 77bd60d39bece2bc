import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../../core/model';
import { planInsert, restampTime } from './insertRules';

const dp = (t: number, d: unknown = 0): Datapoint => ({ t, d });
const times = (plan: ReturnType<typeof planInsert>) => (plan.ok ? plan.points.map((p) => p.t) : plan.reason);

describe('planInsert', () => {
  it('appends a batch at or after the last timestamp and refuses an older one', () => {
    expect(times(planInsert([dp(10), dp(11)], 10, 'append'))).toEqual([10, 11]);
    expect(times(planInsert([dp(9), dp(11)], 10, 'append'))).toBe('older');
    expect(times(planInsert([dp(1)], undefined, 'append'))).toEqual([1]);
  });

  it('refuses an unordered batch when appending or restamping', () => {
    expect(times(planInsert([dp(2), dp(1)], undefined, 'append'))).toBe('unordered');
    expect(times(planInsert([dp(2), dp(1)], 10, 'restamp'))).toBe('unordered');
  });

  it('restamps every leading point at or before a whole last timestamp to last + 0.00001', () => {
    expect(times(planInsert([dp(5), dp(10), dp(12)], 10, 'restamp'))).toEqual([10.00001, 10.00001, 12]);
  });

  it('restamps to a fractional last timestamp itself', () => {
    expect(times(planInsert([dp(5), dp(10.5), dp(11)], 10.5, 'restamp'))).toEqual([10.5, 10.5, 11]);
  });

  it('keeps a restamped batch non-decreasing when a point lies between last and the restamp time', () => {
    expect(times(planInsert([dp(3), dp(10.000001), dp(10.00002)], 10, 'restamp'))).toEqual([
      10.00001, 10.00001, 10.00002,
    ]);
  });

  it('leaves a batch after the last timestamp, or into an empty stream, as it is', () => {
    expect(times(planInsert([dp(11), dp(12)], 10, 'restamp'))).toEqual([11, 12]);
    expect(times(planInsert([dp(3), dp(4)], undefined, 'restamp'))).toEqual([3, 4]);
  });

  it('keeps values and writers of restamped points', () => {
    const plan = planInsert([{ t: 1, d: { x: 1 }, o: 'a/b' }], 2, 'restamp');
    expect(plan).toEqual({ ok: true, points: [{ t: 2.00001, d: { x: 1 }, o: 'a/b' }] });
  });

  it('sorts an insert batch by time, keeping arrival order for ties', () => {
    const plan = planInsert([dp(3, 'a'), dp(1, 'b'), dp(3, 'c'), dp(2, 'd')], 10, 'insert');
    expect(plan.ok && plan.points.map((p) => p.d)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('restampTime', () => {
  it('passes a whole timestamp by 0.00001 and keeps a fractional one', () => {
    expect(restampTime(1490000000)).toBe(1490000000.00001);
    expect(restampTime(1490000000.25)).toBe(1490000000.25);
  });
});
