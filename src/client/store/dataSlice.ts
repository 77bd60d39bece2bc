/**
 * Datapoints: the range a stream page shows, the last value each input widget shows, and live
 * updates over the websocket merged into both. Components read data only through these actions.
 */
import type { Datapoint } from '../../core/model';
import type { ConnectionState, Subscription } from '../../sdk';
import type { Loadable, SliceCreator } from './appState';
import { describeError } from './describeError';
import { laterPoint, mergePoints } from './mergePoints';
import { readThroughCache } from './readThroughCache';

/** A time window in unix seconds: `(t1, t2]`; no `t1` means from the first datapoint, no `t2` until now and on. */
export interface DataWindow {
  t1?: number;
  t2?: number;
}

export interface SeriesState {
  status: 'loading' | 'ready' | 'error';
  /** Ascending in `t`. */
  points: Datapoint[];
  window: DataWindow;
  error?: string;
}

export interface DataState {
  series: Record<string, SeriesState>;
  /** The last datapoint by stream path (`null`: the stream is empty). */
  latest: Record<string, Loadable<Datapoint | null>>;
  /** The websocket's state, for the live indicator. */
  liveState: ConnectionState;
}

export interface DataSlice extends DataState {
  loadSeries(path: string, window: DataWindow): Promise<void>;
  loadLatest(path: string): Promise<void>;
  /** Merges points from any source (the websocket, a confirmed insert) into what is shown. */
  receivePoints(path: string, points: readonly Datapoint[]): void;
  /** Starts live updates for a path (`u/d/s` or `u/d/s/downlink`); returns the function that stops them. */
  subscribeLive(path: string): () => void;
}

export const initialDataState: DataState = { series: {}, latest: {}, liveState: 'closed' };

const inWindow = (t: number, window: DataWindow) =>
  (window.t1 === undefined || t > window.t1) && (window.t2 === undefined || t <= window.t2);

export const createDataSlice: SliceCreator<DataSlice> = (deps) => (set, get) => {
  /** The newest request per path: an older answer arriving late must not replace a newer one. */
  const seriesRequests = new Map<string, number>();
  let requestCounter = 0;
  const live = new Map<string, { count: number; subscription: Subscription }>();
  let stopWatchingConnection: (() => void) | undefined;
  let wasDisconnected = false;

  const watchConnection = () => {
    if (stopWatchingConnection) return;
    stopWatchingConnection = deps.client.onConnectionChange((state) => {
      set({ liveState: state });
      if (state === 'closed') wasDisconnected = true;
      if (state === 'open' && wasDisconnected) {
        wasDisconnected = false;
        // Batches published while the socket was down are not replayed: read the gap again.
        for (const path of live.keys()) {
          const series = get().series[path];
          if (series) void get().loadSeries(path, series.window);
          if (get().latest[path]) void get().loadLatest(path);
        }
      }
    });
  };

  return {
    ...initialDataState,

    async loadSeries(path, window) {
      const request = ++requestCounter;
      seriesRequests.set(path, request);
      const isCurrent = () => seriesRequests.get(path) === request;
      set((s) => ({
        series: {
          ...s.series,
          [path]: { status: 'loading', points: s.series[path]?.points ?? [], window },
        },
      }));
      const range =
        window.t1 === undefined && window.t2 === undefined ? {} : { t1: window.t1 ?? 0, t2: window.t2 };
      // The cache keeps `(t1, t2]` windows; "from the first datapoint" is from -Infinity.
      const t1 = window.t1 ?? -Infinity;
      let isShown = false;
      await readThroughCache(deps.local, set, {
        key: `data/${path}`,
        read: async (cache) => {
          const cached = await cache.readRange(path, t1, window.t2 ?? deps.nowSeconds());
          return cached && cached.points.length > 0
            ? { value: cached.points, fetchedAt: cached.fetchedAt }
            : undefined;
        },
        fetch: () => deps.client.read(path, range),
        // An open window ends when it was read (or at its last point, should a clock be ahead).
        merge: (cache, points, at) =>
          cache.mergeRange(
            path,
            t1,
            window.t2 ?? Math.max(at / 1000, points.at(-1)?.t ?? -Infinity),
            points,
            at,
          ),
        hasValue: () => isShown,
        show: (points) => {
          if (!isCurrent()) return;
          isShown = true;
          // Points that arrived live while the read was under way are kept.
          const arrived = (get().series[path]?.points ?? []).filter((p) => inWindow(p.t, window));
          set((s) => ({
            series: {
              ...s.series,
              [path]: { status: 'ready', points: mergePoints(points, arrived), window },
            },
            latest: { ...s.latest, [path]: pickLatest(s.latest[path], points.at(-1)) },
          }));
        },
        fail: (error, isShowingValue) => {
          if (!isCurrent()) return;
          set((s) => ({
            series: {
              ...s.series,
              [path]: {
                status: isShowingValue ? 'ready' : 'error',
                points: s.series[path]?.points ?? [],
                window,
                ...(!isShowingValue && { error: describeError(error) }),
              },
            },
          }));
        },
      });
    },

    async loadLatest(path) {
      set((s) => ({ latest: { ...s.latest, [path]: { status: 'loading', value: s.latest[path]?.value } } }));
      let isShown = false;
      await readThroughCache(deps.local, set, {
        key: `latest/${path}`,
        read: async (cache) => {
          const cached = await cache.readLatest(path, 1);
          return cached?.isComplete ? { value: cached.points, fetchedAt: cached.fetchedAt } : undefined;
        },
        fetch: () => deps.client.read(path, { i1: -1 }),
        merge: (cache, points, at) => cache.mergeLatest(path, points, 1, at),
        hasValue: () => isShown,
        show: ([last]) => {
          isShown = true;
          set((s) => ({
            latest: {
              ...s.latest,
              [path]: { status: 'ready', value: newestKnown(last ?? null, s.latest[path]?.value) },
            },
          }));
        },
        fail: (error, isShowingValue) =>
          set((s) => ({
            latest: {
              ...s.latest,
              [path]: isShowingValue
                ? { status: 'ready', value: s.latest[path]?.value ?? null }
                : { status: 'error', value: s.latest[path]?.value, error: describeError(error) },
            },
          })),
      });
      // A value still in the outbox (entered offline, before a reload) is the newest one known.
      const parts = deps.local.current();
      if (!parts) return;
      const waiting = (await parts.outbox.pendingPointsFor(path))
        .filter((p) => p.state !== 'rejected')
        .at(-1);
      if (!waiting) return;
      set((s) => {
        const current = s.latest[path];
        if (current?.value && current.value.t >= waiting.t) return {};
        const value: Datapoint = { t: waiting.t, d: waiting.d, outboxState: waiting.state } as Datapoint;
        return { latest: { ...s.latest, [path]: { status: 'ready', value } } };
      });
    },

    receivePoints(path, points) {
      if (points.length === 0) return;
      set((s) => {
        const update: Partial<DataState> = {};
        const series = s.series[path];
        if (series) {
          const fresh = points.filter((p) => inWindow(p.t, series.window));
          if (fresh.length > 0) {
            update.series = { ...s.series, [path]: { ...series, points: mergePoints(series.points, fresh) } };
          }
        }
        const newest = points.reduce<Datapoint | null>((a, b) => laterPoint(a, b), null);
        const latest = s.latest[path];
        const next = laterPoint(latest?.value, newest);
        if (next !== latest?.value) {
          update.latest = { ...s.latest, [path]: { status: latest?.status ?? 'ready', value: next } };
        }
        return update;
      });
    },

    subscribeLive(path) {
      watchConnection();
      const entry = live.get(path);
      if (entry) {
        entry.count++;
      } else {
        const subscription = deps.client.subscribe(path, (points) => get().receivePoints(path, points));
        live.set(path, { count: 1, subscription });
      }
      let isStopped = false;
      return () => {
        if (isStopped) return;
        isStopped = true;
        const current = live.get(path);
        if (!current) return;
        current.count--;
        if (current.count === 0) {
          current.subscription.unsubscribe();
          live.delete(path);
        }
      };
    },
  };
};

/**
 * The server's last point, unless the store knows a later one (a live point, a value just queued).
 * At the same time the server's wins: a queued value it now holds is no longer pending.
 */
function newestKnown(server: Datapoint | null, shown: Datapoint | null | undefined): Datapoint | null {
  if (server && shown && shown.t === server.t) return server;
  return laterPoint(server, shown);
}

function pickLatest(
  previous: Loadable<Datapoint | null> | undefined,
  last: Datapoint | undefined,
): Loadable<Datapoint | null> {
  // A window may end before the newest point; only a newer one may replace what is known.
  if (previous?.status === 'ready') return { status: 'ready', value: laterPoint(previous.value, last) };
  return last ? { status: 'ready', value: last } : (previous ?? { status: 'loading' });
}
