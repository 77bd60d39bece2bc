import { describe, expect, it } from 'vitest';
import { PlotPeriodSlab } from './PlotPeriodSlab';
import { ROLLUP_CHUNK_BUCKETS } from './rollupPeriods';

/** Claims `key` and fills every column with `value`, as a reader decoding a period would. */
function put(slab: PlotPeriodSlab, key: string, value: number, length = 3) {
  const slot = slab.claim(key, 10, length);
  for (const column of [slot.start, slot.first, slot.last, slot.min, slot.max, slot.tFirst, slot.tLast]) {
    column.fill(value);
  }
  return slot;
}

describe('PlotPeriodSlab', () => {
  it('keeps the columns of claimed periods and hands them back by key', () => {
    const slab = new PlotPeriodSlab(4);
    put(slab, 'a', 1, 2);
    put(slab, 'b', 2, 5);
    const a = slab.get('a')!;
    expect([a.widthSeconds, a.length, Array.from(a.max)]).toEqual([10, 2, [1, 1]]);
    expect(Array.from(slab.get('b')!.tLast)).toEqual([2, 2, 2, 2, 2]);
    expect(slab.get('c')).toBeUndefined();
  });

  it('reuses the least recently used slot when full, without touching the others', () => {
    const slab = new PlotPeriodSlab(2);
    put(slab, 'a', 1);
    put(slab, 'b', 2);
    slab.get('a');
    put(slab, 'c', 3);
    expect(slab.get('b')).toBeUndefined();
    expect(Array.from(slab.get('a')!.first)).toEqual([1, 1, 1]);
    expect(Array.from(slab.get('c')!.first)).toEqual([3, 3, 3]);
  });

  it('lays the slots out in one buffer, allocated once', () => {
    const slab = new PlotPeriodSlab(2);
    const first = put(slab, 'a', 1).start.buffer;
    for (let i = 0; i < 10; i++) expect(put(slab, `k${i}`, i).first.buffer).toBe(first);
  });

  it('frees the slot of a forgotten key and empties on clear', () => {
    const slab = new PlotPeriodSlab(2);
    put(slab, 'a', 1);
    put(slab, 'b', 2);
    slab.forget('a');
    put(slab, 'c', 3);
    // 'c' took the freed slot: 'b' was not evicted.
    expect(Array.from(slab.get('b')!.min)).toEqual([2, 2, 2]);
    slab.clear();
    expect(slab.get('b')).toBeUndefined();
    expect(slab.get('c')).toBeUndefined();
  });

  it('says which reads it can hold and refuses periods longer than a slot', () => {
    const slab = new PlotPeriodSlab(3);
    expect([slab.holds(3), slab.holds(4)]).toEqual([true, false]);
    expect(() => slab.claim('x', 10, ROLLUP_CHUNK_BUCKETS + 1)).toThrow(RangeError);
  });
});
