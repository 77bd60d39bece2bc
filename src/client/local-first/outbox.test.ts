import { beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openLocalDb, type LocalDb } from './localDb';
import { createOutbox, type Outbox } from './outbox';
import { openTestDb, openVersion1Db, type TestDb } from './testing/testDb';

const MOOD = 'alice/user/mood';
const STEPS = 'alice/phone/steps';
const NOW_MS = 1_700_000_000_000;

let test: TestDb;
let db: LocalDb;
let outbox: Outbox;

beforeEach(async () => {
  test = await openTestDb();
  db = test.db;
  outbox = createOutbox({ db, user: 'alice', now: () => NOW_MS });
});

const points = (n: number, t0 = 1_600_000_000) => Array.from({ length: n }, (_, i) => ({ t: t0 + i, d: i }));

describe('queueing', () => {
  it('stores points with the time they were given and stamps the ones without a time', async () => {
    await outbox.enqueue(MOOD, [{ t: 1_650_000_000.25, d: 3 }, { d: 4 }, { t: 0, d: 5 }]);
    const [record] = await outbox.list();
    expect(record).toMatchObject({
      user: 'alice',
      path: MOOD,
      state: 'queued',
      attempts: 0,
      pointCount: 3,
      points: [
        { t: 1_650_000_000.25, d: 3 },
        { t: NOW_MS / 1000, d: 4 },
        { t: NOW_MS / 1000, d: 5 },
      ],
    });
    expect(record!.idempotencyKey).toBeUndefined();
    expect(record!.clientId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps one record per stream and appends to its newest open record', async () => {
    await outbox.enqueue(MOOD, { t: 1, d: 1 });
    await outbox.enqueue(STEPS, { t: 2, d: 100 });
    await outbox.enqueue(MOOD, { t: 3, d: 2 });
    const records = await outbox.list();
    expect(records.map((r) => [r.path, r.points.map((p) => p.d)])).toEqual([
      [MOOD, [1, 2]],
      [STEPS, [100]],
    ]);
  });

  it('fills records up to 1,000 points, then opens new ones, in order', async () => {
    await outbox.enqueue(MOOD, points(900));
    await outbox.enqueue(MOOD, points(1500, 1_600_000_900));
    const records = await outbox.list();
    expect(records.map((r) => r.pointCount)).toEqual([1000, 1000, 400]);
    const all = records.flatMap((r) => r.points.map((p) => p.d));
    expect(all).toEqual([...points(900).map((p) => p.d), ...points(1500).map((p) => p.d)]);
  });

  it('writes many calls made in the same tick in one go, in call order', async () => {
    const calls = Array.from({ length: 2500 }, (_, i) => outbox.enqueue(MOOD, { t: i + 1, d: i }));
    await Promise.all(calls);
    const records = await outbox.list();
    expect(records.map((r) => r.pointCount)).toEqual([1000, 1000, 500]);
    expect(records.flatMap((r) => r.points.map((p) => p.d))).toEqual(
      Array.from({ length: 2500 }, (_, i) => i),
    );
  });

  it('never appends to a record that has been sent once (its key is fixed)', async () => {
    await outbox.enqueue(MOOD, { t: 1, d: 1 });
    const [record] = await outbox.list();
    await db.outbox.update(record!.id!, { idempotencyKey: 'k-1', attempts: 1 });
    await outbox.enqueue(MOOD, { t: 2, d: 2 });
    const records = await outbox.list();
    expect(records.map((r) => r.points.map((p) => p.d))).toEqual([[1], [2]]);
  });

  it('appends only to the newest record, not to an older one with room (kept in order)', async () => {
    await outbox.enqueue(MOOD, points(1000));
    await outbox.enqueue(MOOD, points(1000, 1_600_001_000));
    // A refusal that splits off one datapoint leaves an older record with room, queued again.
    const [older] = await outbox.list();
    await db.outbox.update(older!.id!, { points: older!.points.slice(1), pointCount: 999 });
    await outbox.enqueue(MOOD, { t: 1_600_002_000, d: 7 });
    const records = await outbox.list();
    expect(records.map((r) => r.pointCount)).toEqual([999, 1000, 1]);
    expect(records.at(-1)!.points).toEqual([{ t: 1_600_002_000, d: 7 }]);
  });

  it('refuses a malformed path or timestamp and queues nothing', async () => {
    await expect(outbox.enqueue('alice/mood', { d: 1 })).rejects.toThrow(TypeError);
    await expect(outbox.enqueue(MOOD, { t: Number.NaN, d: 1 })).rejects.toThrow(/not a number of seconds/);
    await expect(
      outbox.enqueue(MOOD, [
        { t: 1, d: 1 },
        { t: '2' as unknown as number, d: 2 },
      ]),
    ).rejects.toThrow(TypeError);
    // Checked again after calls with a good path.
    await expect(outbox.enqueue('alice/mood/', { d: 1 })).rejects.toThrow(TypeError);
    expect(await outbox.list()).toEqual([]);
  });

  it('stores an undefined value as null, as the server would', async () => {
    await outbox.enqueue(MOOD, { t: 1, d: undefined });
    expect((await outbox.list())[0]!.points).toEqual([{ t: 1, d: null }]);
  });
});

describe('persistence and users', () => {
  it('keeps queueing in a tab of the old version after another tab upgraded the database', async () => {
    const options = { indexedDB: new IDBFactory(), IDBKeyRange };
    const oldTab = await openVersion1Db('tributary-upgrade', options);
    const oldOutbox = createOutbox({ db: oldTab, user: 'alice' });
    await oldOutbox.enqueue(MOOD, { t: 1, d: 1 });
    const newTab = await openLocalDb('tributary-upgrade', options);
    await oldOutbox.enqueue(MOOD, { t: 2, d: 2 });
    await createOutbox({ db: newTab, user: 'alice' }).enqueue(MOOD, { t: 3, d: 3 });
    const records = await createOutbox({ db: newTab, user: 'alice' }).list();
    expect(records.map((r) => r.points.map((p) => p.d))).toEqual([[1, 2, 3]]);
    oldTab.close();
    newTab.close();
  });

  it('keeps the queue across a reload', async () => {
    await outbox.enqueue(MOOD, points(1200));
    const reopened = await test.reopen();
    const again = createOutbox({ db: reopened, user: 'alice' });
    const records = await again.list();
    expect(records.map((r) => r.pointCount)).toEqual([1000, 200]);
    expect(await again.countPoints()).toEqual({ queued: 1200, sending: 0, rejected: 0, pending: 1200 });
  });

  it('keeps each user’s records apart', async () => {
    const bob = createOutbox({ db, user: 'bob' });
    await outbox.enqueue(MOOD, { t: 1, d: 1 });
    await bob.enqueue('bob/user/mood', [
      { t: 1, d: 1 },
      { t: 2, d: 2 },
    ]);
    expect((await outbox.list()).map((r) => r.user)).toEqual(['alice']);
    expect((await bob.countPoints()).pending).toBe(2);
    expect(await bob.retry((await outbox.list())[0]!.id!)).toBe('not_found');
    expect(await bob.discardAll()).toBe(2);
    expect((await outbox.countPoints()).pending).toBe(1);
  });
});

describe('pending points', () => {
  it('lists the stream’s outbox points by time with their state, optionally in a range', async () => {
    await outbox.enqueue(MOOD, [
      { t: 30, d: 'c' },
      { t: 10, d: 'a' },
    ]);
    await outbox.enqueue(STEPS, { t: 20, d: 7 });
    const [record] = await outbox.list();
    await db.outbox.update(record!.id!, { state: 'rejected', error: { status: 403, msg: 'no' } });
    await outbox.enqueue(MOOD, { t: 20, d: 'b' });

    const pending = await outbox.pendingPointsFor(MOOD);
    expect(pending.map((p) => [p.t, p.d, p.state])).toEqual([
      [10, 'a', 'rejected'],
      [20, 'b', 'queued'],
      [30, 'c', 'rejected'],
    ]);
    expect((await outbox.pendingPointsFor(MOOD, { t1: 10, t2: 30 })).map((p) => p.t)).toEqual([20, 30]);
    // A rejected point carries the server's reason, for the entry that made it and the queue view.
    expect(pending[0]!.error).toEqual({ status: 403, msg: 'no' });
    expect(pending[1]!.error).toBeUndefined();
  });

  it('tells watchers about new points', async () => {
    const seen: number[] = [];
    const stop = outbox.watchPendingPoints(MOOD, (list) => seen.push(list.length));
    await outbox.enqueue(MOOD, { t: 1, d: 1 });
    await waitFor(() => seen.at(-1) === 1);
    await outbox.enqueue(MOOD, { t: 2, d: 2 });
    await waitFor(() => seen.at(-1) === 2);
    stop();
  });
});

describe('watching', () => {
  it('reports a burst of changes a few times, always ending with the last state, from any connection', async () => {
    const seen: number[] = [];
    const stop = outbox.watchCounts((counts) => seen.push(counts.pending), { throttleMs: 40 });
    const otherTab = createOutbox({ db: await test.openAnother(), user: 'alice' });
    for (let i = 0; i < 30; i++) await (i % 2 ? otherTab : outbox).enqueue(MOOD, { t: i + 1, d: i });
    await waitFor(() => seen.at(-1) === 30);
    expect(seen.length).toBeLessThan(15);
    stop();
    await outbox.enqueue(MOOD, { t: 99, d: 99 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(seen.at(-1)).toBe(30);
  });
});

describe('retry and discard', () => {
  async function onlyRecord() {
    const [record] = await outbox.list();
    return record!;
  }

  it('queues a rejected record again with its key, or a new key after a key conflict', async () => {
    await outbox.enqueue(MOOD, { t: 1, d: 1 });
    const record = await onlyRecord();
    await db.outbox.update(record.id!, {
      state: 'rejected',
      idempotencyKey: 'k-1',
      serverErrors: 10,
      error: { status: 503, msg: 'down' },
    });
    expect(await outbox.retry(record.id!)).toBe('ok');
    expect(await onlyRecord()).toMatchObject({ state: 'queued', idempotencyKey: 'k-1', serverErrors: 0 });
    expect((await onlyRecord()).error).toBeUndefined();

    await db.outbox.update(record.id!, { state: 'rejected', error: { status: 409, msg: 'key reused' } });
    expect(await outbox.retry(record.id!)).toBe('ok');
    expect((await onlyRecord()).idempotencyKey).toBeUndefined();
  });

  it('leaves a record being sent alone', async () => {
    await outbox.enqueue(MOOD, { t: 1, d: 1 });
    const record = await onlyRecord();
    await db.outbox.update(record.id!, { state: 'sending' });
    expect(await outbox.retry(record.id!)).toBe('in_flight');
    expect(await outbox.discard(record.id!)).toBe('in_flight');
    expect(await outbox.retry(9999)).toBe('not_found');
  });

  it('discards single points only while the server certainly holds none of the record', async () => {
    await outbox.enqueue(MOOD, points(3));
    const record = await onlyRecord();
    expect(await outbox.discard(record.id!, 1)).toBe('ok');
    expect((await onlyRecord()).points.map((p) => p.d)).toEqual([0, 2]);

    await db.outbox.update(record.id!, { attempts: 1, idempotencyKey: 'k-1' });
    expect(await outbox.discard(record.id!, 0)).toBe('already_sent');

    await db.outbox.update(record.id!, { state: 'rejected', error: { status: 403, msg: 'schema' } });
    expect(await outbox.discard(record.id!, 0)).toBe('ok');
    const after = await onlyRecord();
    expect(after.points.map((p) => p.d)).toEqual([2]);
    expect(after.idempotencyKey).toBeUndefined();

    expect(await outbox.discard(record.id!)).toBe('ok');
    expect(await outbox.list()).toEqual([]);
  });
});

async function waitFor(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(predicate()).toBe(true);
}
