/**
 * Downlink commands as the person sees them (core/downlink/README.md): per stream, the command
 * state machine fed by the websocket (the stream = reports, `…/downlink` = commands), rebuilt from
 * history over HTTP when a panel opens and after every reconnection, and ticked while a command is
 * pending. A command is never shown before the server has it: `sendCommand` only posts it, and the
 * websocket echo (with the server's `t` and the sender `o`) is what adds it to the state.
 */
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  deriveCommandStates,
  downlinkTimeoutSeconds,
  initialDownlinkState,
  isPending,
  reduceDownlink,
  type DownlinkEvent,
  type DownlinkState,
} from '../../core/downlink';
import type { Datapoint } from '../../core/model';
import type { Subscription } from '../../sdk';
import { browserConnectivity } from '../local-first/connectivity';
import type { AppState, SliceCreator } from './appState';
import { describeError, failed, ok, type ActionResult } from './describeError';

/** One downlink stream as its panel shows it. */
export interface DownlinkView {
  /** The history read: `loading` at first and while re-reading (the last state stays shown). */
  status: 'loading' | 'ready' | 'error';
  /** The history has been read (or failed) once: the state is more than live events since. */
  hasLoaded: boolean;
  error?: string;
  /** Commands (newest first) and the latest report: see `DownlinkState`. */
  machine: DownlinkState;
  /**
   * A command is on its way (its request has not answered yet), sent while `previous` was the
   * current command: until a newer one arrives, the panel says "Sending…".
   */
  sending?: { previous?: Datapoint };
  /** Why the last command was not sent; cleared by the next attempt. */
  sendError?: string;
}

/**
 * Whether states arrive live: `connecting` until the websocket first opens, `live` while it is
 * open, `interrupted` after it dropped (states may be out of date until it is back and re-read).
 */
export type DownlinkLiveness = 'connecting' | 'live' | 'interrupted';

export interface DownlinkSliceState {
  /** By stream path (`user/device/stream`), for the streams a panel is watching. */
  downlinks: Record<string, DownlinkView>;
  /**
   * The browser reports a network. Commands are never queued (one carried out hours later can be
   * dangerous), so the controls need it.
   */
  isOnline: boolean;
  downlinkLiveness: DownlinkLiveness;
}

export interface DownlinkSlice extends DownlinkSliceState {
  /**
   * Follows a downlink stream: subscribes to it and its `downlink` substream, reads the history and
   * keeps the state current. Reference-counted; returns the function that stops following.
   */
  watchDownlink(path: string): () => void;
  /** Reads the history again and rebuilds the state (live events meanwhile are kept). */
  refreshDownlink(path: string): Promise<void>;
  /**
   * Sends a command now — a direct insert stamped by the server, never queued, refused offline.
   * (The panel checks the value against the schema first; this module stays free of the validator,
   * which would weigh on every page's first load.) The state shows it once the server publishes it.
   */
  sendCommand(path: string, value: unknown): Promise<ActionResult>;
  /** What the platform says about the network (called by the connectivity listener; tests call it). */
  setOnline(isOnline: boolean): void;
}

/** How many past commands a panel reads and its log keeps. */
export const DOWNLINK_LOG_LIMIT = 20;
/** The most reports read to replay the log; beyond it only the latest report is added. */
const MAX_HISTORY_REPORTS = 5_000;
/** Ticks are at most this far apart while a command is pending (the README's "each second"). */
const TICK_MS = 1_000;
/** If the echo of a sent command has not arrived by then, the history is read instead. */
const ECHO_WAIT_MS = 3_000;
/**
 * The server never confirms a subscription, so what is published between a history read and the
 * moment the server holds the subscription would be lost: read once more this long after
 * subscribing on an open socket (or after the socket opens), as the simulator does.
 */
const SUBSCRIBE_SETTLE_MS = 300;

/** Why the controls are off while offline, in a word (beside each control) and in full. */
export const OFFLINE_REASON = 'You are offline — commands are not queued.';
export const OFFLINE_EXPLANATION =
  'A command carried out hours later, when the connection returns, could be dangerous, so nothing is sent until you are back online.';

export const initialDownlinkSliceState: Pick<DownlinkSliceState, 'downlinks'> = { downlinks: {} };

/** A command or report as it arrived over the websocket. */
type PointEvent = Extract<DownlinkEvent, { type: 'command' | 'report' }>;

interface Watch {
  count: number;
  subscriptions: Subscription[];
  /**
   * Live events received while the history is being read (and already shown): replayed on top of
   * the history unless it holds them.
   */
  buffer?: PointEvent[];
  /** The newest history read: an older one answering late is dropped. */
  loadId: number;
}

export const createDownlinkSlice: SliceCreator<DownlinkSlice> = (deps) => (set, get, api) => {
  const connectivity = browserConnectivity();
  const watches = new Map<string, Watch>();
  /** Paths with a command sent and its echo not yet received (its `t` is the server's clock). */
  const awaitingEcho = new Set<string>();
  let loadCounter = 0;
  /** Server clock minus ours (seconds), learned from the `t` the server gives each command. */
  let clockSkewSeconds = 0;
  let isTickScheduled = false;
  let hasBeenOpen = false;
  /** Watched paths whose subscriptions the server may not hold yet. */
  const unsettled = new Set<string>();

  const settleLater = () =>
    deps.setTimeout(() => {
      for (const path of unsettled) if (watches.has(path)) void load(path);
      unsettled.clear();
    }, SUBSCRIBE_SETTLE_MS);

  const update = (path: string, change: (view: DownlinkView) => Partial<DownlinkView>) =>
    set((s) => {
      const view = s.downlinks[path];
      return view ? { downlinks: { ...s.downlinks, [path]: { ...view, ...change(view) } } } : {};
    });

  const timeoutOf = (path: string) => downlinkTimeoutSeconds(get().streams[path] ?? {});

  const scheduleTick = () => {
    if (isTickScheduled) return;
    const now = deps.nowSeconds();
    let nextDeadline = Infinity;
    for (const view of Object.values(get().downlinks)) {
      const current = view.machine.commands[0];
      if (current && isPending(current)) nextDeadline = Math.min(nextDeadline, current.deadline);
    }
    if (nextDeadline === Infinity) return;
    isTickScheduled = true;
    // Each second, and just after the nearest deadline so "Timed out" shows on time.
    const untilDeadlineMs = Math.max(0, (nextDeadline - now) * 1000) + 20;
    deps.setTimeout(tick, Math.min(TICK_MS, untilDeadlineMs));
  };

  const tick = () => {
    isTickScheduled = false;
    const now = deps.nowSeconds();
    set((s) => {
      let downlinks: Record<string, DownlinkView> | undefined;
      for (const [path, view] of Object.entries(s.downlinks)) {
        const machine = reduceDownlink(view.machine, { type: 'tick', now });
        if (machine === view.machine) continue;
        downlinks ??= { ...s.downlinks };
        downlinks[path] = { ...view, machine };
      }
      return downlinks ? { downlinks } : {};
    });
    scheduleTick();
  };

  const apply = (path: string, events: readonly DownlinkEvent[]) => {
    if (events.length === 0) return;
    update(path, (view) => ({ machine: events.reduce(reduceDownlink, view.machine) }));
    scheduleTick();
  };

  const receive = (path: string, type: 'command' | 'report', points: readonly Datapoint[]) => {
    const watch = watches.get(path);
    if (!watch) return;
    const at = deps.nowSeconds();
    if (type === 'command' && awaitingEcho.has(path)) {
      // The server stamped our own command a moment ago: its `t` tells how far its clock is from
      // ours (other senders may have stamped theirs with their own clocks).
      const session = get().session;
      const mine = [...points].reverse().find((p) => session && p.o === `${session.user}/${session.device}`);
      if (mine) {
        clockSkewSeconds = mine.t - at;
        awaitingEcho.delete(path);
      }
    }
    const events = points.map((point): PointEvent => ({ type, point, at }));
    // Shown at once, even while the history is read; kept to be replayed on top of the history.
    watch.buffer?.push(...events);
    apply(path, events);
  };

  const readHistory = async (path: string) => {
    const commands = await deps.client.read(path, { i1: -DOWNLINK_LOG_LIMIT }, { downlink: true });
    const oldest = commands[0];
    if (!oldest) return { commands, reports: await deps.client.read(path, { i1: -1 }) };
    // `(t1, t2]`: from just before the oldest command, so an acknowledgement from a device whose
    // clock is a little behind still counts (README: toleranceSeconds).
    const t1 = Math.max(0, oldest.t - DEFAULT_CLOCK_TOLERANCE_SECONDS - 0.001);
    const reports = await deps.client.read(path, { t1, limit: MAX_HISTORY_REPORTS });
    if (reports.length === 0 || reports.length >= MAX_HISTORY_REPORTS) {
      // Nothing since the oldest command (the reported value is older), or more than we read.
      const [latest] = await deps.client.read(path, { i1: -1 });
      if (latest && !(latest.t <= (reports.at(-1)?.t ?? -Infinity))) reports.push(latest);
    }
    return { commands, reports };
  };

  const load = async (path: string) => {
    const watch = watches.get(path);
    if (!watch) return;
    const loadId = ++loadCounter;
    watch.loadId = loadId;
    watch.buffer ??= [];
    update(path, () => ({ status: 'loading' }));
    const isCurrent = () => watches.get(path) === watch && watch.loadId === loadId;
    const startedAt = deps.nowSeconds();
    try {
      // The timeout decides how old commands ended: know the stream before replaying them.
      if (!get().streams[path]) await get().loadStream(path);
      const { commands, reports } = await readHistory(path);
      if (!isCurrent()) return;
      // Commands and reports are read one after the other, so the history is no snapshot: what
      // arrived live meanwhile is replayed in the order it arrived, on top of what came before.
      const buffered = watch.buffer ?? [];
      const live = new Set(buffered.map((event) => pointKey(event.type, event.point)));
      let machine = deriveCommandStates({
        commands: commands.filter((p) => !live.has(pointKey('command', p))),
        reports: reports.filter((p) => !live.has(pointKey('report', p))),
        timeoutSeconds: timeoutOf(path),
        logLimit: DOWNLINK_LOG_LIMIT,
        // Up to the first live event: a report that arrived in time must not be judged late.
        now: Math.min(startedAt, buffered[0]?.at ?? Infinity),
        clockSkewSeconds,
      });
      for (const event of buffered) machine = reduceDownlink(machine, event);
      machine = reduceDownlink(machine, { type: 'tick', now: deps.nowSeconds() });
      watch.buffer = undefined;
      update(path, () => ({ status: 'ready', hasLoaded: true, error: undefined, machine }));
    } catch (error) {
      if (!isCurrent()) return;
      // What arrived live is already shown: keep it.
      watch.buffer = undefined;
      update(path, () => ({ status: 'error', hasLoaded: true, error: describeError(error) }));
    }
    scheduleTick();
  };

  // The websocket (re)opened: the subscriptions are sent again, and nothing published while it
  // was down is replayed, so read everything again once the server holds them.
  deps.client.onConnectionChange((state) => {
    if (state === 'open') {
      hasBeenOpen = true;
      set({ downlinkLiveness: 'live' });
      for (const path of watches.keys()) unsettled.add(path);
      settleLater();
    } else if (hasBeenOpen) {
      set({ downlinkLiveness: 'interrupted' });
    }
  });

  connectivity.subscribe((isOnline) => get().setOnline(isOnline));

  // Another page (the stream's edit dialog) changed the stream: its timeout applies at once.
  // Logging out forgets every state, as it forgets all other data.
  api.subscribe((state: AppState, previous: AppState) => {
    if (previous.session && !state.session && watches.size + Object.keys(state.downlinks).length > 0) {
      watches.clear();
      set({ downlinks: {} });
      return;
    }
    if (state.streams === previous.streams) return;
    for (const [path, view] of Object.entries(state.downlinks)) {
      const timeoutSeconds = timeoutOf(path);
      if (timeoutSeconds !== view.machine.timeoutSeconds) {
        apply(path, [{ type: 'set-timeout', timeoutSeconds }]);
      }
    }
  });

  return {
    ...initialDownlinkSliceState,
    isOnline: connectivity.isOnline(),
    downlinkLiveness: 'connecting',

    watchDownlink(path) {
      let watch = watches.get(path);
      if (watch) {
        watch.count++;
      } else {
        const created: Watch = { count: 1, subscriptions: [], loadId: 0 };
        watch = created;
        watches.set(path, created);
        set((s) => ({
          downlinks: {
            ...s.downlinks,
            [path]: s.downlinks[path] ?? {
              status: 'loading',
              hasLoaded: false,
              machine: initialDownlinkState({
                timeoutSeconds: timeoutOf(path),
                logLimit: DOWNLINK_LOG_LIMIT,
              }),
            },
          },
        }));
        // Subscribed before reading, so nothing published during the read is missed.
        created.buffer = [];
        created.subscriptions.push(
          deps.client.subscribe(path, (points) => receive(path, 'report', points)),
          deps.client.subscribe(`${path}/downlink`, (points) => receive(path, 'command', points)),
        );
        void load(path);
        unsettled.add(path);
        if (get().downlinkLiveness === 'live') settleLater();
      }
      const owned = watch;
      let isStopped = false;
      return () => {
        if (isStopped) return;
        isStopped = true;
        if (watches.get(path) !== owned) return;
        owned.count--;
        if (owned.count > 0) return;
        for (const subscription of owned.subscriptions) subscription.unsubscribe();
        watches.delete(path);
      };
    },

    refreshDownlink(path) {
      return load(path);
    },

    async sendCommand(path, value) {
      if (!get().isOnline) return failed(new Error(OFFLINE_REASON));
      const previous = get().downlinks[path]?.machine.commands[0]?.command;
      update(path, () => ({ sending: { previous }, sendError: undefined }));
      try {
        // No `t`: the server stamps the command, so its time is the server's, like its echo's.
        // `downlink: true` makes it a command even when the viewer owns the device.
        await deps.client.insert(path, [{ d: value }], {
          method: 'insert',
          downlink: true,
          idempotencyKey: deps.newIdempotencyKey(),
        });
      } catch (error) {
        const result = failed(error);
        update(path, () => ({ sending: undefined, sendError: result.error }));
        return result;
      }
      update(path, () => ({ sending: undefined }));
      awaitingEcho.add(path);
      // The server never confirms a subscription: if the echo does not come, read the history.
      deps.setTimeout(() => {
        const view = get().downlinks[path];
        if (view && watches.has(path) && view.machine.commands[0]?.command === previous) void load(path);
      }, ECHO_WAIT_MS);
      return ok(undefined);
    },

    setOnline(isOnline) {
      if (get().isOnline === isOnline) return;
      set({ isOnline });
      // Whatever happened while offline is only in the history now.
      if (isOnline) for (const path of watches.keys()) void load(path);
    },
  };
};

/** A datapoint's identity in history and in live batches: the server sends both the same way. */
function pointKey(type: 'command' | 'report', point: Datapoint): string {
  return `${type} ${point.t} ${point.o ?? ''} ${JSON.stringify(point.d)}`;
}
