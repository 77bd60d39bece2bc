import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Datapoint } from '../../../core/model';
import { describeChunkLayout, type ChunkRowInfo } from '../testing/chunkLayoutContract';
import { describe, expect, it } from 'vitest';
import { describeStorageContract, deviceTree, userInput } from '../testing/storageContract';
import { TAIL_FOLD_BYTES, TAIL_FOLD_POINTS, TAIL_MAX_BYTES, TAIL_MAX_POINTS } from '../series/chunking';
import { SQLITE_MIGRATIONS } from './migrations';
import { SqliteStorage } from './SqliteStorage';

/**
 * An idempotency record that fails to be written after its write's points were (a NOT NULL column),
 * so that the whole group commit is rolled back and its other members run again alone.
 */
const failing = { scope: 'd', key: 'k', requestHash: 'h', status: 200, body: null as unknown as string };

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
      // The middle write fails after its points were written (see `failing`).
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

describe('folding the tail', () => {
  const opened = async () => {
    const filename = tempFile();
    const storage = new SqliteStorage({ filename });
    await storage.createUser(userInput('alice'), [deviceTree('phone', ['s', 'other'])]);
    const id = (await storage.getStream('alice', 'phone', 's'))!.id;
    const otherId = (await storage.getStream('alice', 'phone', 'other'))!.id;
    const db = new Database(filename, { readonly: true });
    const rows = (streamId = id) => ({
      tail: (db.prepare('SELECT count(*) AS n FROM tail').get() as { n: number }).n,
      chunked: (
        db.prepare('SELECT coalesce(sum(count), 0) AS n FROM chunks WHERE stream_id = ?').get(streamId) as {
          n: number;
        }
      ).n,
    });
    const close = async () => {
      db.close();
      await storage.close();
    };
    return { storage, id, otherId, rows, close, filename };
  };
  /** Single writes of `points`, `perGroup` at a time. */
  const writeInGroups = async (storage: SqliteStorage, id: number, points: Datapoint[], perGroup: number) => {
    for (let i = 0; i < points.length; i += perGroup) {
      await Promise.all(points.slice(i, i + perGroup).map((p) => storage.insert(id, '', [p], 'append')));
    }
  };
  const points = (from: number, count: number) => Array.from({ length: count }, (_, i) => point(from + i));
  const point = (i: number): Datapoint => ({ t: i, d: i });

  it('happens in a commit after the write that filled the tail, not inside it', async () => {
    const { storage, id, rows, close } = await opened();
    for (let i = 1; i <= TAIL_FOLD_POINTS; i++) await storage.insert(id, '', [point(i)], 'append');
    // Acknowledged with the tail full: the fold waits for the next group.
    expect(rows()).toEqual({ tail: TAIL_FOLD_POINTS, chunked: 0 });
    expect(await storage.readByIndex(id, '', TAIL_FOLD_POINTS - 1, TAIL_FOLD_POINTS)).toEqual([
      point(TAIL_FOLD_POINTS),
    ]);

    // The next write shares a group with the fold, which ran first.
    await storage.insert(id, '', [point(TAIL_FOLD_POINTS + 1)], 'append');
    expect(rows()).toEqual({ tail: 1, chunked: TAIL_FOLD_POINTS });
    const all = points(1, TAIL_FOLD_POINTS + 1);
    expect(await storage.readByIndex(id, '', 0, all.length)).toEqual(all);
    expect(await storage.readByTime(id, '', TAIL_FOLD_POINTS - 2, undefined, 0)).toEqual(all.slice(-3));
    await close();
  });

  it('happens inside a write that would take the tail to its limit, when the folds fall behind', async () => {
    const { storage, id, rows, close } = await opened();
    // One group of single writes: no fold can run between them.
    const count = TAIL_MAX_POINTS + 52;
    const all = points(1, count);
    await Promise.all(all.map((p) => storage.insert(id, '', [p], 'append')));
    expect(rows()).toEqual({ tail: 52, chunked: TAIL_MAX_POINTS });
    expect(await storage.readByIndex(id, '', 0, count)).toEqual(all);
    await close();
  });

  describe('of large values', () => {
    /** Values whose JSON is 64 KiB: sixteen fill TAIL_FOLD_BYTES. */
    const large = (i: number): Datapoint => ({ t: i, d: `${i}`.padEnd(64 * 1024 - 2, 'x') });
    const perFold = TAIL_FOLD_BYTES / (64 * 1024);
    const perMax = TAIL_MAX_BYTES / (64 * 1024);

    it('happens once their JSON fills TAIL_FOLD_BYTES, long before TAIL_FOLD_POINTS', async () => {
      const { storage, id, rows, close } = await opened();
      const all = Array.from({ length: perFold + 1 }, (_, i) => large(i + 1));
      for (const p of all.slice(0, -1)) await storage.insert(id, '', [p], 'append');
      expect(rows()).toEqual({ tail: perFold, chunked: 0 });
      await storage.insert(id, '', [all[perFold]!], 'append');
      expect(rows()).toEqual({ tail: 1, chunked: perFold });
      expect(await storage.readByIndex(id, '', 0, all.length)).toEqual(all);
      await close();
    });

    it('happens inside a write once the tail holds TAIL_MAX_BYTES', async () => {
      const { storage, id, rows, close } = await opened();
      // One group of single writes: the write after the tail reached TAIL_MAX_BYTES folds it.
      const all = Array.from({ length: perMax + 8 }, (_, i) => large(i + 1));
      await Promise.all(all.map((p) => storage.insert(id, '', [p], 'append')));
      expect(rows()).toEqual({ tail: 7, chunked: perMax + 1 });
      expect(await storage.readByIndex(id, '', 0, all.length)).toEqual(all);
      await close();
    });
  });

  it('of a tail left full at closing runs after the first write of the next start', async () => {
    const { storage, id, close, filename } = await opened();
    const all = points(1, TAIL_FOLD_POINTS + 1);
    // Closing while the group that fills the tail is pending: its fold never gets a turn.
    const filling = all.slice(0, -1).map((p) => storage.insert(id, '', [p], 'append'));
    await Promise.all([...filling, close()]);
    const db = new Database(filename, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM tail').get()).toEqual({ n: TAIL_FOLD_POINTS });

    const reopened = new SqliteStorage({ filename });
    await reopened.insert(id, '', [all[all.length - 1]!], 'append');
    // The fold was queued after that write was acknowledged; closing waits for it.
    await reopened.close();
    expect(db.prepare('SELECT count(*) AS n FROM tail').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT sum(count) AS n FROM chunks').get()).toEqual({ n: all.length });
    db.close();
    const again = new SqliteStorage({ filename });
    expect(await again.readByIndex(id, '', 0, all.length)).toEqual(all);
    await again.close();
  });
  it('leaves folded rows behind an older tail in the table, and never reads them again', async () => {
    const { storage, id, otherId, rows, close, filename } = await opened();
    await storage.insert(otherId, '', [{ t: 1, d: 'other' }], 'append');
    const all = points(1, TAIL_FOLD_POINTS + 1);
    await writeInGroups(storage, id, all, 64);
    // The fold marked its rows folded; the other stream's older row holds back their deletion.
    expect(rows()).toEqual({ tail: TAIL_FOLD_POINTS + 2, chunked: TAIL_FOLD_POINTS });
    await close();

    const reopened = new SqliteStorage({ filename });
    expect(await reopened.length(id, '')).toBe(all.length);
    expect(await reopened.readByIndex(id, '', 0, all.length)).toEqual(all);
    expect(await reopened.readByTime(id, '', 0, undefined, 0)).toEqual(all);
    expect(await reopened.readByIndex(otherId, '', 0, 5)).toEqual([{ t: 1, d: 'other' }]);
    await reopened.close();
  });

  it('folds a short tail that fell far behind, so that folded rows are deleted', async () => {
    const { storage, id, otherId, rows, close } = await opened();
    await storage.insert(otherId, '', [{ t: 1, d: 'other' }], 'append');
    const all = points(1, 24 * TAIL_FOLD_POINTS);
    await writeInGroups(storage, id, all, 512);
    expect(rows(otherId).chunked).toBe(1);
    expect(rows().tail).toBeLessThanOrEqual(2 * TAIL_FOLD_POINTS);
    expect(await storage.readByIndex(otherId, '', 0, 5)).toEqual([{ t: 1, d: 'other' }]);
    expect(await storage.readByIndex(id, '', 0, all.length)).toEqual(all);
    await close();
  });

  it('leaves the tails of streams written in step alone until they are full', async () => {
    const filename = tempFile();
    const storage = new SqliteStorage({ filename });
    const names = Array.from({ length: 21 }, (_, i) => `s${i}`);
    await storage.createUser(userInput('alice'), [deviceTree('phone', names)]);
    const [fast, ...inStep] = await Promise.all(
      names.map(async (n) => (await storage.getStream('alice', 'phone', n))!.id),
    );
    // The fast stream's folds look for tails left behind while the others' hold ~700–1,000 rows
    // each: 17,000–24,000 rows behind, but no more than all tails hold together.
    const rounds = TAIL_FOLD_POINTS - 24;
    for (let i = 0; i < rounds; i++) {
      const fastPoints = points(4 * i, 4);
      await Promise.all([
        ...inStep.map((id) => storage.insert(id, '', [point(i)], 'append')),
        ...fastPoints.map((p) => storage.insert(fast!, '', [p], 'append')),
      ]);
    }
    await storage.close();
    const db = new Database(filename, { readonly: true });
    const chunked = db.prepare('SELECT stream_id, sum(count) AS n FROM chunks GROUP BY stream_id').all();
    expect(chunked).toEqual([{ stream_id: fast, n: 3 * TAIL_FOLD_POINTS }]);
    db.close();
  });

  it('rolled back with the rest of its group leaves the tail whole, and runs again alone', async () => {
    const { storage, id, rows, close, filename } = await opened();
    const all = points(1, TAIL_FOLD_POINTS + 1);
    await writeInGroups(storage, id, all.slice(0, -1), 256);
    // The fold is queued; it shares the next group with these writes, one of which fails.
    const results = await Promise.allSettled([
      storage.insert(id, '', [all[all.length - 1]!], 'append'),
      storage.insert(id, '', [point(all.length + 1)], 'append', failing),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(rows()).toEqual({ tail: 1, chunked: TAIL_FOLD_POINTS });
    expect(await storage.readByIndex(id, '', 0, all.length + 1)).toEqual(all);
    await close();
    const reopened = new SqliteStorage({ filename });
    expect(await reopened.readByIndex(id, '', 0, all.length + 1)).toEqual(all);
    await reopened.close();
  });
});

describe('a database from before the tail was kept in memory', () => {
  it('keeps its tail points, in order, and goes on numbering tail rows after them', async () => {
    const filename = tempFile();
    const old = new Database(filename);
    old.exec(SQLITE_MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.exec(`
      INSERT INTO users (name, email, role, public, password_hash) VALUES ('alice', 'a@example.com', 'user', 0, 'x');
      INSERT INTO devices (user_id, name, apikey, enabled, public, role, visible, user_editable)
        VALUES (1, 'phone', 'key', 1, 0, 'none', 1, 1);
      INSERT INTO streams (device_id, name, schema, ephemeral, downlink) VALUES (1, 's', '{}', 0, 0);
      INSERT INTO tail (stream_id, substream, t, d, o) VALUES (1, 0, 2, '"b"', NULL), (1, 0, 1, '"a"', 'x'), (1, 0, 3, '"c"', NULL);
      INSERT INTO stream_stats (stream_id, substream, count, last_t, chunked_count, chunk_end_t) VALUES (1, 0, 3, 3, 0, 0);
    `);
    old.close();

    const storage = new SqliteStorage({ filename });
    const id = (await storage.getStream('alice', 'phone', 's'))!.id;
    const expected = [
      { t: 1, d: 'a', o: 'x' },
      { t: 2, d: 'b' },
      { t: 3, d: 'c' },
      { t: 4, d: 'd' },
    ];
    expect(await storage.readByIndex(id, '', 0, 3)).toEqual(expected.slice(0, 3));
    await storage.insert(id, '', [expected[3]!], 'append');
    await storage.close();
    const db = new Database(filename, { readonly: true });
    expect(db.prepare('SELECT id FROM tail WHERE t = 4').get()).toEqual({ id: 4 });
    db.close();
    const reopened = new SqliteStorage({ filename });
    expect(await reopened.readByIndex(id, '', 0, 10)).toEqual(expected);
    await reopened.close();
  });
});
