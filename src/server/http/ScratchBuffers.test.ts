import { describe, expect, it } from 'vitest';
import { ScratchBuffers } from './ScratchBuffers';

describe('ScratchBuffers', () => {
  it('hands a released buffer out again, never one still in use', () => {
    const pool = new ScratchBuffers();
    const a = pool.acquire(100);
    const b = pool.acquire(100);
    expect(b).not.toBe(a);
    pool.release(a);
    expect(pool.acquire(50)).toBe(a);
    expect(pool.acquire(50)).not.toBe(b);
  });

  it('gives a buffer at least as large as asked for', () => {
    const pool = new ScratchBuffers();
    pool.release(new ArrayBuffer(10));
    const big = pool.acquire(1000);
    expect(big.byteLength).toBe(1000);
    expect(pool.acquire(10).byteLength).toBe(10);
  });

  it('keeps at most `keep` buffers, dropping the smallest', () => {
    const pool = new ScratchBuffers(2);
    for (const bytes of [30, 10, 20]) pool.release(new ArrayBuffer(bytes));
    expect(pool.available).toBe(2);
    expect([pool.acquire(1).byteLength, pool.acquire(1).byteLength].sort()).toEqual([20, 30]);
  });
});
