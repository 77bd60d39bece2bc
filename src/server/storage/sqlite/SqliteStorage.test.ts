import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeChunkLayout, type ChunkRowInfo } from '../testing/chunkLayoutContract';
import { describe, expect, it } from 'vitest';
import { describeStorageContract, deviceTree, userInput } from '../testing/storageContract';
import { SqliteStorage } from './SqliteStorage';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'tributary-sqlite-')), 'tributary.db');

describeStorageContract('sqlite, chunked', () => new SqliteStorage({ filename: tempFile() }));
describeStorageContract(
  'sqlite, row per datapoint',
  () => new SqliteStorage({ filename: tempFile(), layout: 'rows' }),
);

describeChunkLayout('sqlite', async () => {
  const filename = tempFile();
  const storage = new SqliteStorage({ filename });
  // A second connection on the same file, as any reader of a WAL database may open.
  const db = new Database(filename, { readonly: true });
  return {
    storage,
    close: async () => {
      db.close();
      await storage.close();
    },
    chunks: async (streamId) =>
      db
        .prepare(
          'SELECT id, first_index AS firstIndex, t_start AS tStart FROM chunks WHERE stream_id = ? AND substream = 0 ORDER BY first_index',
        )
        .all(streamId) as ChunkRowInfo[],
    tailRows: async (streamId) =>
      (db.prepare('SELECT count(*) AS n FROM tail WHERE stream_id = ?').get(streamId) as { n: number }).n,
  };
});

describe('background WAL checkpoints', () => {
  it('leaves checkpoints to the worker, which moves every committed frame into the database', async () => {
    const filename = tempFile();
    const storage = new SqliteStorage({ filename, backgroundCheckpoints: true });
    await storage.createUser(userInput('alice'), [deviceTree('phone', ['s'])]);
    const id = (await storage.getStream('alice', 'phone', 's'))!.id;
    // Each write is its own commit of at least a page: past SQLite's own 1,000-page threshold.
    for (let i = 1; i <= 1500; i++) await storage.insert(id, '', [{ t: i, d: i }], 'append');
    const result = await storage.checkpointNow()!;
    expect(result.log).toBeGreaterThan(1000);
    expect(result.checkpointed).toBe(result.log);
    await storage.close();

    const reopened = new SqliteStorage({ filename });
    expect(await reopened.length(id, '')).toBe(1500);
    expect(await reopened.readByIndex(id, '', 1499, 1500)).toEqual([{ t: 1500, d: 1500 }]);
    await reopened.close();
  });
});

describe('lookups of a few points in chunks not cached', () => {
  it('reads points, positions and plot edges across chunk boundaries right after opening', async () => {
    const filename = tempFile();
    const storage = new SqliteStorage({ filename });
    await storage.createUser(userInput('alice'), [deviceTree('phone', ['s', 'mixed'])]);
    const id = (await storage.getStream('alice', 'phone', 's'))!.id;
    const mixedId = (await storage.getStream('alice', 'phone', 'mixed'))!.id;
    const points = Array.from({ length: 3 * 4096 + 10 }, (_, i) => ({ t: 1000 + i, d: i / 4 }));
    const mixed = points.map((p, i) => ({ t: p.t, d: i % 3 ? `text ${i}` : i % 2 === 0 }));
    await storage.insert(id, '', points, 'append');
    await storage.insert(mixedId, '', mixed, 'append');
    await storage.close();

    const reopened = new SqliteStorage({ filename });
    // Every short read decodes the chunks it spans afresh into the same scratch.
    for (const [start, end] of [
      [4094, 4098],
      [8190, 8193],
      [0, 1],
      [12_287, 12_298],
    ] as const) {
      expect(await reopened.readByIndex(id, '', start, end)).toEqual(points.slice(start, end));
      expect(await reopened.readByIndex(mixedId, '', start, end)).toEqual(mixed.slice(start, end));
    }
    for (const t of [999, 1000, 5095.5, 5096, 9191, 20_000]) {
      expect(await reopened.timeToIndex(id, '', t)).toBe(points.filter((p) => p.t <= t).length);
    }
    await reopened.close();
  });
});

describe('cached stream stats', () => {
  for (const layout of ['chunked', 'rows'] as const) {
    it(`never serve what a rolled-back group wrote (${layout})`, async () => {
      const filename = tempFile();
      const storage = new SqliteStorage({ filename, layout });
      await storage.createUser(userInput('alice'), [deviceTree('phone', ['s'])]);
      const id = (await storage.getStream('alice', 'phone', 's'))!.id;
      await storage.insert(id, '', [{ t: 1, d: 1 }], 'append');
      // The middle write fails after its points were written (a NOT NULL column of its idempotency
      // record), so the whole group is rolled back and the others run again alone.
      const failing = { scope: 'd', key: 'k', requestHash: 'h', status: 200, body: null as unknown as string };
      const results = await Promise.allSettled([
        storage.insert(id, '', [{ t: 2, d: 2 }], 'append'),
        storage.insert(id, '', [{ t: 3, d: 3 }], 'append', failing),
        storage.insert(id, '', [{ t: 4, d: 4 }], 'append'),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(results.map((r) => r.status === 'fulfilled' && r.value.ok)).toEqual([true, false, true]);
      const stored = [
        { t: 1, d: 1 },
        { t: 2, d: 2 },
        { t: 4, d: 4 },
      ];
      expect(await storage.length(id, '')).toBe(3);
      expect(await storage.readByIndex(id, '', 0, 3)).toEqual(stored);
      await storage.close();
      const reopened = new SqliteStorage({ filename, layout });
      expect(await reopened.length(id, '')).toBe(3);
      expect(await reopened.readByIndex(id, '', 0, 3)).toEqual(stored);
      await reopened.close();
    });
  }
});

describe('the tail after reopening', () => {
  it('keeps the order of points inserted into the past and of equal times, and folds it in that order', async () => {
    const filename = tempFile();
    const storage = new SqliteStorage({ filename });
    await storage.createUser(userInput('alice'), [deviceTree('phone', ['s'])]);
    const id = (await storage.getStream('alice', 'phone', 's'))!.id;
    const times = [5, 3, 5, 1, 3, 9, 5, 2];
    for (const [i, t] of times.entries()) await storage.insert(id, '', [{ t, d: i }], 'insert');
    // Array.prototype.sort is stable: equal times keep their arrival order, as the API promises.
    const expected = times.map((t, i) => ({ t, d: i })).sort((a, b) => a.t - b.t);
    const reads = async (s: SqliteStorage) => ({
      all: await s.readByIndex(id, '', 0, times.length),
      middle: await s.readByIndex(id, '', 2, 5),
      after3: await s.readByTime(id, '', 3, undefined, 0),
      from2to5: await s.readByTime(id, '', 2, 5, 2),
      index5: await s.timeToIndex(id, '', 5),
      length: await s.length(id, ''),
    });
    const before = await reads(storage);
    expect(before.all).toEqual(expected);
    expect(before.middle).toEqual(expected.slice(2, 5));
    expect(before.after3).toEqual(expected.filter((p) => p.t > 3));
    expect(before.from2to5).toEqual(expected.filter((p) => p.t > 2 && p.t <= 5).slice(0, 2));
    expect(before.index5).toBe(7);
    expect(before.length).toBe(8);
    await storage.close();

    const reopened = new SqliteStorage({ filename });
    expect(await reads(reopened)).toEqual(before);
    // A batch this large folds the tail into chunks.
    const batch = Array.from({ length: 300 }, (_, i) => ({ t: 10 + i, d: -i }));
    await reopened.insert(id, '', batch, 'append');
    expect(await reopened.readByIndex(id, '', 0, 308)).toEqual([...expected, ...batch]);
    await reopened.close();
    const db = new Database(filename, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM tail').get()).toEqual({ n: 0 });
    db.close();
  });
});
