import { describe, expect, it, vi } from 'vitest';
import type { Datapoint, Stream } from '../../core/model';
import { STREAM_DEFAULTS } from '../../core/model';
import type { ConnectionState, DataRange, ReadOptions, SubscriptionHandler } from '../../sdk';
import { OFFLINE_REASON } from './downlinkSlice';
import type { ApiClient } from './storeDeps';
import { createAppStore } from './useAppStore';

const LIGHT = 'ann/lamp/light';
const ME = { user: 'ann', device: 'user', isAdmin: false };

const lightStream = (props: Partial<Stream> = {}): Stream => ({
  ...STREAM_DEFAULTS,
  name: 'light',
  schema: '{"type":"boolean"}',
  downlink: true,
  ...props,
});

/**
 * A fake server behind the sdk's interface: stored data per path (`…/downlink` for commands),
 * subscriptions that `publish` reaches, and a clock and timers the test moves by hand.
 */
function setUp(options: { stream?: Stream; commands?: Datapoint[]; reports?: Datapoint[] } = {}) {
  let now = 1_000;
  const timers: { at: number; run: () => void }[] = [];
  const stored: Record<string, Datapoint[]> = {
    [LIGHT]: options.reports ?? [],
    [`${LIGHT}/downlink`]: options.commands ?? [],
  };
  const handlers = new Map<string, Set<SubscriptionHandler>>();
  let connection: (state: ConnectionState) => void = () => {};
  /** While set, reads wait for it: what the socket delivers meanwhile must not be lost or doubled. */
  let readGate: Promise<void> | undefined;

  const client = {
    read: vi.fn(async (path: string, range: DataRange, readOptions: ReadOptions = {}) => {
      // The server answers with what it holds when asked; the answer may take a while to arrive.
      const points = stored[readOptions.downlink ? `${path}/downlink` : path] ?? [];
      const answer =
        range.i1 !== undefined ? points.slice(range.i1) : points.filter((p) => p.t > Number(range.t1));
      await readGate;
      return range.limit ? answer.slice(0, range.limit) : answer;
    }),
    readStream: vi.fn(async () => options.stream ?? lightStream()),
    insert: vi.fn(async () => {}),
    subscribe: vi.fn((path: string, handler: SubscriptionHandler) => {
      const set = handlers.get(path) ?? new Set();
      set.add(handler);
      handlers.set(path, set);
      return { unsubscribe: vi.fn(() => set.delete(handler)) };
    }),
    onConnectionChange: vi.fn((listener: (state: ConnectionState) => void) => {
      connection = listener;
      return () => {};
    }),
  };
  let key = 0;
  const store = createAppStore({
    client: client as unknown as ApiClient,
    createSession: async () => {},
    newIdempotencyKey: () => `key-${++key}`,
    nowSeconds: () => now,
    setTimeout: (run, ms) => timers.push({ at: now + ms / 1000, run }),
  });
  store.setState({ session: ME, streams: { [LIGHT]: options.stream ?? lightStream() } });

  return {
    store,
    client,
    view: () => store.getState().downlinks[LIGHT]!,
    states: () => store.getState().downlinks[LIGHT]!.machine.commands.map((c) => c.state),
    /** The server stores a batch this browser does not hear of (its socket was down). */
    storeUnheard(path: string, points: Datapoint[]) {
      stored[path] = [...(stored[path] ?? []), ...points];
    },
    /** The server stores and publishes a batch, as a write would. */
    publish(path: string, points: Datapoint[]) {
      stored[path] = [...(stored[path] ?? []), ...points];
      for (const handler of handlers.get(path) ?? []) handler(points, { stream: path });
    },
    subscribedPaths: () => [...handlers.entries()].filter(([, set]) => set.size > 0).map(([path]) => path),
    connection: (state: ConnectionState) => connection(state),
    holdReads() {
      let release = () => {};
      readGate = new Promise((resolve) => (release = resolve));
      return () => {
        readGate = undefined;
        release();
      };
    },
    /** Moves the clock on, running the timers that come due, in order. */
    advance(seconds: number) {
      const end = now + seconds;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = Math.max(now, next.at);
        next.run();
      }
      now = end;
    },
    now: () => now,
  };
}

async function watched(setup: ReturnType<typeof setUp>) {
  const stop = setup.store.getState().watchDownlink(LIGHT);
  await vi.waitFor(() => expect(setup.view().status).toBe('ready'));
  return stop;
}

describe('downlink slice', () => {
  it('rebuilds the command states from the stored history when a panel opens', async () => {
    const setup = setUp({
      commands: [
        { t: 900, d: true, o: 'ann/user' },
        { t: 950, d: false, o: 'ann/phone' },
      ],
      reports: [{ t: 900.2, d: true }],
    });
    await watched(setup);
    const { machine } = setup.view();
    expect(machine.commands.map((c) => [c.command.d, c.state])).toEqual([
      [false, 'timed-out'],
      [true, 'acknowledged'],
    ]);
    expect(machine.reported?.point).toEqual({ t: 900.2, d: true });
    expect(setup.subscribedPaths().sort()).toEqual([LIGHT, `${LIGHT}/downlink`]);
    expect(setup.client.read).toHaveBeenCalledWith(LIGHT, { i1: -20 }, { downlink: true });
  });

  it('shows the last report even when it is older than every command read', async () => {
    const setup = setUp({ commands: [{ t: 900, d: true, o: 'ann/user' }], reports: [{ t: 10, d: false }] });
    await watched(setup);
    expect(setup.view().machine.reported?.point).toEqual({ t: 10, d: false });
    expect(setup.states()).toEqual(['timed-out']);
  });

  it('follows a command live: requested, then acknowledged when the device reports its value', async () => {
    const setup = setUp({ reports: [{ t: 900, d: false }] });
    await watched(setup);
    setup.publish(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/user' }]);
    expect(setup.states()).toEqual(['requested']);
    setup.advance(0.3);
    setup.publish(LIGHT, [{ t: 1_000, d: true }]);
    expect(setup.states()).toEqual(['acknowledged']);
    expect(setup.view().machine.reported?.point.d).toBe(true);
  });

  it('shows a mismatch while the device reports other values, then the acknowledgement', async () => {
    const setup = setUp({
      stream: lightStream({ name: 'thermostat', schema: '{"type":"number","minimum":10,"maximum":30}' }),
      reports: [{ t: 900, d: 20 }],
    });
    await watched(setup);
    setup.publish(`${LIGHT}/downlink`, [{ t: 1_000, d: 22, o: 'ann/user' }]);
    setup.advance(1);
    setup.publish(LIGHT, [{ t: 1_001, d: 21 }]);
    expect(setup.states()).toEqual(['mismatch']);
    setup.advance(1);
    setup.publish(LIGHT, [{ t: 1_002, d: 22 }]);
    expect(setup.states()).toEqual(['acknowledged']);
  });

  it('times a command out after the stream’s timeout, ticking only while one is pending', async () => {
    const setup = setUp({ stream: lightStream({ downlink_timeout: 3 }) });
    await watched(setup);
    setup.publish(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/user' }]);
    setup.advance(2.9);
    expect(setup.states()).toEqual(['requested']);
    setup.advance(0.2);
    expect(setup.states()).toEqual(['timed-out']);
  });

  it('applies a changed timeout to the pending command at once', async () => {
    const setup = setUp();
    await watched(setup);
    setup.publish(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/user' }]);
    expect(setup.view().machine.commands[0]!.deadline).toBe(1_010);
    setup.store.setState({ streams: { [LIGHT]: lightStream({ downlink_timeout: 60 }) } });
    expect(setup.view().machine.timeoutSeconds).toBe(60);
    expect(setup.view().machine.commands[0]!.deadline).toBe(1_060);
  });

  it('keeps what arrives during the history read, without counting a point in both twice', async () => {
    const setup = setUp({ commands: [{ t: 990, d: true, o: 'ann/user' }] });
    const release = setup.holdReads();
    setup.store.getState().watchDownlink(LIGHT);
    // Stored before the read answers (so it is in the history too), then a newer report.
    setup.publish(`${LIGHT}/downlink`, [{ t: 1_000, d: false, o: 'ann/user' }]);
    setup.publish(LIGHT, [{ t: 1_000.5, d: false }]);
    release();
    await vi.waitFor(() => expect(setup.view().status).toBe('ready'));
    expect(setup.view().machine.commands.map((c) => [c.command.d, c.state])).toEqual([
      [false, 'acknowledged'],
      [true, 'superseded'],
    ]);
  });

  it('shows live states at once while the history is read again', async () => {
    const setup = setUp();
    await watched(setup);
    const release = setup.holdReads();
    void setup.store.getState().refreshDownlink(LIGHT);
    setup.publish(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/user' }]);
    expect(setup.states()).toEqual(['requested']);
    setup.publish(LIGHT, [{ t: 1_000.1, d: true }]);
    expect(setup.states()).toEqual(['acknowledged']);
    release();
    await vi.waitFor(() => expect(setup.view().status).toBe('ready'));
    expect(setup.states()).toEqual(['acknowledged']);
  });

  it('replays what arrived during a read in arrival order, though the reports were read after the commands', async () => {
    const setup = setUp({ reports: [{ t: 900, d: false }] });
    await watched(setup);
    const release = setup.holdReads();
    void setup.store.getState().refreshDownlink(LIGHT); // asks for the commands: none yet
    setup.publish(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/user' }]);
    setup.advance(0.1);
    setup.publish(LIGHT, [{ t: 1_000, d: true }]);
    release(); // the reports, asked for now, hold the acknowledgement
    await vi.waitFor(() => expect(setup.view().status).toBe('ready'));
    expect(setup.view().machine.commands.map((c) => [c.state, c.isLate])).toEqual([['acknowledged', false]]);
  });

  it('sends a command without a time, straight to the server, and shows it only once the server publishes it', async () => {
    const setup = setUp();
    await watched(setup);
    const result = await setup.store.getState().sendCommand(LIGHT, true);
    expect(result).toEqual({ ok: true, value: undefined });
    expect(setup.client.insert).toHaveBeenCalledWith(LIGHT, [{ d: true }], {
      method: 'insert',
      downlink: true,
      idempotencyKey: 'key-1',
    });
    expect(setup.view().machine.commands).toEqual([]);
    setup.publish(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/user' }]);
    expect(setup.states()).toEqual(['requested']);
  });

  it('says "sending" only until the server has the command', async () => {
    const setup = setUp();
    await watched(setup);
    let answer = () => {};
    setup.client.insert.mockImplementationOnce(() => new Promise<void>((resolve) => (answer = resolve)));
    const sent = setup.store.getState().sendCommand(LIGHT, true);
    expect(setup.view().sending).toEqual({ previous: undefined });
    answer();
    await sent;
    expect(setup.view().sending).toBeUndefined();
  });

  it('refuses to send while offline, saying why, and sends nothing', async () => {
    const setup = setUp();
    await watched(setup);
    setup.store.getState().setOnline(false);
    expect(await setup.store.getState().sendCommand(LIGHT, true)).toEqual({
      ok: false,
      error: OFFLINE_REASON,
    });
    expect(setup.client.insert).not.toHaveBeenCalled();
    setup.store.getState().setOnline(true);
    expect((await setup.store.getState().sendCommand(LIGHT, true)).ok).toBe(true);
  });

  it('shows why the server refused a command', async () => {
    const setup = setUp();
    await watched(setup);
    setup.client.insert.mockRejectedValueOnce(new Error('Write access denied'));
    expect(await setup.store.getState().sendCommand(LIGHT, true)).toEqual({
      ok: false,
      error: 'Write access denied',
    });
    expect(setup.view().sendError).toBe('Write access denied');
  });

  it('reads the history when the echo of a sent command does not come', async () => {
    const setup = setUp();
    await watched(setup);
    await setup.store.getState().sendCommand(LIGHT, true);
    // The server stored it, but the subscription (never confirmed by the server) missed it.
    const reads = setup.client.read.mock.calls.length;
    setup.advance(3);
    expect(setup.client.read.mock.calls.length).toBeGreaterThan(reads);
  });

  it('reads the history again after the websocket reconnects, since nothing is replayed', async () => {
    const setup = setUp();
    await watched(setup);
    setup.connection('connecting');
    setup.connection('open');
    expect(setup.store.getState().downlinkLiveness).toBe('live');
    setup.connection('closed');
    expect(setup.store.getState().downlinkLiveness).toBe('interrupted');
    // Acknowledged while the socket was down: only the history knows.
    setup.storeUnheard(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/user' }]);
    setup.storeUnheard(LIGHT, [{ t: 1_000.2, d: true }]);
    expect(setup.states()).toEqual([]);
    setup.connection('open');
    expect(setup.store.getState().downlinkLiveness).toBe('live');
    setup.advance(0.3);
    await vi.waitFor(() => expect(setup.states()).toEqual(['acknowledged']));
  });

  it('reads the history again when the browser is back online', async () => {
    const setup = setUp();
    await watched(setup);
    setup.store.getState().setOnline(false);
    setup.storeUnheard(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/phone' }]);
    expect(setup.states()).toEqual([]);
    setup.store.getState().setOnline(true);
    await vi.waitFor(() => expect(setup.states()).toEqual(['requested']));
  });

  it('reads once more when the server surely holds a new subscription, which it never confirms', async () => {
    const setup = setUp();
    setup.connection('open');
    await watched(setup);
    // Published after the first read, before the server held the subscription: not heard live.
    setup.storeUnheard(`${LIGHT}/downlink`, [{ t: 1_000, d: true, o: 'ann/phone' }]);
    setup.advance(0.3);
    await vi.waitFor(() => expect(setup.states()).toEqual(['requested']));
  });

  it('subscribes once per stream and stops when the last panel closes', async () => {
    const setup = setUp();
    const first = await watched(setup);
    const second = setup.store.getState().watchDownlink(LIGHT);
    expect(setup.client.subscribe).toHaveBeenCalledTimes(2);
    first();
    first();
    expect(setup.subscribedPaths()).toHaveLength(2);
    second();
    expect(setup.subscribedPaths()).toEqual([]);
  });

  it('forgets every state on logout', async () => {
    const setup = setUp({ commands: [{ t: 900, d: true, o: 'ann/user' }] });
    await watched(setup);
    setup.store.setState({ session: null });
    expect(setup.store.getState().downlinks).toEqual({});
  });
});
