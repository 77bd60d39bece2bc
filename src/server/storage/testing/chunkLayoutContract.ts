/**
 * Tests of the chunk layout both chunked adapters share (`series/chunking.ts`), which the storage
 * contract cannot see: which chunks a write rewrites. Each adapter passes a way to list its rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STREAM_DEFAULTS, type Datapoint } from '../../../core/model';
import { CHUNK_JSON_CHARS, CHUNK_POINTS } from '../series/chunking';
import type { Storage } from '../Storage';
import { deviceTree, userInput } from './storageContract';

export interface ChunkRowInfo {
  id: number;
  firstIndex: number;
  tStart: number;
}

export interface LayoutProbe {
  storage: Storage;
  /** The stream's sealed chunks, in storage order. */
  chunks(streamId: number): Promise<ChunkRowInfo[]>;
  tailRows(streamId: number): Promise<number>;
  /** Closes the storage and whatever the probe opened. */
  close(): Promise<void>;
}

const run = (from: number, count: number): Datapoint[] =>
  Array.from({ length: count }, (_, i) => ({ t: from + i, d: from + i }));

export function describeChunkLayout(name: string, open: () => Promise<LayoutProbe>): void {
  describe(`chunk layout: ${name}`, () => {
    let probe: LayoutProbe;
    let streamId: number;

    beforeEach(async () => {
      probe = await open();
      await probe.storage.createUser(userInput('alice'), [deviceTree('phone', ['s'])]);
      streamId = (await probe.storage.getStream('alice', 'phone', 's'))!.id;
      // Five sealed chunks (t = 1 … 5 · 4096), then a few single writes waiting in the tail.
      await probe.storage.insert(streamId, '', run(1, 5 * CHUNK_POINTS), 'append');
      for (let i = 0; i < 3; i++) {
        await probe.storage.insert(streamId, '', run(5 * CHUNK_POINTS + 10 + i, 1), 'append');
      }
    });
    afterEach(async () => {
      await probe.close();
    });

    it('a point inserted into the past rewrites only the chunk around it, and the tail stays', async () => {
      const before = await probe.chunks(streamId);
      expect(before).toHaveLength(5);
      expect(await probe.tailRows(streamId)).toBe(3);

      await probe.storage.insert(streamId, '', [{ t: 100.5, d: 'late' }], 'insert');

      const after = await probe.chunks(streamId);
      // The first chunk was rewritten; the four after it kept their rows and moved by one.
      expect(after.slice(-4).map((c) => c.id)).toEqual(before.slice(1).map((c) => c.id));
      expect(after.slice(-4).map((c) => c.firstIndex)).toEqual(before.slice(1).map((c) => c.firstIndex + 1));
      expect(await probe.tailRows(streamId)).toBe(3);

      const total = 5 * CHUNK_POINTS + 4;
      expect(await probe.storage.length(streamId, '')).toBe(total);
      const all = await probe.storage.readByIndex(streamId, '', 0, total);
      expect(all[100]).toEqual({ t: 100.5, d: 'late' });
      expect(all.map((p) => p.t)).toEqual([...all.map((p) => p.t)].sort((a, b) => a - b));
      expect(all.slice(-3).map((p) => p.t)).toEqual([10, 11, 12].map((i) => 5 * CHUNK_POINTS + i));
    });

    it('a batch spanning the past and the present merges its past and appends the rest', async () => {
      const before = await probe.chunks(streamId);
      const late = [
        { t: 2.5, d: 'late' },
        { t: 5 * CHUNK_POINTS + 11, d: 'now' },
      ];
      await probe.storage.insert(streamId, '', late, 'insert');

      const after = await probe.chunks(streamId);
      expect(after.slice(-4).map((c) => c.id)).toEqual(before.slice(1).map((c) => c.id));
      expect(await probe.tailRows(streamId)).toBe(4);
      const total = 5 * CHUNK_POINTS + 5;
      const tailEnd = await probe.storage.readByIndex(streamId, '', total - 4, total);
      // Equal times keep arrival order: the earlier tail point at …11 comes before the new one.
      expect(tailEnd.map((p) => p.d)).toEqual([
        5 * CHUNK_POINTS + 10,
        5 * CHUNK_POINTS + 11,
        'now',
        5 * CHUNK_POINTS + 12,
      ]);
      expect((await probe.storage.readByTime(streamId, '', 2, 3, 0)).map((p) => p.d)).toEqual(['late', 3]);
      expect(await probe.storage.timeToIndex(streamId, '', 2.5)).toBe(3);
    });

    it('chunks of large JSON values are sealed at CHUNK_JSON_CHARS, and read and merge like any', async () => {
      await probe.storage.createStream((await probe.storage.getDevice('alice', 'phone'))!.id, {
        ...STREAM_DEFAULTS,
        name: 'docs',
      });
      const docsId = (await probe.storage.getStream('alice', 'phone', 'docs'))!.id;
      // 300 documents whose JSON is 10,000 characters: 27 fill a chunk.
      const doc = (i: number): Datapoint => ({ t: i, d: { text: `${i}`.padEnd(10_000 - 11, '.') } });
      expect(JSON.stringify(doc(100).d)).toHaveLength(10_000);
      const docs = Array.from({ length: 300 }, (_, i) => doc(i + 1));
      await probe.storage.insert(docsId, '', docs, 'append');

      const perChunk = Math.ceil(CHUNK_JSON_CHARS / 10_000);
      const starts = (await probe.chunks(docsId)).map((c) => c.firstIndex);
      expect(starts).toEqual(Array.from({ length: Math.ceil(300 / perChunk) }, (_, k) => k * perChunk));
      expect(await probe.storage.readByIndex(docsId, '', 0, 300)).toEqual(docs);
      expect(await probe.storage.readByIndex(docsId, '', perChunk - 1, perChunk + 1)).toEqual(
        docs.slice(perChunk - 1, perChunk + 1),
      );

      // A small document inserted into the past goes into the chunk around it, still under the limit.
      const late = { t: 2.5, d: { late: true } };
      await probe.storage.insert(docsId, '', [late], 'insert');
      expect(await probe.storage.readByIndex(docsId, '', 0, 301)).toEqual([
        docs[0],
        docs[1],
        late,
        ...docs.slice(2),
      ]);
      expect((await probe.chunks(docsId)).map((c) => c.firstIndex).slice(0, 3)).toEqual([
        0,
        perChunk + 1,
        2 * perChunk + 1,
      ]);
    });
  });
}
