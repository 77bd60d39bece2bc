/**
 * The store wired to the real local-first layer on fake-indexeddb: inserts go through the outbox,
 * reads through the cache, and the app opens offline as the person last logged in.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STREAM_DEFAULTS, type Datapoint, type Stream, type User } from '../../core/model';
import { ApiError, NetworkError } from '../../sdk';
import { FakeClient, ManualTimers, SwitchableConnectivity, eventually } from '../local-first/testing/fakes';
import { openTestDb, type TestDb } from '../local-first/testing/testDb';
import { LOGOUT_PENDING_KEY, SESSION_STORAGE_KEY } from './sessionSlice';
import type { ApiClient, StoreDeps } from './storeDeps';
import { createAppStore } from './useAppStore';

const MOOD = 'ann/user/mood';
const mood: Stream = {
  ...STREAM_DEFAULTS,
  name: 'mood',
  nickname: 'Mood',
  schema: '{"type":"integer","minimum":0,"maximum":10}',
  datatype: 'rating.stars',
};

/** A fake server: the outbox's fake transport plus the reads the store makes. */
class FakeServer extends FakeClient {
  isReachable = true;
  streams: Stream[] = [mood];
  readonly read = vi.fn(async (path: string): Promise<Datapoint[]> => {
    this.check();
    return this.points(path);
  });
  readonly readUser = vi.fn(async (name: string) => {
    this.check();
    return { name, role: 'user' } as User;
  });
  readonly listStreams = vi.fn(async () => {
    this.check();
    return this.streams;
  });
  readonly readStream = vi.fn(async () => {
    this.check();
    return mood;
  });
  readonly endSession = vi.fn(async () => undefined);
  readonly close = vi.fn();
  readonly subscribe = vi.fn(() => ({ unsubscribe: () => undefined }));

  constructor() {
    super();
    this.identity = 'ann/user';
  }
  private check() {
    if (!this.isReachable) throw new NetworkError('fetch failed');
  }
  override async insert(...args: Parameters<FakeClient['insert']>): Promise<void> {
    this.check();
    return super.insert(...args);
  }
  override async whoami(): Promise<string> {
    this.check();
    return super.whoami();
  }
  client(): ApiClient {
    return this as unknown as ApiClient;
  }
}

/** localStorage for the remembered session. */
function memoryStorage(): NonNullable<StoreDeps['preferences']> {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

interface Device {
  test: TestDb;
  connectivity: SwitchableConnectivity;
  timers: ManualTimers;
  preferences: NonNullable<StoreDeps['preferences']>;
}

const stores: ReturnType<typeof createAppStore>[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.getState().logOut();
});

async function newDevice(): Promise<Device> {
  return {
    test: await openTestDb(),
    connectivity: new SwitchableConnectivity(),
    timers: new ManualTimers(),
    preferences: memoryStorage(),
  };
}

/** A store as one page load of the app on `device` makes it. */
function openApp(device: Device, server: FakeServer) {
  let key = 0;
  const store = createAppStore({
    client: server.client(),
    createSession: vi.fn(async () => undefined),
    newIdempotencyKey: () => `entry-${++key}`,
    nowSeconds: () => Date.now() / 1000,
    setTimeout: () => undefined,
    preferences: device.preferences,
    localFirst: {
      load: () => import('../local-first'),
      openDb: () => Promise.resolve(device.test.db),
      connectivity: device.connectivity,
      engineOptions: { timers: device.timers, lock: null, random: () => 0.5 },
      requestPersistentStorage: async () => true,
    },
  });
  stores.push(store);
  return store;
}

describe('inserting', () => {
  it('queues a value in the outbox and follows it until the server has it', async () => {
    const server = new FakeServer();
    const store = openApp(await newDevice(), server);
    await store.getState().checkSession();

    const entry = await store.getState().insertDatapoint(MOOD, 1_600_000_000, 7);
    expect(entry).toMatchObject({ state: 'queued', isQueued: true });
    await eventually(() => store.getState().entries[entry.id]?.state === 'saved');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.options).toMatchObject({ method: 'insert' });
    expect(server.requests[0]!.options.idempotencyKey).toEqual(expect.any(String));
    expect(server.points(MOOD)).toEqual([{ t: 1_600_000_000, d: 7 }]);
    expect(store.getState().latest[MOOD]?.value).toEqual({ t: 1_600_000_000, d: 7 });
    await eventually(() => store.getState().sync.pendingPoints === 0);
  });

  it('keeps values offline, shows them pending, and sends each once with its own time when back', async () => {
    const server = new FakeServer();
    const device = await newDevice();
    const store = openApp(device, server);
    await store.getState().checkSession();
    const stopWatching = store.getState().watchPendingPoints(MOOD);
    device.connectivity.set(false);
    server.isReachable = false;

    for (const [i, d] of [3, 5, 8].entries()) await store.getState().insertDatapoint(MOOD, 1000 + i, d);
    await eventually(() => store.getState().sync.pendingPoints === 3);
    expect(store.getState().sync.online).toBe(false);
    await eventually(() => store.getState().pendingPoints[MOOD]?.length === 3);
    expect(store.getState().pendingPoints[MOOD]!.map((p) => [p.t, p.d, p.state])).toEqual([
      [1000, 3, 'queued'],
      [1001, 5, 'queued'],
      [1002, 8, 'queued'],
    ]);
    expect(Object.values(store.getState().entries).map((e) => e.state)).toEqual([
      'queued',
      'queued',
      'queued',
    ]);
    // The last value shows at once, marked as not on the server yet.
    expect(store.getState().latest[MOOD]?.value).toMatchObject({ t: 1002, d: 8, outboxState: 'queued' });

    server.isReachable = true;
    device.connectivity.set(true);
    await eventually(() => store.getState().sync.pendingPoints === 0 && store.getState().sync.online);
    expect(server.points(MOOD)).toEqual([
      { t: 1000, d: 3 },
      { t: 1001, d: 5 },
      { t: 1002, d: 8 },
    ]);
    expect(server.requests).toHaveLength(1);
    await eventually(() => Object.values(store.getState().entries).every((e) => e.state === 'saved'));
    await eventually(() => store.getState().pendingPoints[MOOD]?.length === 0);
    expect(store.getState().latest[MOOD]?.value).toEqual({ t: 1002, d: 8 });
    stopWatching();
  });

  it('shows a value the server refuses as rejected with its reason, and lets it be retried or discarded', async () => {
    const server = new FakeServer();
    server.answer = () => ({ status: 400, msg: 'datapoint 0 does not match the schema' });
    const store = openApp(await newDevice(), server);
    await store.getState().checkSession();
    const stopQueue = store.getState().watchQueue();

    const entry = await store.getState().insertDatapoint(MOOD, 5, 99);
    await eventually(() => store.getState().entries[entry.id]?.state === 'rejected');
    expect(store.getState().entries[entry.id]!.error).toBe('datapoint 0 does not match the schema.');
    // It is no longer shown as the stream's last value.
    await eventually(() => store.getState().latest[MOOD]?.value === null);
    await eventually(() => store.getState().sync.rejectedPoints === 1);
    await eventually(() => store.getState().queue?.[0]?.state === 'rejected');
    const [record] = store.getState().queue!;
    expect(record).toMatchObject({ state: 'rejected', error: { status: 400 } });

    server.answer = () => 'ok';
    expect(await store.getState().retryQueued(record!.id!)).toBe('ok');
    await eventually(() => store.getState().entries[entry.id]?.state === 'saved');
    expect(server.points(MOOD)).toEqual([{ t: 5, d: 99 }]);

    server.answer = () => ({ status: 400, msg: 'no' });
    const second = await store.getState().insertDatapoint(MOOD, 6, 1);
    await eventually(() => {
      const queue = store.getState().queue;
      return queue?.length === 1 && queue[0]!.points[0]!.t === 6 && queue[0]!.state === 'rejected';
    });
    expect(await store.getState().discardQueued(store.getState().queue![0]!.id!)).toBe('ok');
    await eventually(() => store.getState().entries[second.id]?.state === 'discarded');
    await eventually(
      () => store.getState().queue?.length === 0 && store.getState().sync.rejectedPoints === 0,
    );
    stopQueue();
  });

  it('sends a command to another device directly, and refuses it offline instead of queueing it', async () => {
    const server = new FakeServer();
    const device = await newDevice();
    const store = openApp(device, server);
    await store.getState().checkSession();

    const sent = await store.getState().insertDatapoint('ann/lamp/power', 10, true);
    expect(sent).toMatchObject({ state: 'saved', isDownlinkRequest: true, isQueued: false });
    expect(server.requests[0]!.options.idempotencyKey).toBe(sent.id);

    device.connectivity.set(false);
    const refused = await store.getState().insertDatapoint('ann/lamp/power', 11, false);
    expect(refused).toMatchObject({ state: 'failed', isQueued: false });
    expect(refused.error).toMatch(/offline/);
    expect(server.requests).toHaveLength(1);
    expect((await store.getState().flushOutbox()).pending).toBe(0);
  });
});

describe('reading', () => {
  it('opens offline as the person last logged in, from the cache, and says how old it is', async () => {
    const server = new FakeServer();
    server.stored.set(MOOD, [{ t: 100, d: 4 }]);
    const device = await newDevice();
    const first = openApp(device, server);
    await first.getState().checkSession();
    await first.getState().loadStreams('ann', 'user');
    await first.getState().loadSeries(MOOD, {});
    await first.getState().loadLatest(MOOD);
    expect(device.preferences.getItem(SESSION_STORAGE_KEY)).toContain('"user":"ann"');

    // The next morning, on the train: the app is opened without a network.
    server.isReachable = false;
    device.connectivity.set(false);
    const second = openApp(
      { ...device, test: { ...device.test, db: await device.test.openAnother() } },
      server,
    );
    await second.getState().checkSession();
    expect(second.getState()).toMatchObject({
      sessionStatus: 'signedIn',
      session: { user: 'ann', device: 'user' },
      isSessionVerified: false,
    });
    await second.getState().loadStreams('ann', 'user');
    expect(second.getState().streamLists['ann/user']).toEqual({ status: 'ready', value: ['mood'] });
    expect(second.getState().streams[MOOD]).toEqual(mood);
    await second.getState().loadSeries(MOOD, {});
    expect(second.getState().series[MOOD]).toMatchObject({ status: 'ready', points: [{ t: 100, d: 4 }] });
    await second.getState().loadLatest(MOOD);
    expect(second.getState().latest[MOOD]).toEqual({ status: 'ready', value: { t: 100, d: 4 } });
    const { cachedAt } = second.getState();
    expect(Object.keys(cachedAt).sort()).toEqual([
      'data/ann/user/mood',
      'latest/ann/user/mood',
      'streams/ann/user',
    ]);
    expect(cachedAt['streams/ann/user']).toBeLessThanOrEqual(Date.now());

    // Back online: the session is confirmed and fresh answers replace the cached ones.
    server.isReachable = true;
    device.connectivity.set(true);
    await eventually(() => second.getState().isSessionVerified);
    await second.getState().loadStreams('ann', 'user');
    expect(second.getState().cachedAt['streams/ann/user']).toBeUndefined();
  });

  it('shows an error, not an empty page, when nothing is cached and the server is unreachable', async () => {
    const server = new FakeServer();
    const store = openApp(await newDevice(), server);
    await store.getState().checkSession();
    server.isReachable = false;
    await store.getState().loadStreams('ann', 'user');
    expect(store.getState().streamLists['ann/user']).toMatchObject({ status: 'error' });
    expect(store.getState().cachedAt).toEqual({});
  });

  it('shows what the server refuses (a deleted stream) rather than a cached copy', async () => {
    const server = new FakeServer();
    const store = openApp(await newDevice(), server);
    await store.getState().checkSession();
    await store.getState().loadStream(MOOD);
    server.readStream.mockRejectedValueOnce(new ApiError(404, { code: 404, msg: 'gone', ref: '' }));
    await store.getState().loadStream(MOOD);
    expect(store.getState().objectErrors[MOOD]).toBe('Not found, or you may not see it.');
  });

  it('without a remembered person, an unreachable server is reported as such', async () => {
    const server = new FakeServer();
    server.isReachable = false;
    const store = openApp(await newDevice(), server);
    await store.getState().checkSession();
    expect(store.getState().sessionStatus).toBe('unreachable');
  });
});

describe('logging out', () => {
  it('sends what it can first, keeps what is left for the next login, and forgets the cache', async () => {
    const server = new FakeServer();
    const device = await newDevice();
    const store = openApp(device, server);
    await store.getState().checkSession();
    await store.getState().loadStreams('ann', 'user');
    device.connectivity.set(false);
    await store.getState().insertDatapoint(MOOD, 1, 1);
    expect(await store.getState().flushOutbox()).toMatchObject({ pending: 1 });

    await store.getState().logOut();
    expect(store.getState()).toMatchObject({
      sessionStatus: 'signedOut',
      session: null,
      sync: { pendingPoints: 0 },
    });
    expect(device.preferences.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(await device.test.db.objects.count()).toBe(0);
    expect(await device.test.db.outbox.count()).toBe(1);

    // Logging in again sends it.
    device.connectivity.set(true);
    const again = openApp(device, server);
    await again.getState().checkSession();
    await eventually(() => server.points(MOOD).length === 1);
  });

  it('discards the queue when the person chooses to', async () => {
    const server = new FakeServer();
    const device = await newDevice();
    const store = openApp(device, server);
    await store.getState().checkSession();
    device.connectivity.set(false);
    await store.getState().insertDatapoint(MOOD, 1, 1);
    await store.getState().logOut({ discardQueue: true });
    expect(await device.test.db.outbox.count()).toBe(0);
  });

  it('ends the server session at the next start when logging out could not reach the server', async () => {
    const server = new FakeServer();
    const device = await newDevice();
    const store = openApp(device, server);
    await store.getState().checkSession();
    server.endSession.mockRejectedValueOnce(new NetworkError('offline'));
    await store.getState().logOut();
    expect(device.preferences.getItem(LOGOUT_PENDING_KEY)).toBe('1');

    // The cookie is still valid on the server; the next start ends it before asking who is there.
    server.endSession.mockImplementationOnce(async () => {
      server.identity = 'nobody';
    });
    const next = openApp(device, server);
    await next.getState().checkSession();
    expect(next.getState().sessionStatus).toBe('signedOut');
    expect(device.preferences.getItem(LOGOUT_PENDING_KEY)).toBeNull();
  });

  it('without IndexedDB, sends directly and says that nothing is kept offline', async () => {
    const server = new FakeServer();
    const device = await newDevice();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const store = createAppStore({
      client: server.client(),
      createSession: vi.fn(async () => undefined),
      newIdempotencyKey: () => 'direct-1',
      nowSeconds: () => Date.now() / 1000,
      setTimeout: () => undefined,
      localFirst: {
        load: () => import('../local-first'),
        openDb: () => Promise.reject(new Error('IndexedDB is not available')),
        connectivity: device.connectivity,
      },
    });
    await store.getState().checkSession();
    expect(store.getState().localFirstError).toBe('IndexedDB is not available');
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
    const entry = await store.getState().insertDatapoint(MOOD, 1, 2);
    expect(entry).toMatchObject({ state: 'saved', isQueued: false });
    expect(server.requests[0]!.options.idempotencyKey).toBe('direct-1');
  });

  it('asks for persistent storage once signed in', async () => {
    const server = new FakeServer();
    const store = openApp(await newDevice(), server);
    await store.getState().checkSession();
    await eventually(() => store.getState().isStoragePersistent === true);
  });
});
