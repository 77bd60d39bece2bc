import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, type DatapointInput } from '../sdk';
import { ReportWriter, type ReportWriterOptions } from './ReportWriter';

interface Call {
  path: string;
  point: DatapointInput;
  key: string;
}

/** A writer whose inserts fail with `failures` in turn, then succeed. */
function writer(failures: unknown[] = [], options: Partial<ReportWriterOptions> = {}) {
  const calls: Call[] = [];
  const retries: number[] = [];
  const w = new ReportWriter({
    insert: async (path, point, key) => {
      calls.push({ path, point, key });
      const failure = failures.shift();
      if (failure) throw failure;
    },
    onRetry: (_path, _error, delayMs) => retries.push(delayMs),
    initialDelayMs: 1,
    maxDelayMs: 4,
    ...options,
  });
  return { w, calls, retries };
}

const server500 = () => new ApiError(500, { code: 500, msg: 'boom', ref: '' });

describe('ReportWriter', () => {
  it('writes reports one at a time, in order', async () => {
    const { w, calls } = writer();
    const outcomes = await Promise.all([w.write('a/b/c', { d: 1 }), w.write('a/b/c', { d: 2 })]);
    expect(outcomes).toEqual([{ kind: 'stored' }, { kind: 'stored' }]);
    expect(calls.map((c) => c.point.d)).toEqual([1, 2]);
  });

  it('retries network and server errors with backoff, with the same idempotency key', async () => {
    const { w, calls, retries } = writer([
      new NetworkError('refused'),
      server500(),
      new NetworkError('refused'),
      new NetworkError('refused'),
    ]);
    const first = w.write('a/b/c', { d: 1 });
    const second = w.write('a/b/c', { d: 2 });
    expect(await first).toEqual({ kind: 'stored' });
    expect(await second).toEqual({ kind: 'stored' });
    expect(retries).toEqual([1, 2, 4, 4]);
    const firstKeys = new Set(calls.filter((c) => c.point.d === 1).map((c) => c.key));
    expect(calls.filter((c) => c.point.d === 1)).toHaveLength(5);
    expect(firstKeys.size).toBe(1);
    expect(calls.find((c) => c.point.d === 2)!.key).not.toBe([...firstKeys][0]);
  });

  it('gives up on a refusal at once and goes on with the next report', async () => {
    const refusal = new ApiError(403, { code: 403, msg: 'schema', ref: 'r' });
    const { w, calls } = writer([refusal]);
    const outcomes = await Promise.all([w.write('a/b/c', { d: 'x' }), w.write('a/b/c', { d: 2 })]);
    expect(outcomes).toEqual([{ kind: 'refused', error: refusal }, { kind: 'stored' }]);
    expect(calls).toHaveLength(2);
  });

  it('drops what is still waiting when stopped', async () => {
    const { w } = writer(
      Array.from({ length: 100 }, () => new NetworkError('down')),
      { initialDelayMs: 50 },
    );
    const pending = w.write('a/b/c', { d: 1 });
    await new Promise((r) => setTimeout(r, 10));
    w.stop();
    expect(await pending).toEqual({ kind: 'dropped' });
    expect(await w.write('a/b/c', { d: 2 })).toEqual({ kind: 'dropped' });
  });

  it('drops the oldest waiting report when the queue overflows, never the one in flight', async () => {
    const { w, calls } = writer([new NetworkError('down')], { maxQueued: 2, initialDelayMs: 20 });
    const outcomes = [1, 2, 3].map((d) => w.write('a/b/c', { d }));
    expect(await outcomes[1]).toEqual({ kind: 'dropped' });
    expect(await outcomes[0]).toEqual({ kind: 'stored' });
    expect(await outcomes[2]).toEqual({ kind: 'stored' });
    expect(calls.map((c) => c.point.d)).toEqual([1, 1, 3]);
  });

  it('flushes: waits for the queue to empty, but not longer than asked', async () => {
    const { w } = writer(
      Array.from({ length: 100 }, () => new NetworkError('down')),
      { initialDelayMs: 50 },
    );
    void w.write('a/b/c', { d: 1 });
    const started = Date.now();
    await w.flush(30);
    expect(Date.now() - started).toBeLessThan(500);
    expect(w.pendingCount).toBe(1);
    w.stop();
  });
});
