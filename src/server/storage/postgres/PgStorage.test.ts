import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Datapoint } from '../../../core/model';
import { describeChunkLayout, type ChunkRowInfo } from '../testing/chunkLayoutContract';
import { deviceTree, describeStorageContract, userInput } from '../testing/storageContract';
import {
  dropSchema,
  openThrowawayPgStorage,
  testDatabaseUrl,
  throwawaySchema,
} from '../testing/testDatabase';
import { PG_MIGRATIONS } from './migrations';
import { PgStorage } from './PgStorage';

describeStorageContract('postgres, chunked', () => openThrowawayPgStorage());

describeChunkLayout('postgres', async () => {
  const storage = await openThrowawayPgStorage();
  const client = new pg.Client(testDatabaseUrl());
  await client.connect();
  return {
    storage,
    close: async () => {
      await client.end();
      await storage.close();
    },
    chunks: async (streamId) =>
      (
        await client.query<ChunkRowInfo>(
          `SELECT id::int, first_index::int AS "firstIndex", t_start AS "tStart" FROM ${storage.schema}.chunks
           WHERE stream_id = $1 AND substream = 0 ORDER BY first_index`,
          [streamId],
        )
      ).rows,
    tailRows: async (streamId) =>
      (
        await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${storage.schema}.tail WHERE stream_id = $1`,
          [streamId],
        )
      ).rows[0]!.n,
  };
});

describe('PgStorage migrations', () => {
  it('migrates a new schema once when several servers start together', async () => {
    const schema = throwawaySchema();
    const open = () => PgStorage.open({ connectionString: testDatabaseUrl(), schema, poolSize: 1 });
    const servers = await Promise.all([open(), open(), open(), open()]);
    try {
      const client = new pg.Client(testDatabaseUrl());
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
        );
        expect(rows.map((r: { version: number }) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
      } finally {
        await client.end();
      }
      await servers[0]!.createUser(userInput('alice'), []);
      expect((await servers[3]!.getUser('alice'))?.name).toBe('alice');
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await dropSchema(schema);
    }
  });
});

describe('PgStorage: two servers on one database', () => {
  let a: PgStorage;
  let b: PgStorage;
  let streamId: number;

  beforeEach(async () => {
    a = await openThrowawayPgStorage();
    b = await PgStorage.open({ connectionString: testDatabaseUrl(), schema: a.schema, poolSize: 4 });
    await a.createUser(userInput('alice'), [deviceTree('phone', ['s', 't'])]);
    streamId = (await b.getStream('alice', 'phone', 's'))!.id;
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it('serialises concurrent writes to one substream, small and large, from both servers', async () => {
    let value = 0;
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 120; i++) {
      const storage = i % 2 ? a : b;
      // Mostly single points (the tail); every tenth a batch that folds into chunks.
      const size = i % 10 === 0 ? 700 : 1;
      const points: Datapoint[] = Array.from({ length: size }, (_, k) => ({
        t: 1000 + i + k / size,
        d: value++,
      }));
      writes.push(storage.insert(streamId, '', points, 'restamp'));
    }
    const results = await Promise.all(writes);
    expect(results.every((r) => (r as { ok: boolean }).ok)).toBe(true);
    expect(await a.length(streamId, '')).toBe(value);
    const stored = await b.readByIndex(streamId, '', 0, value);
    expect(stored.length).toBe(value);
    // Restamping keeps the substream in time order whatever order the writes landed in.
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.t).toBeGreaterThanOrEqual(stored[i - 1]!.t);
    expect(new Set(stored.map((p) => p.d)).size).toBe(value);
    const rollup = await a.readRollup(streamId, '', 86_400, 0, 1e6);
    expect(Array.from(rollup.count).reduce((x, y) => x + y, 0)).toBe(value);
  });

  it('records an idempotency key once when both servers race for it, on one stream or two', async () => {
    // The same key on two streams does not meet the substream lock: the claim itself decides.
    const other = (await a.getStream('alice', 'phone', 't'))!.id;
    for (let i = 0; i < 40; i++) {
      const claim = { scope: '1', key: `k${i}`, requestHash: 'h', status: 200, body: 'ok' };
      const results = await Promise.all([
        a.insert(streamId, '', [{ t: i, d: i }], 'insert', claim),
        b.insert(i % 2 ? streamId : other, '', [{ t: i, d: i }], 'insert', claim),
      ]);
      expect(results.filter((r) => r.ok).length, `round ${i}`).toBe(1);
      expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'duplicate', record: { body: 'ok' } });
    }
    expect((await a.length(streamId, '')) + (await a.length(other, ''))).toBe(40);
  });

  it('leaves no datapoint behind when a stream is deleted while another server writes to it', async () => {
    const writes = Array.from({ length: 50 }, (_, i) =>
      a.insert(
        streamId,
        '',
        Array.from({ length: i % 5 === 0 ? 400 : 1 }, () => ({ t: i, d: i })),
        'insert',
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    await b.deleteStream(streamId);
    await Promise.all(writes);
    const client = new pg.Client(testDatabaseUrl());
    await client.connect();
    try {
      for (const table of ['chunks', 'tail', 'rollups', 'stream_stats']) {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM ${a.schema}.${table} WHERE stream_id = $1`,
          [streamId],
        );
        expect(rows[0].n, table).toBe(0);
      }
    } finally {
      await client.end();
    }
  });
});
