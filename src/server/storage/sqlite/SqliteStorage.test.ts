import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeChunkLayout, type ChunkRowInfo } from '../testing/chunkLayoutContract';
import { describeStorageContract } from '../testing/storageContract';
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
