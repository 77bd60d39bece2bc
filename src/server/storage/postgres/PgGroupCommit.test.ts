import { describe, expect, it } from 'vitest';
import { CommitOutcomeUnknown, PgGroupCommit } from './PgGroupCommit';

interface Write {
  key: string;
  value: number;
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('PgGroupCommit', () => {
  it('groups writes that arrive together and resolves each with its own result', async () => {
    const groups: number[][] = [];
    const commits = new PgGroupCommit<Write, number>(async (writes) => {
      groups.push(writes.map((w) => w.value));
      await tick();
      return writes.map((w) => w.value * 10);
    });
    const results = await Promise.all([1, 2, 3].map((value) => commits.submit({ key: `s${value}`, value })));
    expect(results).toEqual([10, 20, 30]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('never runs two groups with writes to the same key at once, and keeps their order', async () => {
    const running = new Set<string>();
    const order: number[] = [];
    const commits = new PgGroupCommit<Write, number>(
      async (writes) => {
        // One group may hold several writes of a key (it runs them in order); two groups may not.
        const keys = new Set(writes.map((w) => w.key));
        for (const key of keys) expect(running.has(key)).toBe(false);
        for (const key of keys) running.add(key);
        await tick();
        for (const key of keys) running.delete(key);
        for (const w of writes) order.push(w.value);
        return writes.map(() => 0);
      },
      { maxGroups: 4, maxGroupSize: 2 },
    );
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 20; i++)
      writes.push(commits.submit({ key: i % 3 === 0 ? 'hot' : `s${i}`, value: i }));
    await Promise.all(writes);
    const hot = order.filter((v) => v % 3 === 0);
    expect(hot).toEqual([0, 3, 6, 9, 12, 15, 18]);
    await commits.drain();
  });

  it('runs the writes of a failed group alone, so one bad write fails only itself', async () => {
    const commits = new PgGroupCommit<Write, number>(async (writes) => {
      if (writes.some((w) => w.value < 0)) throw new Error('bad write');
      return writes.map((w) => w.value);
    });
    const results = await Promise.allSettled([1, -1, 2].map((value) => commits.submit({ key: 'k', value })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('rejects without running again when the commit outcome is unknown', async () => {
    let runs = 0;
    const commits = new PgGroupCommit<Write, number>(async () => {
      runs++;
      throw new CommitOutcomeUnknown('connection lost during COMMIT');
    });
    await expect(commits.submit({ key: 'k', value: 1 })).rejects.toBeInstanceOf(CommitOutcomeUnknown);
    expect(runs).toBe(1);
  });

  it('retries a write that deadlocked', async () => {
    let runs = 0;
    const commits = new PgGroupCommit<Write, number>(async (writes) => {
      if (runs++ < 2) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      return writes.map((w) => w.value);
    });
    expect(await commits.submit({ key: 'k', value: 7 })).toBe(7);
    expect(runs).toBe(3);
  });
});
