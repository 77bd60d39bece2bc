/**
 * The outbox and engine against a real server (SQLite, free port): what issue #4 promises — points
 * queued offline reach the server exactly once with their own time, across reloads, lost answers
 * and refusals.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/testing/testServer';
import { TributaryClient } from '../../sdk';
import { createLocalCache } from './cache';
import { createOutbox } from './outbox';
import { createSyncEngine, type SyncEngineOptions } from './syncEngine';
import { SwitchableConnectivity } from './testing/fakes';
import { openTestDb, type TestDb } from './testing/testDb';

let server: TestServer;
let admin: TributaryClient;
let n = 0;
let path: string;
let test: TestDb;

beforeAll(async () => {
  server = await startTestServer();
  admin = new TributaryClient({ url: server.url, credentials: { username: 'test', password: 'test' } });
  await admin.createUser('alice', { email: 'alice@localhost', password: 'pw' });
  await admin.createUser('bob', { email: 'bob@localhost', password: 'pw' });
});
afterAll(() => server.close());

beforeEach(async () => {
  path = `alice/user/mood${n++}`;
  await admin.createStream(path, { schema: { type: 'number', minimum: 0, maximum: 5 } });
  test = await openTestDb();
});

/** Alice's client; `fetch` may be wrapped to lose answers. */
function aliceClient(fetchImpl?: typeof fetch): TributaryClient {
  return new TributaryClient({
    url: server.url,
    credentials: { username: 'alice', password: 'pw' },
    ...(fetchImpl && { fetch: fetchImpl }),
  });
}

function engineFor(client: TributaryClient, options: Partial<SyncEngineOptions> = {}) {
  return createSyncEngine({ db: test.db, client, user: 'alice', lock: null, ...options });
}

describe('delivery to a real server', () => {
  it('sends ratings queued offline once, with the times they were given, after a reload', async () => {
    const connectivity = new SwitchableConnectivity();
    connectivity.set(false);
    const ratings = [
      { t: 1_700_000_100.5, d: 4 },
      { t: 1_700_000_050, d: 2 }, // given earlier, queued later: method=insert keeps both times
    ];
    const before = engineFor(aliceClient(), { connectivity });
    before.start();
    await createOutbox({ db: test.db, user: 'alice' }).enqueue(path, ratings[0]!);
    await createOutbox({ db: test.db, user: 'alice' }).enqueue(path, ratings[1]!);
    await before.stop();

    const db = await test.reopen(); // the app closed and opened again, still offline
    const after = createSyncEngine({ db, client: aliceClient(), user: 'alice', lock: null, connectivity });
    after.start();
    expect((await after.syncNow()).outcome).toBe('offline');
    connectivity.set(true);
    await waitUntil(async () => (await admin.length(path)) === 2);
    await after.syncNow();
    await after.stop();

    expect(await admin.read(path, {})).toEqual([
      { t: 1_700_000_050, d: 2 },
      { t: 1_700_000_100.5, d: 4 },
    ]);
    expect(await createOutbox({ db, user: 'alice' }).list()).toEqual([]);
  });

  it('retries a batch whose answer was lost with the same key, and the server stores it once', async () => {
    let dropped = 0;
    // The request reaches the server and is stored; only the answer never arrives.
    const losesFirstAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST' && String(input).includes('/data') && dropped++ === 0) {
        await response.text();
        throw new TypeError('fetch failed: socket hang up');
      }
      return response;
    };
    const outbox = createOutbox({ db: test.db, user: 'alice' });
    await outbox.enqueue(
      path,
      Array.from({ length: 1500 }, (_, i) => ({ t: 1_700_000_000 + i, d: i % 6 })),
    );
    const engine = engineFor(aliceClient(losesFirstAnswer));

    const first = await engine.syncNow();
    expect(first).toMatchObject({ outcome: 'network_error', savedPoints: 500 });
    expect(await admin.length(path)).toBe(1500); // the batch whose answer was lost did land
    const [lost] = await outbox.list();
    expect(lost).toMatchObject({ state: 'queued', attempts: 1, pointCount: 1000 });

    expect(await engine.syncNow()).toMatchObject({ outcome: 'done', savedPoints: 1000 });
    expect(await admin.length(path)).toBe(1500);
    const stored = await admin.read(path, {});
    expect(new Set(stored.map((p) => p.t)).size).toBe(1500);
    expect(await outbox.list()).toEqual([]);
  });

  it('keeps a value the schema refuses as rejected with the server’s reason and saves the rest', async () => {
    const outbox = createOutbox({ db: test.db, user: 'alice' });
    await outbox.enqueue(path, [
      { t: 1_700_000_001, d: 3 },
      { t: 1_700_000_002, d: 9 }, // above the stream's maximum of 5
      { t: 1_700_000_003, d: 1 },
    ]);
    const report = await engineFor(aliceClient()).syncNow();

    expect(report).toEqual({ outcome: 'done', savedPoints: 2, rejectedPoints: 1 });
    expect((await admin.read(path, {})).map((p) => p.d)).toEqual([3, 1]);
    const [rejected] = await outbox.list();
    expect(rejected).toMatchObject({ state: 'rejected', points: [{ t: 1_700_000_002, d: 9 }] });
    expect(rejected!.error!.status).toBe(403);
    expect(rejected!.error!.msg).toMatch(/did not conform to the stream's schema: datapoint 1/);

    // Retrying does not loop: it is refused again and stays visible.
    await outbox.retry(rejected!.id!);
    expect((await engineFor(aliceClient()).syncNow()).rejectedPoints).toBe(1);
    expect((await outbox.list()).map((r) => r.state)).toEqual(['rejected']);
  });

  it('rejects points of a stream deleted meanwhile, with the reason', async () => {
    const outbox = createOutbox({ db: test.db, user: 'alice' });
    await outbox.enqueue(path, { t: 1_700_000_000, d: 1 });
    await admin.deleteStream(path);
    const report = await engineFor(aliceClient()).syncNow();
    expect(report.rejectedPoints).toBe(1);
    expect((await outbox.list())[0]).toMatchObject({
      state: 'rejected',
      error: { status: 403, msg: "Can't access this resource." },
    });
  });

  it('does not send alice’s points while bob is logged in, and sends them once alice is back', async () => {
    const outbox = createOutbox({ db: test.db, user: 'alice' });
    await outbox.enqueue(path, { t: 1_700_000_000, d: 5 });
    const asBob = new TributaryClient({ url: server.url, credentials: { username: 'bob', password: 'pw' } });
    expect((await engineFor(asBob).syncNow()).outcome).toBe('auth_error');
    expect((await outbox.list())[0]).toMatchObject({ state: 'queued', attempts: 0 });

    expect((await engineFor(aliceClient()).syncNow()).savedPoints).toBe(1);
    expect(await admin.length(path)).toBe(1);
  });

  it('moves saved points into the cached window being viewed', async () => {
    const cache = createLocalCache({ db: test.db, viewer: 'alice' });
    await cache.mergeRange(path, 1_700_000_000, 1_700_001_000, [], Date.now());
    const outbox = createOutbox({ db: test.db, user: 'alice' });
    await outbox.enqueue(path, { t: 1_700_000_500, d: 2 });
    expect((await outbox.pendingPointsFor(path)).map((p) => p.state)).toEqual(['queued']);

    await engineFor(aliceClient()).syncNow();
    expect(await outbox.pendingPointsFor(path)).toEqual([]);
    expect((await cache.readRange(path, 1_700_000_000, 1_700_001_000))?.points).toEqual([
      { t: 1_700_000_500, d: 2 },
    ]);
  });
});

async function waitUntil(predicate: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
