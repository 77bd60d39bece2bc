/**
 * Every value a person enters goes through `insertDatapoint`, the one write path of the app. A
 * value for one of the person's own streams is written to the IndexedDB outbox first (it then
 * survives reloads and closing the browser) and the sync engine delivers it: the entry goes
 * queued → sending → saved, or rejected with the server's reason. A command to another device
 * (a downlink request) is never queued — one carried out hours later could be dangerous — so it is
 * sent directly, and refused while offline.
 */
import { ApiError } from '../../sdk';
import type { SliceCreator } from './appState';
import { describeError, describeRefusal } from './describeError';
import type { FollowedState } from './localFirstRuntime';
import { laterPoint } from './mergePoints';
import { isPendingPoint } from './pendingPoints';

export type EntryState = 'queued' | 'sending' | 'saved' | 'rejected' | 'failed' | 'discarded';

export interface Entry {
  /** A client id; for a direct send also the `Idempotency-Key` of the request. */
  id: string;
  path: string;
  /** Unix seconds: the time the person chose (or when they entered the value). */
  t: number;
  d: unknown;
  /**
   * `queued`: kept on this device, waiting to be sent (in the outbox); `sending`: in a request
   * now; `saved`: the server has it; `rejected`: the server refused it and will refuse it again
   * (the queue view offers retry and discard); `failed`: a direct send got no answer or it could
   * not be kept on this device; `discarded`: removed from the queue by the person.
   */
  state: EntryState;
  error?: string;
  /** True when the value went to a device as a downlink request rather than into the stream. */
  isDownlinkRequest: boolean;
  /** True when the value went through the outbox (false: sent directly, or no IndexedDB). */
  isQueued: boolean;
}

export interface EntryStore {
  /** Recent entries by id, newest last. */
  entries: Record<string, Entry>;
}

export interface EntrySlice extends EntryStore {
  /**
   * Enters a value. Resolves once it is safe — in the outbox (`queued`) or, for a direct send,
   * answered (`saved`, `rejected`, `failed`); the entry in `entries` follows it afterwards.
   */
  insertDatapoint(path: string, t: number, d: unknown): Promise<Entry>;
}

export const initialEntryState: EntryStore = { entries: {} };

/** Why a command is not sent while offline. */
export const OFFLINE_COMMAND_ERROR =
  'You are offline. Commands to devices are sent only while online, never queued for later.';

/** How many entries are kept for status displays. */
const MAX_ENTRIES = 200;

export const createEntrySlice: SliceCreator<EntrySlice> = (deps) => (set, get) => {
  /** Entries followed through the outbox: the function that stops following, by entry id. */
  const followed = new Map<string, () => void>();

  const update = (entry: Entry) =>
    set((s) => {
      const entries = { ...s.entries, [entry.id]: entry };
      const ids = Object.keys(entries);
      for (const id of ids.slice(0, Math.max(0, ids.length - MAX_ENTRIES))) {
        delete entries[id];
        followed.get(id)?.();
        followed.delete(id);
      }
      return { entries };
    });

  const onFollowed = (id: string, next: FollowedState) => {
    const entry = get().entries[id];
    if (!entry) return;
    const error =
      'error' in next && next.error && next.state === 'rejected' ? describeRefusal(next.error) : undefined;
    update({ ...entry, state: next.state, error });
    if (next.state === 'saved' || next.state === 'discarded') {
      followed.get(id)?.();
      followed.delete(id);
    }
    // The last value shown may be this one, marked pending: it is not, ask the server what is.
    if (next.state === 'rejected' || next.state === 'discarded') {
      set((s) => {
        const latest = s.latest[entry.path]?.value;
        if (!latest || !isPendingPoint(latest) || latest.t !== entry.t) return {};
        return { latest: { ...s.latest, [entry.path]: { status: 'loading' } } };
      });
      void get().loadLatest(entry.path);
    }
  };

  const sendDirectly = async (entry: Entry): Promise<Entry> => {
    update(entry);
    try {
      // `insert` keeps the time the person chose; restamping would move a late entry to now.
      await deps.client.insert(entry.path, [{ t: entry.t, d: entry.d }], {
        method: 'insert',
        idempotencyKey: entry.id,
      });
    } catch (error) {
      const done: Entry = {
        ...entry,
        state: error instanceof ApiError && !error.isRetryable ? 'rejected' : 'failed',
        error: describeError(error),
      };
      update(done);
      return done;
    }
    const saved: Entry = { ...entry, state: 'saved' };
    update(saved);
    if (!entry.isDownlinkRequest) get().receivePoints(entry.path, [{ t: entry.t, d: entry.d }]);
    return saved;
  };

  return {
    ...initialEntryState,

    async insertDatapoint(path, t, d) {
      const session = get().session;
      const owner = path.split('/').slice(0, 2).join('/');
      // The server sends another device's writes to a downlink stream's request queue, not the stream.
      const isDownlinkRequest = !session || owner !== `${session.user}/${session.device}`;
      const entry: Entry = {
        id: deps.newIdempotencyKey(),
        path,
        t,
        d,
        state: 'sending',
        isDownlinkRequest,
        isQueued: false,
      };
      if (isDownlinkRequest) {
        if (!deps.local.isOnline()) {
          const refused: Entry = { ...entry, state: 'failed', error: OFFLINE_COMMAND_ERROR };
          update(refused);
          return refused;
        }
        return sendDirectly(entry);
      }
      const parts = await deps.local.ready();
      // No IndexedDB (a locked-down browser): straight to the server, as a plain web page would.
      if (!parts || parts.user !== session?.user) return sendDirectly(entry);

      const queued: Entry = { ...entry, state: 'queued', isQueued: true };
      try {
        await deps.local.enqueue(parts, path, t, d);
      } catch (error) {
        const failed: Entry = {
          ...entry,
          state: 'failed',
          error: `It could not be kept on this device: ${describeError(error)}`,
        };
        update(failed);
        return failed;
      }
      update(queued);
      // Shown as the stream's last value at once, marked as not yet on the server.
      set((s) => {
        const latest = s.latest[path];
        const value = laterPoint(latest?.value, { t, d, outboxState: 'queued' } as PendingDatapoint);
        return { latest: { ...s.latest, [path]: { status: latest?.status ?? 'ready', value } } };
      });
      followed.set(
        queued.id,
        deps.local.followPoint(path, t, d, (next) => onFollowed(queued.id, next)),
      );
      return queued;
    },
  };
};

/** A datapoint shown before the server has it (`latest` may hold one). */
interface PendingDatapoint {
  t: number;
  d: unknown;
  outboxState: 'queued';
}
