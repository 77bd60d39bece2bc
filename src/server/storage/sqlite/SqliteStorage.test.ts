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
    // Each write is its own commit of a few pages: far past SQLite's own 1,000-page threshold.
    for (let i = 1; i <= 600; i++) await storage.insert(id, '', [{ t: i, d: i }], 'append');
    const result = await storage.checkpointNow()!;
    expect(result.log).toBeGreaterThan(1000);
    expect(result.checkpointed).toBe(result.log);
    await storage.close();

    const reopened = new SqliteStorage({ filename });
    expect(await reopened.length(id, '')).toBe(600);
    expect(await reopened.readByIndex(id, '', 599, 600)).toEqual([{ t: 600, d: 600 }]);
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
