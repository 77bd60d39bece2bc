/**
 * The outbox as the app sees it: the sync status for the indicator, the queue view's records with
 * retry and discard, the queued points of the streams on screen (drawn as pending), and how old the
 * cached values on screen are. The work is done by `client/local-first` through the runtime.
 */
import type { OutboxCounts, OutboxRecord, PendingPoint, QueueActionResult, SyncStatus } from '../local-first';
import type { SliceCreator } from './appState';

export interface SyncState {
  /** The sync engine's status: online or not, and the logged-in person's pending and rejected points. */
  sync: SyncStatus;
  /** Whether the browser keeps this origin's storage under pressure; undefined until answered. */
  isStoragePersistent: boolean | undefined;
  /** Why nothing is kept on this device (IndexedDB could not be opened), or null. */
  localFirstError: string | null;
  /** The outbox records (pending and rejected, oldest first) while the queue view watches them. */
  queue: OutboxRecord[] | undefined;
  /** Outbox points by stream path, while a page watches them: the plot and table mark them pending. */
  pendingPoints: Record<string, PendingPoint[]>;
  /**
   * Values on screen that come from this device's cache because the server could not be asked:
   * when they were fetched (ms since the epoch), by cache key (`streams/alice/user`, `data/…`).
   */
  cachedAt: Record<string, number>;
}

export interface SyncSlice extends SyncState {
  /** Sends the outbox now, ignoring backoff (the queue view's "Send now"). */
  syncNow(): Promise<void>;
  /** Keeps `queue` up to date until the returned function is called (reference-counted). */
  watchQueue(): () => void;
  /** Keeps `pendingPoints[path]` up to date until the returned function is called (reference-counted). */
  watchPendingPoints(path: string): () => void;
  /** Sends a rejected record again (or one waiting for its backoff), then syncs. */
  retryQueued(recordId: number): Promise<QueueActionResult>;
  /** Removes a record, or one point of it, from the outbox: it will never be sent. */
  discardQueued(recordId: number, pointIndex?: number): Promise<QueueActionResult>;
  /**
   * Before logging out: sends what can be sent (for a few seconds at most) and counts what is left
   * (pending + rejected) — the question "log out anyway?" is asked when that is not zero.
   */
  flushOutbox(timeoutMs?: number): Promise<OutboxCounts>;
}

const EMPTY_COUNTS: OutboxCounts = { queued: 0, sending: 0, rejected: 0, pending: 0 };

/** What the slice resets to on logout. */
export const initialSyncState: Pick<SyncState, 'queue' | 'pendingPoints' | 'cachedAt'> = {
  queue: undefined,
  pendingPoints: {},
  cachedAt: {},
};

export const createSyncSlice: SliceCreator<SyncSlice> = (deps) => (set, get) => {
  const local = deps.local;
  local.onStatus((status) =>
    set({
      sync: status,
      isStoragePersistent: local.isPersistent,
      localFirstError: local.unavailableReason ?? null,
    }),
  );
  // Confirmed batches show as saved at once, even while the websocket that would bring them is down.
  local.onSaved((path, points) => get().receivePoints(path, points));

  let queueWatchers = 0;
  let stopQueue: (() => void) | undefined;
  const pendingWatchers = new Map<string, { count: number; stop: () => void }>();

  return {
    sync: local.getStatus(),
    isStoragePersistent: undefined,
    localFirstError: null,
    ...initialSyncState,

    async syncNow() {
      await local.current()?.engine.syncNow();
    },

    watchQueue() {
      queueWatchers += 1;
      stopQueue ??= local.follow((parts) =>
        // A few updates a second are plenty for a list a person reads; it may hold 100,000 points.
        parts.outbox.watchQueue((records) => set({ queue: records }), { throttleMs: 250 }),
      );
      let isStopped = false;
      return () => {
        if (isStopped) return;
        isStopped = true;
        queueWatchers -= 1;
        if (queueWatchers === 0) {
          stopQueue?.();
          stopQueue = undefined;
        }
      };
    },

    watchPendingPoints(path) {
      const entry = pendingWatchers.get(path);
      if (entry) {
        entry.count += 1;
      } else {
        const stop = local.follow((parts) =>
          parts.outbox.watchPendingPoints(path, (points) =>
            set((s) => ({ pendingPoints: { ...s.pendingPoints, [path]: points } })),
          ),
        );
        pendingWatchers.set(path, { count: 1, stop });
      }
      let isStopped = false;
      return () => {
        if (isStopped) return;
        isStopped = true;
        const current = pendingWatchers.get(path);
        if (!current) return;
        current.count -= 1;
        if (current.count === 0) {
          current.stop();
          pendingWatchers.delete(path);
          set((s) => {
            const { [path]: _gone, ...rest } = s.pendingPoints;
            return { pendingPoints: rest };
          });
        }
      };
    },

    async retryQueued(recordId) {
      const parts = local.current();
      if (!parts) return 'not_found';
      const result = await parts.outbox.retry(recordId);
      if (result === 'ok') void parts.engine.syncNow();
      return result;
    },

    async discardQueued(recordId, pointIndex) {
      const parts = local.current();
      if (!parts) return 'not_found';
      const records = get().queue ?? (await parts.outbox.list());
      const record = records.find((r) => r.id === recordId);
      if (record) {
        const points =
          pointIndex === undefined ? record.points : record.points.slice(pointIndex, pointIndex + 1);
        local.noteDiscarded(points);
      }
      return parts.outbox.discard(recordId, pointIndex);
    },

    async flushOutbox(timeoutMs = 5_000) {
      const parts = await local.ready();
      if (!parts) return EMPTY_COUNTS;
      if (local.isOnline() && (await parts.outbox.countPoints()).pending > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          parts.engine.syncNow(),
          new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
        ]);
        clearTimeout(timer);
      }
      return parts.outbox.countPoints();
    },
  };
};
