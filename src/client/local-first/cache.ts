/**
 * The read cache: the last known users, devices and streams and the data windows already viewed,
 * per viewer (the logged-in user: what one may read, another may not). Pages render `read…`
 * results at once, say how old they are (`fetchedAt`), then fetch and `merge…` the answer.
 */
import { Dexie } from 'dexie';
import type { Datapoint, Device, Stream, User, UserStream } from '../../core/model';
import type { CachedWindow, LocalDb } from './localDb';
import {
  addPointsToWindows,
  capWindows,
  insertWindow,
  nextDown,
  readWindows,
  type WindowRead,
} from './timeWindows';

/** A cached value and when it was fetched (ms since the epoch). */
export interface Cached<T> {
  value: T;
  fetchedAt: number;
}

/** Cached datapoints of a time range. */
export type CachedRange = WindowRead;

/** Options of {@link createLocalCache}. */
export interface LocalCacheOptions {
  db: LocalDb;
  /** The logged-in user the values were fetched as. */
  viewer: string;
  /** Clock in ms; default `Date.now`. Used when a merge is given no `fetchedAt`. */
  now?: () => number;
  /** Most datapoints kept per stream (default 10,000); the least recently fetched windows go first. */
  maxPointsPerStream?: number;
  /** Most separate windows kept per stream (default 32). */
  maxWindowsPerStream?: number;
  /** Most streams with cached data per viewer (default 200); the least recently used go first. */
  maxStreams?: number;
}

/** A cached list holding an object: how to find the object's entry and what to put there. */
interface ListLink {
  list: string;
  isSame: (entry: unknown) => boolean;
  entry?: unknown;
}

/** A {@link ListLink} for a list of `T` (the cast is safe: the list was stored as `T[]`). */
function link<T>(list: string, isSame: (entry: T) => boolean, entry?: T): ListLink {
  return { list, isSame: isSame as (entry: unknown) => boolean, entry };
}

/** Defaults of {@link LocalCacheOptions}; also used for points the outbox saves. */
export const CACHE_LIMITS = { maxPointsPerStream: 10_000, maxWindowsPerStream: 32, maxStreams: 200 };

/** Creates the cache of `viewer` on `db`. Cheap: make one per login. */
export function createLocalCache(options: LocalCacheOptions): LocalCache {
  return new LocalCache(options);
}

/** One viewer's cache. Create it with {@link createLocalCache}. */
export class LocalCache {
  private readonly db: LocalDb;
  private readonly viewer: string;
  private readonly now: () => number;
  private readonly limits: typeof CACHE_LIMITS;

  constructor(options: LocalCacheOptions) {
    this.db = options.db;
    this.viewer = options.viewer;
    this.now = options.now ?? Date.now;
    this.limits = {
      maxPointsPerStream: options.maxPointsPerStream ?? CACHE_LIMITS.maxPointsPerStream,
      maxWindowsPerStream: options.maxWindowsPerStream ?? CACHE_LIMITS.maxWindowsPerStream,
      maxStreams: options.maxStreams ?? CACHE_LIMITS.maxStreams,
    };
  }

  // ── objects ──────────────────────────────────────────────────────────────────────────────────
  // A list merge also stores each object, so a page opened from a list renders at once; an object
  // merge also updates (or adds) its entry in the cached lists that hold it, so they never disagree.

  readUsers(): Promise<Cached<User[]> | undefined> {
    return this.read<User[]>('users');
  }
  mergeUsers(users: User[], fetchedAt = this.now()): Promise<void> {
    return this.mergeList(
      'users',
      users.map((u) => [`user/${u.name}`, u]),
      users,
      fetchedAt,
    );
  }
  readUser(user: string): Promise<Cached<User> | undefined> {
    return this.read<User>(`user/${user}`);
  }
  mergeUser(user: User, fetchedAt = this.now()): Promise<void> {
    const isSame = (u: User) => u.name === user.name;
    return this.mergeObject(`user/${user.name}`, user, [link('users', isSame, user)], fetchedAt);
  }

  readDevices(user: string): Promise<Cached<Device[]> | undefined> {
    return this.read<Device[]>(`devices/${user}`);
  }
  mergeDevices(user: string, devices: Device[], fetchedAt = this.now()): Promise<void> {
    const objects = devices.map((d): [string, Device] => [`device/${user}/${d.name}`, d]);
    return this.mergeList(`devices/${user}`, objects, devices, fetchedAt);
  }
  readDevice(user: string, device: string): Promise<Cached<Device> | undefined> {
    return this.read<Device>(`device/${user}/${device}`);
  }
  mergeDevice(user: string, device: Device, fetchedAt = this.now()): Promise<void> {
    const isSame = (d: Device) => d.name === device.name;
    return this.mergeObject(
      `device/${user}/${device.name}`,
      device,
      [link(`devices/${user}`, isSame, device)],
      fetchedAt,
    );
  }

  readStreams(user: string, device: string): Promise<Cached<Stream[]> | undefined> {
    return this.read<Stream[]>(`streams/${user}/${device}`);
  }
  mergeStreams(user: string, device: string, streams: Stream[], fetchedAt = this.now()): Promise<void> {
    const objects = streams.map((s): [string, Stream] => [`stream/${user}/${device}/${s.name}`, s]);
    return this.mergeList(`streams/${user}/${device}`, objects, streams, fetchedAt);
  }
  /** All streams of a user with their device names (`q=streams`), e.g. for the input page. */
  readUserStreams(user: string): Promise<Cached<UserStream[]> | undefined> {
    return this.read<UserStream[]>(`userstreams/${user}`);
  }
  mergeUserStreams(user: string, streams: UserStream[], fetchedAt = this.now()): Promise<void> {
    const objects = streams.map(({ device, ...stream }): [string, Stream] => [
      `stream/${user}/${device}/${stream.name}`,
      stream,
    ]);
    return this.mergeList(`userstreams/${user}`, objects, streams, fetchedAt);
  }
  /** A stream by path `user/device/stream`. */
  readStream(path: string): Promise<Cached<Stream> | undefined> {
    return this.read<Stream>(`stream/${path}`);
  }
  mergeStream(path: string, stream: Stream, fetchedAt = this.now()): Promise<void> {
    const [user, device] = path.split('/') as [string, string];
    const lists = [
      link(`streams/${user}/${device}`, (s: Stream) => s.name === stream.name, stream),
      link(`userstreams/${user}`, (s: UserStream) => s.device === device && s.name === stream.name, {
        ...stream,
        device,
      }),
    ];
    return this.mergeObject(`stream/${path}`, stream, lists, fetchedAt);
  }

  /** Forgets a deleted user with everything cached under it. */
  forgetUser(user: string): Promise<void> {
    return this.forget({
      keys: [`user/${user}`, `devices/${user}`, `userstreams/${user}`],
      prefixes: [`device/${user}/`, `streams/${user}/`, `stream/${user}/`],
      lists: [link('users', (u: User) => u.name === user)],
      dataPath: user,
    });
  }
  /** Forgets a deleted device with its streams and their data. */
  forgetDevice(user: string, device: string): Promise<void> {
    return this.forget({
      keys: [`device/${user}/${device}`, `streams/${user}/${device}`],
      prefixes: [`stream/${user}/${device}/`],
      lists: [
        link(`devices/${user}`, (d: Device) => d.name === device),
        link(`userstreams/${user}`, (s: UserStream) => s.device === device),
      ],
      dataPath: `${user}/${device}`,
    });
  }
  /** Forgets a deleted stream and its data. */
  forgetStream(path: string): Promise<void> {
    const [user, device, stream] = path.split('/') as [string, string, string];
    return this.forget({
      keys: [`stream/${path}`],
      prefixes: [],
      lists: [
        link(`streams/${user}/${device}`, (s: Stream) => s.name === stream),
        link(`userstreams/${user}`, (s: UserStream) => s.device === device && s.name === stream),
      ],
      dataPath: path,
    });
  }

  // ── data ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * The cached points of `(t1, t2]` (seconds); `isComplete` says whether the cached windows cover
   * the whole range. Undefined when nothing of it is cached.
   */
  async readRange(path: string, t1: number, t2: number): Promise<CachedRange | undefined> {
    const row = await this.db.ranges.get([this.viewer, path]);
    return row && readWindows(row.windows, t1, t2);
  }

  /**
   * Stores what the server answered for `(t1, t2]`; it replaces anything cached in that range.
   * Pass the range the answer really covers: after a read with a `limit` that was reached, `t2` is
   * the last point's `t`; an open end ("until now") is the time of the request.
   */
  mergeRange(
    path: string,
    t1: number,
    t2: number,
    points: readonly Datapoint[],
    fetchedAt = this.now(),
  ): Promise<void> {
    const window: CachedWindow = { t1, t2, fetchedAt, points: sortedCopy(points) };
    return this.db.transaction('rw', this.db.ranges, () => this.putWindow(path, window));
  }

  /**
   * The last `limit` cached points of the stream (what the table shows), from the window reaching
   * furthest in time and those joining it without a gap; `isComplete` is true when they hold
   * `limit` points or reach back to the beginning of the stream.
   */
  async readLatest(path: string, limit: number): Promise<CachedRange | undefined> {
    const windows = (await this.db.ranges.get([this.viewer, path]))?.windows ?? [];
    if (windows.length === 0) return undefined;
    const parts: Datapoint[][] = [];
    let count = 0;
    let fetchedAt = Infinity;
    let i = windows.length - 1;
    for (;;) {
      const w = windows[i]!;
      parts.unshift(w.points);
      count += w.points.length;
      fetchedAt = Math.min(fetchedAt, w.fetchedAt);
      if (count >= limit || i === 0 || windows[i - 1]!.t2 !== w.t1) break;
      i--;
    }
    const points = parts.flat();
    return {
      points: points.slice(Math.max(0, points.length - limit)),
      fetchedAt,
      isComplete: count >= limit || windows[i]!.t1 === -Infinity,
    };
  }

  /**
   * Stores the answer to "the last `limit` points" (`i1=-limit`): it covers everything from its
   * first point until the request, or the whole stream when fewer than `limit` came back.
   */
  mergeLatest(
    path: string,
    points: readonly Datapoint[],
    limit: number,
    fetchedAt = this.now(),
  ): Promise<void> {
    const sorted = sortedCopy(points);
    const first = sorted[0];
    const t1 = sorted.length < limit || !first ? -Infinity : nextDown(first.t);
    const t2 = Math.max(fetchedAt / 1000, sorted.at(-1)?.t ?? -Infinity);
    return this.mergeRange(path, t1, t2, sorted, fetchedAt);
  }

  /** Forgets everything cached for this viewer (e.g. on logout from a shared computer). */
  async clear(): Promise<void> {
    await this.db.transaction('rw', this.db.objects, this.db.ranges, async () => {
      await this.db.objects
        .where('[viewer+key]')
        .between([this.viewer], [this.viewer, Dexie.maxKey])
        .delete();
      await this.db.ranges
        .where('[viewer+path]')
        .between([this.viewer], [this.viewer, Dexie.maxKey])
        .delete();
    });
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  private async read<T>(key: string): Promise<Cached<T> | undefined> {
    const row = await this.db.objects.get([this.viewer, key]);
    return row && { value: row.value as T, fetchedAt: row.fetchedAt };
  }

  /** Stores a list and each of its objects, all with the list's `fetchedAt`. */
  private async mergeList(listKey: string, objects: [string, unknown][], list: unknown[], fetchedAt: number) {
    const viewer = this.viewer;
    await this.db.objects.bulkPut([
      { viewer, key: listKey, value: list, fetchedAt },
      ...objects.map(([key, value]) => ({ viewer, key, value, fetchedAt })),
    ]);
  }

  private mergeObject(key: string, value: unknown, lists: ListLink[], fetchedAt: number): Promise<void> {
    return this.db.transaction('rw', this.db.objects, async () => {
      await this.db.objects.put({ viewer: this.viewer, key, value, fetchedAt });
      for (const { list, isSame, entry } of lists) {
        const row = await this.db.objects.get([this.viewer, list]);
        if (!row) continue;
        // The list keeps its own fetchedAt: one fresh object does not make the others fresh.
        const entries = row.value as unknown[];
        const index = entries.findIndex(isSame);
        if (index >= 0) entries[index] = entry;
        else entries.push(entry);
        await this.db.objects.put(row);
      }
    });
  }

  private forget(what: { keys: string[]; prefixes: string[]; lists: ListLink[]; dataPath: string }) {
    const viewer = this.viewer;
    return this.db.transaction('rw', this.db.objects, this.db.ranges, async () => {
      await this.db.objects.bulkDelete(what.keys.map((key): [string, string] => [viewer, key]));
      // Prefixes end with '/', so forgetting `al` never touches `alice`.
      for (const prefix of what.prefixes) {
        await this.db.objects
          .where('[viewer+key]')
          .between([viewer, prefix], [viewer, `${prefix}\uffff`])
          .delete();
      }
      for (const { list, isSame } of what.lists) {
        const row = await this.db.objects.get([viewer, list]);
        if (!row) continue;
        row.value = (row.value as unknown[]).filter((entry) => !isSame(entry));
        await this.db.objects.put(row);
      }
      const path = what.dataPath;
      await this.db.ranges.delete([viewer, path]);
      await this.db.ranges
        .where('[viewer+path]')
        .between([viewer, `${path}/`], [viewer, `${path}/\uffff`])
        .delete();
    });
  }

  /** Must run inside a transaction on `ranges`. */
  private async putWindow(path: string, window: CachedWindow): Promise<void> {
    const viewer = this.viewer;
    const row = await this.db.ranges.get([viewer, path]);
    const merged = insertWindow(row?.windows ?? [], window);
    const windows = capWindows(
      merged,
      window,
      this.limits.maxPointsPerStream,
      this.limits.maxWindowsPerStream,
    );
    await this.db.ranges.put({ viewer, path, windows, usedAt: this.now() });
    if (!row) await evictStreams(this.db, viewer, path, this.limits.maxStreams);
  }
}

/**
 * Adds points the server just confirmed to the viewer's cached windows of the stream (called by
 * the outbox in the transaction that deletes the saved record). Points outside every cached window
 * are not added: a window must hold all the server's points of its range or none.
 */
export async function mergeSavedPoints(
  db: LocalDb,
  viewer: string,
  path: string,
  points: readonly Datapoint[],
): Promise<void> {
  const row = await db.ranges.get([viewer, path]);
  if (!row || !addPointsToWindows(row.windows, points)) return;
  row.windows = capWindows(row.windows, row.windows.at(-1), CACHE_LIMITS.maxPointsPerStream, Infinity);
  await db.ranges.put(row);
}

/** Drops the least recently used streams' data beyond `maxStreams`, never `current`'s. */
async function evictStreams(db: LocalDb, viewer: string, current: string, maxStreams: number): Promise<void> {
  const keys = await db.ranges
    .where('[viewer+usedAt]')
    .between([viewer], [viewer, Dexie.maxKey])
    .primaryKeys();
  const excess = keys.length - maxStreams;
  if (excess > 0) await db.ranges.bulkDelete(keys.filter(([, path]) => path !== current).slice(0, excess));
}

function sortedCopy(points: readonly Datapoint[]): Datapoint[] {
  const copy = points.map((p) => ({ ...p }));
  for (let i = 1; i < copy.length; i++) {
    if (copy[i]!.t < copy[i - 1]!.t) return copy.sort((a, b) => a.t - b.t);
  }
  return copy;
}
