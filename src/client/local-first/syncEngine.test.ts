/**
 * The engine against a fake transport, for failures a real server will not produce on demand.
 * Delivery to the real server (lost answers, refusals, reloads) is in syncEngine.integration.test.ts.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeSyncStatus, type SyncStatus } from './syncStatus';
import { openLocalDb, type LocalDb } from './localDb';
import { createOutbox, type Outbox } from './outbox';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './syncEngine';
import { createMutex, eventually, FakeClient, ManualTimers, SwitchableConnectivity } from './testing/fakes';
import { openTestDb, openVersion1Db, type TestDb } from './testing/testDb';

const MOOD = 'alice/user/mood';
const STEPS = 'alice/phone/steps';

let test: TestDb;
let db: LocalDb;
let outbox: Outbox;
let client: FakeClient;
let timers: ManualTimers;
let connectivity: SwitchableConnectivity;
const engines: SyncEngine[] = [];

beforeEach(async () => {
  test = await openTestDb();
  db = test.db;
  outbox = createOutbox({ db, user: 'alice' });
  client = new FakeClient();
  timers = new ManualTimers();
  connectivity = new SwitchableConnectivity();
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

function engine(options: Partial<SyncEngineOptions> = {}): SyncEngine {
  const created = createSyncEngine({
    db,
    client,
    user: 'alice',
    lock: null,
    timers,
    connectivity,
    random: () => 0.5, // no jitter unless a test asks for it
    ...options,
  });
  engines.push(created);
  return created;
}

const points = (n: number, t0 = 1_600_000_000) => Array.from({ length: n }, (_, i) => ({ t: t0 + i, d: i }));

describe('sending', () => {
  it('sends each batch once with method=insert and a key, oldest first per stream, and empties the outbox', async () => {
    await outbox.enqueue(MOOD, points(1500));
    await outbox.enqueue(STEPS, points(10));
    await outbox.enqueue(MOOD, points(10, 1_500_000_000)); // older times, queued later
    const report = await engine().syncNow();

    expect(report).toEqual({ outcome: 'done', savedPoints: 1510 + 10, rejectedPoints: 0 });
    const moodRequests = client.requests.filter((r) => r.path === MOOD);
    expect(moodRequests.map((r) => r.points.length)).toEqual([1000, 510]);
    expect(moodRequests[0]!.points[0]).toEqual({ t: 1_600_000_000, d: 0 });
    expect(client.requests.every((r) => r.options.method === 'insert')).toBe(true);
    const keys = client.requests.map((r) => r.options.idempotencyKey);
    expect(new Set(keys).size).toBe(client.requests.length);
    expect(client.points(MOOD)).toHaveLength(1510);
    expect(client.points(MOOD)[0]).toEqual({ t: 1_500_000_000, d: 0 });
    expect(await outbox.list()).toEqual([]);
  });

  it('checks who it is logged in as once per pass and sends nothing as someone else', async () => {
    await outbox.enqueue(MOOD, points(3));
    client.identity = 'bob/user';
    const report = await engine().syncNow();
    expect(report.outcome).toBe('auth_error');
    expect(client.requests).toHaveLength(0);
    expect((await outbox.list())[0]).toMatchObject({ state: 'queued', attempts: 0 });

    client.identity = 'alice/user';
    expect((await engine().syncNow()).savedPoints).toBe(3);
    expect(client.whoamiCalls).toBe(2);
  });

  it('reports each confirmed batch with its points, and not a refused one', async () => {
    await outbox.enqueue(MOOD, points(2));
    await outbox.enqueue(STEPS, points(1));
    client.answer = (request) => (request.path === STEPS ? { status: 400, msg: 'no such stream' } : 'ok');
    const saved: [string, number[]][] = [];
    await engine({ onSaved: (path, list) => saved.push([path, list.map((p) => p.t)]) }).syncNow();
    expect(saved).toEqual([[MOOD, [1_600_000_000, 1_600_000_001]]]);
  });

  it('makes no request at all when nothing waits', async () => {
    expect(await engine().syncNow()).toEqual({ outcome: 'done', savedPoints: 0, rejectedPoints: 0 });
    expect(client.whoamiCalls).toBe(0);
  });

  it('sends only its own user’s records', async () => {
    const bob = createOutbox({ db, user: 'bob' });
    await bob.enqueue('bob/user/mood', points(2));
    await outbox.enqueue(MOOD, points(1));
    await engine().syncNow();
    expect(client.requests.map((r) => r.path)).toEqual([MOOD]);
    expect(await bob.countPoints()).toMatchObject({ queued: 2 });
  });

  it('waits while the platform is offline and sends when it comes back', async () => {
    await outbox.enqueue(MOOD, points(2));
    connectivity.set(false);
    const e = engine();
    e.start();
    expect(await e.syncNow()).toMatchObject({ outcome: 'offline' });
    expect(client.requests).toHaveLength(0);
    connectivity.set(true);
    await eventually(() => client.points(MOOD).length === 2);
  });

  it('syncs when the websocket reconnects', async () => {
    const e = engine();
    e.start();
    await e.syncNow();
    await outbox.enqueue(MOOD, points(1));
    client.emitConnection('open');
    await eventually(() => client.points(MOOD).length === 1);
  });
});

describe('failures', () => {
  it('keeps a batch queued with the same key when the answer is lost, and the retry inserts nothing twice', async () => {
    await outbox.enqueue(MOOD, points(5));
    client.script.push('lost');
    const e = engine();
    expect((await e.syncNow()).outcome).toBe('network_error');
    const [record] = await outbox.list();
    expect(record).toMatchObject({ state: 'queued', attempts: 1, error: { status: 0 } });
    expect(record!.idempotencyKey).toBe(client.requests[0]!.options.idempotencyKey);

    await outbox.enqueue(MOOD, points(1, 1_700_000_000)); // must not join the sealed batch
    expect((await e.syncNow()).outcome).toBe('done');
    expect(client.requests[1]!.options.idempotencyKey).toBe(record!.idempotencyKey);
    expect(client.requests[1]!.points).toEqual(client.requests[0]!.points);
    expect(client.points(MOOD)).toHaveLength(6);
    expect(await outbox.list()).toEqual([]);
  });

  it('backs off exponentially with jitter after failures and resets after a success', async () => {
    await outbox.enqueue(MOOD, points(1));
    client.answer = () => 'offline';
    const jitter = [0, 1, 0.5, 0.5];
    const e = engine({
      now: () => 1_000_000,
      random: () => jitter.shift() ?? 0.5,
      backoff: { initialDelayMs: 1000, maxDelayMs: 4000 },
    });
    e.start();
    await eventually(() => timers.size === 1);
    for (let i = 0; i < 3; i++) {
      timers.fireAll();
      await eventually(() => timers.delays.length === i + 2);
    }
    // 1 s −20 %, 2 s +20 %, 4 s, then capped at 4 s.
    expect(timers.delays).toEqual([800, 2400, 4000, 4000]);
    expect(e.getStatus()).toMatchObject({ online: false, lastError: { kind: 'network' } });
    expect((await outbox.list())[0]!.attempts).toBe(4);

    client.answer = () => 'ok';
    timers.fireAll();
    expect((await e.syncNow()).outcome).toBe('done'); // joins the pass the timer started
    expect(client.points(MOOD)).toHaveLength(1);
    await outbox.enqueue(MOOD, points(1, 1_700_000_000));
    client.answer = () => 'offline';
    await e.syncNow();
    expect(timers.delays.at(-1)).toBe(1000);
  });

  it('asks for a Background Sync when the network fails with points waiting', async () => {
    await outbox.enqueue(MOOD, points(1));
    client.answer = () => 'offline';
    let requested = 0;
    const e = engine({ requestBackgroundSync: () => void requested++ });
    await e.syncNow();
    await e.syncNow();
    expect(requested).toBe(1); // once per run of failures
  });

  it('retries a server error with the same key, and rejects the batch after too many', async () => {
    await outbox.enqueue(MOOD, points(2));
    client.answer = () => ({ status: 503, msg: 'Service Unavailable' });
    const e = engine({ maxServerErrors: 3 });
    expect((await e.syncNow()).outcome).toBe('server_error');
    expect((await outbox.list())[0]).toMatchObject({ state: 'queued', serverErrors: 1 });
    await e.syncNow();
    const last = await e.syncNow();
    expect(last.rejectedPoints).toBe(2);
    expect((await outbox.list())[0]).toMatchObject({
      state: 'rejected',
      serverErrors: 3,
      error: { status: 503, msg: 'Service Unavailable' },
    });
    expect(new Set(client.requests.map((r) => r.options.idempotencyKey)).size).toBe(1);
    // Rejected batches are not sent again by themselves.
    await e.syncNow();
    expect(client.requests).toHaveLength(3);
  });

  it('leaves the queue alone on 401 (logged out) and sends once logged in again', async () => {
    await outbox.enqueue(MOOD, points(1));
    client.script.push({ status: 401, msg: 'Not logged in' });
    const e = engine();
    expect((await e.syncNow()).outcome).toBe('auth_error');
    expect((await outbox.list())[0]).toMatchObject({ state: 'queued', serverErrors: 0 });
    expect((await e.syncNow()).savedPoints).toBe(1);
  });

  it('does not reject points when the refusal comes from someone else having logged in', async () => {
    await outbox.enqueue(MOOD, points(1));
    client.answer = () => {
      client.identity = 'bob/user';
      return { status: 403, msg: 'Write access to stream data denied.' };
    };
    const report = await engine().syncNow();
    expect(report.outcome).toBe('auth_error');
    expect((await outbox.list())[0]).toMatchObject({ state: 'queued' });
  });
});

describe('refusals', () => {
  it('rejects the whole batch with the server’s reason when it names no datapoint, and never retries it', async () => {
    await outbox.enqueue(MOOD, points(3));
    client.answer = () => ({ status: 403, msg: "Can't access this resource." });
    const e = engine();
    const report = await e.syncNow();
    expect(report).toEqual({ outcome: 'done', savedPoints: 0, rejectedPoints: 3 });
    expect((await outbox.list())[0]).toMatchObject({
      state: 'rejected',
      pointCount: 3,
      error: { status: 403, msg: "Can't access this resource." },
    });
    await e.syncNow();
    expect(client.requests).toHaveLength(1);
    expect(describeSyncStatus({ ...e.getStatus(), isLoaded: true, rejectedPoints: 3 }).text).toBe(
      '3 rejected',
    );
  });

  it('splits out the datapoint the server names and still saves the others', async () => {
    await outbox.enqueue(MOOD, [
      { t: 1, d: 1 },
      { t: 2, d: 'bad' },
      { t: 3, d: 3 },
      { t: 4, d: 'also bad' },
    ]);
    client.answer = (request) => {
      const index = request.points.findIndex((p) => typeof p.d === 'string');
      if (index < 0) return 'ok';
      const msg = `At least one datapoint did not conform to the stream's schema: datapoint ${index} ("x") must be number`;
      return { status: 403, msg };
    };
    const report = await engine().syncNow();

    expect(report).toMatchObject({ outcome: 'done', savedPoints: 2, rejectedPoints: 2 });
    expect(client.points(MOOD)).toEqual([
      { t: 1, d: 1 },
      { t: 3, d: 3 },
    ]);
    const rejected = await outbox.list();
    expect(rejected.map((r) => [r.state, r.points, r.error?.msg.includes('datapoint')])).toEqual([
      ['rejected', [{ t: 2, d: 'bad' }], true],
      ['rejected', [{ t: 4, d: 'also bad' }], true],
    ]);
    // Each changed batch went out under its own key.
    expect(new Set(client.requests.map((r) => r.options.idempotencyKey)).size).toBe(3);
  });

  it('halves a batch the server finds too large', async () => {
    await outbox.enqueue(MOOD, points(8));
    client.answer = (request) =>
      request.points.length > 2
        ? { status: 413, msg: 'The request body is larger than the 10 MB limit' }
        : 'ok';
    const report = await engine().syncNow();
    expect(report.savedPoints).toBe(8);
    expect(client.points(MOOD).map((p) => p.d)).toEqual(points(8).map((p) => p.d));
  });

  it('rejects a key conflict (409), and a retry sends under a new key', async () => {
    await outbox.enqueue(MOOD, points(1));
    client.script.push({ status: 409, msg: 'This Idempotency-Key was already used for a different request' });
    const e = engine();
    await e.syncNow();
    const [record] = await outbox.list();
    expect(record).toMatchObject({ state: 'rejected', error: { status: 409 } });
    expect(await outbox.retry(record!.id!)).toBe('ok');
    await e.syncNow();
    expect(client.requests[1]!.options.idempotencyKey).not.toBe(client.requests[0]!.options.idempotencyKey);
    expect(client.points(MOOD)).toHaveLength(1);
  });
});

describe('several engines', () => {
  const STREAMS = [MOOD, STEPS, 'alice/phone/heart', 'alice/phone/sleep'];

  /** Two engines on two connections to one database (two tabs), each counting what it sent. */
  async function twoTabsSending(options: Partial<SyncEngineOptions>) {
    for (const path of STREAMS) await outbox.enqueue(path, points(1500));
    client.delayMs = 15; // slow enough that both engines are busy at once
    const sentBy = [0, 0];
    const tab = (i: number) => ({
      insert: (...args: Parameters<FakeClient['insert']>) => {
        sentBy[i]! += 1;
        return client.insert(...args);
      },
      whoami: () => client.whoami(),
    });
    const first = engine({ client: tab(0), concurrency: 2, ...options });
    const second = engine({ db: await test.openAnother(), client: tab(1), concurrency: 2, ...options });
    await Promise.all([first.syncNow(), second.syncNow(), first.syncNow(), second.syncNow()]);
    await Promise.all([first.syncNow(), second.syncNow()]);
    return sentBy;
  }

  function expectEachBatchOnce() {
    const keys = client.requests.map((r) => r.options.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(client.requests).toHaveLength(8);
    for (const path of STREAMS) expect(client.points(path)).toHaveLength(1500);
  }

  it('never send the same batch twice without a lock (claims are transactions)', async () => {
    const sentBy = await twoTabsSending({ lock: null });
    expect(sentBy[0]).toBeGreaterThan(0);
    expect(sentBy[1]).toBeGreaterThan(0);
    expectEachBatchOnce();
    // Each stream's batches still went one after the other, oldest first.
    for (const path of STREAMS) {
      const firstTimes = client.requests.filter((r) => r.path === path).map((r) => r.points[0]!.t);
      expect(firstTimes).toEqual([1_600_000_000, 1_600_001_000]);
    }
  });

  it('never send the same batch twice with a shared lock', async () => {
    await twoTabsSending({ lock: createMutex() });
    expectEachBatchOnce();
  });

  it('take over a batch left in sending by a closed tab, with its key', async () => {
    await outbox.enqueue(MOOD, points(3));
    const [record] = await outbox.list();
    await db.outbox.update(record!.id!, {
      state: 'sending',
      idempotencyKey: 'k-crashed',
      attempts: 1,
      sendingBy: 'closed-tab',
      sendingSince: 1_000,
    });
    const withinLease = engine({ now: () => 1_000 + 60_000, leaseMs: 120_000 });
    await withinLease.syncNow();
    expect(client.requests).toHaveLength(0);
    const afterLease = engine({ now: () => 1_000 + 121_000, leaseMs: 120_000 });
    await afterLease.syncNow();
    expect(client.requests.map((r) => r.options.idempotencyKey)).toEqual(['k-crashed']);
    // With a lock nobody else can be sending: orphans are taken over at once.
    await outbox.enqueue(MOOD, points(1, 1_700_000_000));
    const [next] = await outbox.list();
    await db.outbox.update(next!.id!, {
      state: 'sending',
      idempotencyKey: 'k-2',
      sendingBy: 'x',
      sendingSince: 1e15,
    });
    await engine({ lock: createMutex() }).syncNow();
    expect(client.requests.at(-1)!.options.idempotencyKey).toBe('k-2');
  });
});

describe('claims read from the claims index', () => {
  /** Marks the record holding the point at `t` as claimed by `tab` long ago (a closed tab). */
  async function leftSendingBy(tab: string, t: number, target: LocalDb = db): Promise<void> {
    const record = (await target.outbox.toArray()).find((r) => r.points[0]!.t === t)!;
    await target.outbox.update(record.id!, {
      state: 'sending',
      idempotencyKey: `k-${tab}`,
      attempts: 1,
      sendingBy: tab,
      sendingSince: 1_000,
    });
  }

  it('resend a stream’s orphans oldest first, whichever tabs left them', async () => {
    await outbox.enqueue(MOOD, points(1000));
    await outbox.enqueue(MOOD, points(1000, 1_600_001_000));
    // The claims index orders by tab after the stream: the newer batch's tab sorts first.
    await leftSendingBy('z-tab', 1_600_000_000);
    await leftSendingBy('a-tab', 1_600_001_000);
    await engine({ now: () => 1_000 + 121_000, leaseMs: 120_000, concurrency: 1 }).syncNow();
    expect(client.requests.map((r) => r.options.idempotencyKey)).toEqual(['k-z-tab', 'k-a-tab']);
  });

  it('see the claims of a database made before the index existed', async () => {
    const options = { indexedDB: new IDBFactory(), IDBKeyRange };
    const before = await openVersion1Db('tributary-v1', options);
    await createOutbox({ db: before, user: 'alice' }).enqueue(MOOD, points(3));
    await leftSendingBy('closed-tab', 1_600_000_000, before);
    before.close();

    const upgraded = await openLocalDb('tributary-v1', options);
    await engine({ db: upgraded, now: () => 1_000 + 60_000, leaseMs: 120_000 }).syncNow();
    expect(client.requests).toHaveLength(0); // still the closed tab's, within its lease
    await engine({ db: upgraded, now: () => 1_000 + 121_000, leaseMs: 120_000 }).syncNow();
    expect(client.requests.map((r) => r.options.idempotencyKey)).toEqual(['k-closed-tab']);
    upgraded.close();
  });
});

describe('status', () => {
  it('goes Offline → N pending → All saved', async () => {
    connectivity.set(false);
    const e = engine();
    const labels: string[] = [];
    e.subscribe((status: SyncStatus) => {
      const text = describeSyncStatus(status).text;
      if (text && labels.at(-1) !== text) labels.push(text);
    });
    e.start();
    await outbox.enqueue(MOOD, points(3));
    await eventually(() => e.getStatus().pendingPoints === 3);
    expect(describeSyncStatus(e.getStatus()).text).toBe('Offline');

    client.delayMs = 30;
    connectivity.set(true);
    await eventually(() => describeSyncStatus(e.getStatus()).text === 'All saved');
    expect(labels).toEqual(['Offline', '3 pending', 'All saved']);
    expect(e.getStatus()).toMatchObject({
      online: true,
      pendingPoints: 0,
      rejectedPoints: 0,
      isSyncing: false,
    });
    expect(e.getStatus().lastSyncAt).toBeTypeOf('number');
  });

  it('counts points being sent and reports no answer as offline', async () => {
    await outbox.enqueue(MOOD, points(3));
    client.delayMs = 400; // longer than the status' count throttle (100 ms)
    const e = engine();
    e.start();
    await eventually(() => e.getStatus().sendingPoints === 3);
    expect(e.getStatus()).toMatchObject({ pendingPoints: 3, isSyncing: true });
    await eventually(() => e.getStatus().pendingPoints === 0);

    client.answer = () => 'offline';
    await outbox.enqueue(MOOD, points(1, 1_700_000_000));
    await e.syncNow();
    expect(describeSyncStatus(e.getStatus()).text).toBe('Offline');
    expect(e.getStatus().nextAttemptAt).toBeTypeOf('number');
  });

  it('stops: no timers, no listeners, no more passes', async () => {
    await outbox.enqueue(MOOD, points(1));
    client.answer = () => 'offline';
    const e = engine();
    await e.syncNow();
    expect(timers.size).toBe(1);
    await e.stop();
    expect(timers.size).toBe(0);
    expect((await e.syncNow()).outcome).toBe('stopped');
  });
});
