import { describe, expect, it, vi } from 'vitest';
import type { Datapoint, User } from '../../core/model';
import { ApiError, NetworkError, type SubscriptionHandler } from '../../sdk';
import type { ApiClient, StoreDeps } from './storeDeps';
import { createAppStore } from './useAppStore';

/** A fake server behind the sdk's interface; each test overrides what it needs. */
function fakeClient(overrides: Partial<ApiClient> = {}) {
  const handlers = new Map<string, SubscriptionHandler>();
  const client = {
    whoami: vi.fn(async () => 'ann/user'),
    setupStatus: vi.fn(async () => ({ needsSetup: false, version: '0.3.0' })),
    readUser: vi.fn(async (name: string) => ({ name, role: 'user' }) as User),
    insert: vi.fn(async () => {}),
    read: vi.fn(async (): Promise<Datapoint[]> => []),
    endSession: vi.fn(async () => {}),
    close: vi.fn(),
    onConnectionChange: vi.fn(() => () => {}),
    subscribe: vi.fn((path: string, handler: SubscriptionHandler) => {
      handlers.set(path, handler);
      return { unsubscribe: vi.fn(() => handlers.delete(path)) };
    }),
    ...overrides,
  };
  return { client, handlers };
}

function makeStore(client: Partial<ApiClient>, deps: Partial<StoreDeps> = {}) {
  let key = 0;
  return createAppStore({
    client: client as ApiClient,
    createSession: vi.fn(async () => {}),
    newIdempotencyKey: () => `key-${++key}`,
    nowSeconds: () => 1_700_000_000,
    setTimeout: () => undefined,
    ...deps,
  });
}

async function signedIn(client: Partial<ApiClient>, deps?: Partial<StoreDeps>) {
  const store = makeStore(client, deps);
  await store.getState().checkSession();
  return store;
}

describe('session', () => {
  it('learns who is logged in and whether they are an admin', async () => {
    const { client } = fakeClient({ readUser: vi.fn(async () => ({ name: 'ann', role: 'admin' }) as User) });
    const store = await signedIn(client);
    expect(store.getState().sessionStatus).toBe('signedIn');
    expect(store.getState().session).toEqual({ user: 'ann', device: 'user', isAdmin: true });
  });

  it('asks for the first admin on a server without users', async () => {
    const { client } = fakeClient({
      whoami: vi.fn(async () => 'nobody'),
      setupStatus: vi.fn(async () => ({ needsSetup: true, version: '0.3.0' })),
    });
    const store = await signedIn(client);
    expect(store.getState().sessionStatus).toBe('needsSetup');
    expect(store.getState().serverVersion).toBe('0.3.0');
  });

  it('creates the first admin through the sdk, then is signed in as them', async () => {
    let hasAdmin = false;
    const setUp = vi.fn(async () => {
      hasAdmin = true;
      return { name: 'chief', role: 'admin' } as User;
    });
    const { client } = fakeClient({
      whoami: vi.fn(async () => (hasAdmin ? 'chief/user' : 'nobody')),
      setupStatus: vi.fn(async () => ({ needsSetup: !hasAdmin, version: '0.3.0' })),
      readUser: vi.fn(async (name: string) => ({ name, role: 'admin' }) as User),
      setUp,
    });
    const store = await signedIn(client);
    expect(store.getState().sessionStatus).toBe('needsSetup');
    const admin = { name: 'chief', email: 'chief@example.com', password: 'correct horse battery' };
    expect(await store.getState().setUp(admin)).toEqual({ ok: true, value: undefined });
    expect(setUp).toHaveBeenCalledWith(admin);
    expect(store.getState().sessionStatus).toBe('signedIn');
    expect(store.getState().session).toEqual({ user: 'chief', device: 'user', isAdmin: true });
  });

  it('shows why the first admin could not be created', async () => {
    const { client } = fakeClient({
      whoami: vi.fn(async () => 'nobody'),
      setupStatus: vi.fn(async () => ({ needsSetup: true, version: '0.3.0' })),
      setUp: vi.fn(async () =>
        Promise.reject(
          ApiError.fromResponse(
            403,
            'Forbidden',
            '{"code":403,"msg":"This repository is already set up","ref":"r"}',
          ),
        ),
      ),
    });
    const store = await signedIn(client);
    const result = await store.getState().setUp({ name: 'x', email: 'x@y.z', password: 'p' });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/already set up/) });
    expect(store.getState().sessionStatus).toBe('needsSetup');
  });

  it('tells an unreachable server from a signed-out person', async () => {
    const { client } = fakeClient({ whoami: vi.fn(async () => Promise.reject(new NetworkError('offline'))) });
    const store = await signedIn(client);
    expect(store.getState().sessionStatus).toBe('unreachable');
    expect(store.getState().sessionError).toMatch(/Cannot reach the server/);
  });

  it('reports a refused login as a sentence', async () => {
    const { client } = fakeClient({ whoami: vi.fn(async () => 'nobody') });
    const store = makeStore(client, {
      createSession: async () =>
        Promise.reject(new ApiError(401, { code: 401, msg: 'Login failed', ref: 'x' })),
    });
    expect(await store.getState().logIn('ann', 'wrong', true)).toEqual({
      ok: false,
      error: 'That username and password do not match.',
    });
  });

  it('forgets all data and closes the websocket on logout', async () => {
    const { client } = fakeClient();
    const store = await signedIn(client);
    store.getState().receivePoints('ann/user/mood', [{ t: 1, d: 1 }]);
    await store.getState().logOut();
    expect(client.endSession).toHaveBeenCalled();
    expect(client.close).toHaveBeenCalled();
    expect(store.getState()).toMatchObject({
      sessionStatus: 'signedOut',
      session: null,
      latest: {},
      series: {},
    });
  });
});

describe('insertDatapoint', () => {
  it('inserts at the chosen time with an idempotency key made at entry', async () => {
    const { client } = fakeClient();
    const store = await signedIn(client);
    const entry = await store.getState().insertDatapoint('ann/user/mood', 1_600_000_000, 7);
    expect(client.insert).toHaveBeenCalledWith('ann/user/mood', [{ t: 1_600_000_000, d: 7 }], {
      method: 'insert',
      idempotencyKey: 'key-1',
    });
    expect(entry).toMatchObject({ id: 'key-1', state: 'saved', isDownlinkRequest: false });
    expect(store.getState().entries['key-1']?.state).toBe('saved');
    expect(store.getState().latest['ann/user/mood']?.value).toEqual({ t: 1_600_000_000, d: 7 });
  });

  it('shows a saved value in a loaded range at once', async () => {
    const { client } = fakeClient({ read: vi.fn(async () => [{ t: 10, d: 1 }]) });
    const store = await signedIn(client);
    await store.getState().loadSeries('ann/user/mood', { t1: 0 });
    await store.getState().insertDatapoint('ann/user/mood', 20, 2);
    expect(store.getState().series['ann/user/mood']?.points).toEqual([
      { t: 10, d: 1 },
      { t: 20, d: 2 },
    ]);
  });

  it('marks a value the server refuses as rejected, and one without an answer as failed', async () => {
    const refusal = new ApiError(403, {
      code: 403,
      msg: "At least one datapoint did not conform to the stream's schema",
      ref: 'r',
    });
    const { client } = fakeClient({
      insert: vi.fn().mockRejectedValueOnce(refusal).mockRejectedValueOnce(new NetworkError('offline')),
    });
    const store = await signedIn(client);
    const rejected = await store.getState().insertDatapoint('ann/user/mood', 1, 'x');
    expect(rejected).toMatchObject({
      state: 'rejected',
      error: "At least one datapoint did not conform to the stream's schema.",
    });
    const failed = await store.getState().insertDatapoint('ann/user/mood', 2, 3);
    expect(failed).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/Cannot reach the server/),
    });
    expect(store.getState().latest['ann/user/mood']).toBeUndefined();
  });

  it('treats a write to another device’s stream as a downlink request, not as the stream’s value', async () => {
    const { client } = fakeClient();
    const store = await signedIn(client);
    const entry = await store.getState().insertDatapoint('ann/thermostat/target', 1, 21);
    expect(entry.isDownlinkRequest).toBe(true);
    expect(store.getState().latest['ann/thermostat/target']).toBeUndefined();
  });
});

describe('reading data', () => {
  it('keeps the newest range when an older read answers late', async () => {
    let answerFirst: (points: Datapoint[]) => void = () => {};
    const read = vi
      .fn()
      .mockImplementationOnce(() => new Promise<Datapoint[]>((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce([{ t: 5, d: 'new' }]);
    const { client } = fakeClient({ read });
    const store = await signedIn(client);
    const first = store.getState().loadSeries('ann/user/mood', {});
    await store.getState().loadSeries('ann/user/mood', { t1: 0 });
    answerFirst([{ t: 1, d: 'old' }]);
    await first;
    expect(store.getState().series['ann/user/mood']).toMatchObject({
      status: 'ready',
      points: [{ t: 5, d: 'new' }],
    });
  });

  it('reads the whole stream when the window has no bounds, and by time otherwise', async () => {
    const { client } = fakeClient();
    const store = await signedIn(client);
    await store.getState().loadSeries('ann/user/mood', {});
    await store.getState().loadSeries('ann/user/mood', { t1: 100 });
    expect(client.read).toHaveBeenNthCalledWith(1, 'ann/user/mood', {});
    expect(client.read).toHaveBeenNthCalledWith(2, 'ann/user/mood', { t1: 100, t2: undefined });
  });

  it('merges live values into the range and the last value, one subscription per path', async () => {
    const { client, handlers } = fakeClient();
    const store = await signedIn(client);
    await store.getState().loadSeries('ann/user/mood', { t1: 50 });
    const stopA = store.getState().subscribeLive('ann/user/mood');
    const stopB = store.getState().subscribeLive('ann/user/mood');
    expect(client.subscribe).toHaveBeenCalledTimes(1);

    handlers.get('ann/user/mood')!(
      [
        { t: 10, d: 'before the window' },
        { t: 60, d: 'live' },
      ],
      { stream: 'ann/user/mood' },
    );
    expect(store.getState().series['ann/user/mood']?.points).toEqual([{ t: 60, d: 'live' }]);
    expect(store.getState().latest['ann/user/mood']?.value).toEqual({ t: 60, d: 'live' });

    stopA();
    expect(handlers.has('ann/user/mood')).toBe(true);
    stopB();
    expect(handlers.has('ann/user/mood')).toBe(false);
  });
});

describe('toasts', () => {
  it('dismiss themselves after a while', async () => {
    const timers: (() => void)[] = [];
    const { client } = fakeClient();
    const store = makeStore(client, { setTimeout: (callback) => timers.push(callback) });
    store.getState().notify('Saved');
    expect(store.getState().toasts).toMatchObject([{ message: 'Saved', kind: 'success' }]);
    timers.forEach((run) => run());
    expect(store.getState().toasts).toEqual([]);
  });
});
