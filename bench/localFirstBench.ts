/**
 * The local-first budgets of DESIGN.md §7: queue 100,000 points offline (≤ 250 ms) and sync them to
 * a server on loopback (≤ 1 s). IndexedDB is fake-indexeddb in Node, so the numbers bound what the
 * outbox's own logic costs rather than a browser's storage engine.
 *
 * - `queue_100k_ms`: the slower of two ways to queue 100,000 points of one stream: 100 awaited calls
 *   of 1,000, and 100,000 calls of one made in one burst and awaited together.
 * - `sync_100k_ms`: from `syncNow()` until the server confirmed all 100 batches, with the engine
 *   started and its status counts live, as in the app. Without a URL, `startTestServer()` runs in a
 *   worker thread (SQLite in a temporary directory), so that client and server each have a thread as
 *   a browser and a server process would; with a URL, `test`/`test` must be an admin there.
 */
import { Worker } from 'node:worker_threads';
import { TributaryClient } from '../src/sdk';
import { createOutbox, createSyncEngine } from '../src/client/local-first';
import { openTestDb } from '../src/client/local-first/testing/testDb';

const POINTS = 100_000;
const T0 = 1_700_000_000;
const RUNS = 3;

export async function benchLocalFirst(
  serverUrl?: string,
  admin = { username: 'test', password: 'test' },
): Promise<{ queue_100k_ms: number; sync_100k_ms: number }> {
  const server = serverUrl ? undefined : await startServerThread();
  try {
    const url = serverUrl ?? server!.url;
    const client = new TributaryClient({ url, credentials: admin });
    let queueMs = Infinity;
    let syncMs = Infinity;
    // Best of a few runs: the first pays for JIT warm-up of Dexie, fake-indexeddb and the server.
    for (let run = 0; run < RUNS; run++) {
      queueMs = Math.min(queueMs, Math.max(await queueInCalls(1000), await queueInCalls(1)));
      syncMs = Math.min(syncMs, await syncAll(client, admin.username, run));
    }
    return { queue_100k_ms: round(queueMs), sync_100k_ms: round(syncMs) };
  } finally {
    await server?.close();
  }
}

/** Queues 100,000 points in calls of `perCall` points; returns the time until all are stored. */
async function queueInCalls(perCall: number): Promise<number> {
  const { db } = await openTestDb();
  const outbox = createOutbox({ db, user: 'bench' });
  const calls = POINTS / perCall;
  const batches = Array.from({ length: calls }, (_, c) =>
    Array.from({ length: perCall }, (_, i) => ({ t: T0 + c * perCall + i, d: (c + i) % 5 })),
  );
  const started = performance.now();
  if (perCall === 1) {
    // A burst (an import, a sensor catching up): every call made at once, then awaited.
    await Promise.all(batches.map((batch) => outbox.enqueue('bench/user/mood', batch[0]!)));
  } else {
    for (const batch of batches) await outbox.enqueue('bench/user/mood', batch);
  }
  const elapsed = performance.now() - started;
  const counts = await outbox.countPoints();
  if (counts.queued !== POINTS) throw new Error(`queued ${counts.queued} points, expected ${POINTS}`);
  db.close();
  return elapsed;
}

/** Queues 100,000 points in a fresh stream, then times one sync of all of them. */
async function syncAll(client: TributaryClient, user: string, run: number): Promise<number> {
  const path = `${user}/user/localfirst${Date.now()}r${run}`;
  await client.createStream(path, { schema: { type: 'number' } });
  const { db } = await openTestDb();
  const outbox = createOutbox({ db, user });
  await outbox.enqueue(
    path,
    Array.from({ length: POINTS }, (_, i) => ({ t: T0 + i, d: i % 5 })),
  );
  const engine = createSyncEngine({ db, client, user, lock: null });
  engine.subscribe(() => undefined);

  const started = performance.now();
  engine.start(); // its first pass is the one being timed
  const report = await engine.syncNow();
  const elapsed = performance.now() - started;

  await engine.stop();
  db.close();
  if (report.savedPoints !== POINTS) throw new Error(`sync: ${JSON.stringify(report)}`);
  const stored = await client.length(path);
  if (stored !== POINTS) throw new Error(`the server holds ${stored} points, expected ${POINTS}`);
  await client.deleteStream(path);
  return elapsed;
}

/**
 * `startTestServer()` in a worker thread. The worker is plain JavaScript that registers tsx itself:
 * Node 20 does not apply the parent's `--import tsx` to a worker's entry.
 */
async function startServerThread(): Promise<{ url: string; close(): Promise<void> }> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      (await import(workerData.tsx)).register();
      const { startTestServer } = await import(workerData.serverModule);
      const server = await startTestServer();
      parentPort.once('message', () => server.close().then(() => parentPort.postMessage('closed')));
      parentPort.postMessage(server.url);
    })();
  `;
  const workerData = {
    tsx: import.meta.resolve('tsx/esm/api'),
    serverModule: new URL('../src/server/testing/testServer.ts', import.meta.url).href,
  };
  const worker = new Worker(source, { eval: true, workerData });
  const nextMessage = () =>
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const url = String(await nextMessage());
  return {
    url,
    async close() {
      worker.postMessage('close');
      await nextMessage();
      await worker.terminate();
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
