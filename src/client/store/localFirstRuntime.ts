/**
 * The store's side of the local-first layer (`client/local-first`, DESIGN.md §4): for the person
 * logged in, the IndexedDB outbox every insert goes through, the sync engine that delivers it, and
 * the read cache. The layer is a separate chunk, loaded while the session is checked, so Dexie is
 * not part of the first download. Where IndexedDB cannot be opened, `current()` stays undefined
 * and the store talks to the server directly.
 */
import type {
  Connectivity,
  LocalCache,
  LocalDb,
  Outbox,
  OutboxError,
  OutboxPoint,
  PendingPoint,
  SyncEngine,
  SyncEngineOptions,
  SyncStatus,
} from '../local-first';
import type * as LocalFirst from '../local-first';
import type { ApiClient } from './storeDeps';

/** The local-first module, as `import('../local-first')` gives it. */
export type LocalFirstModule = typeof LocalFirst;

/** What the store needs to run the local-first layer; tests pass fake-indexeddb and fake timers. */
export interface LocalFirstDeps {
  /** Loads the module (in the browser a lazily loaded chunk). */
  load(): Promise<LocalFirstModule>;
  /** Opens the app's one IndexedDB database. */
  openDb(module: LocalFirstModule): Promise<LocalDb>;
  /** Online and offline as the platform reports it. */
  connectivity: Connectivity;
  /** Engine options tests replace (timers, lock, backoff); the browser uses the defaults. */
  engineOptions?: Partial<
    Pick<SyncEngineOptions, 'timers' | 'lock' | 'backoff' | 'random' | 'now' | 'leaseMs' | 'connectivity'>
  >;
  /**
   * Asks the browser to keep this origin's storage (the outbox may hold the only copy of a value);
   * default the module's `requestPersistentStorage`.
   */
  requestPersistentStorage?(): Promise<boolean>;
  /** Registers a Background Sync under `tag`, so the service worker sends the outbox when the network is back. */
  requestBackgroundSync?(tag: string): Promise<void>;
}

/** The logged-in person's parts of the layer. */
export interface LocalFirstParts {
  user: string;
  db: LocalDb;
  outbox: Outbox;
  cache: LocalCache;
  engine: SyncEngine;
}

/** Where a followed point is: still in the outbox (with its state), saved, or discarded here. */
export type FollowedState =
  { state: 'queued' | 'sending' | 'rejected'; error?: OutboxError } | { state: 'saved' | 'discarded' };

interface Follower {
  t: number;
  d: unknown;
  key: string;
  onChange(state: FollowedState): void;
  last?: string;
}

const OFFLINE_STATUS: SyncStatus = {
  online: true,
  isLoaded: false,
  isSyncing: false,
  pendingPoints: 0,
  sendingPoints: 0,
  rejectedPoints: 0,
};

/** A point's identity among a stream's points: its time and value. */
export function pointKey(t: number, d: unknown): string {
  return `${t}\u0000${JSON.stringify(d)}`;
}

/** Creates the runtime of one store. */
export function createLocalFirstRuntime(options: {
  client: ApiClient;
  localFirst?: LocalFirstDeps;
  onError?: (error: unknown) => void;
}): LocalFirstRuntime {
  return new LocalFirstRuntime(options);
}

/** See the file comment. One per store. */
export class LocalFirstRuntime {
  private readonly client: ApiClient;
  private readonly deps: LocalFirstDeps | undefined;
  private readonly reportError: (error: unknown) => void;
  private opened: Promise<{ module: LocalFirstModule; db: LocalDb }> | undefined;
  private module: LocalFirstModule | undefined;
  private parts: LocalFirstParts | undefined;
  private startingUser: string | undefined;
  private starting: Promise<LocalFirstParts | undefined> | undefined;
  private stopEngineStatus: (() => void) | undefined;
  private status: SyncStatus;
  private readonly statusListeners = new Set<(status: SyncStatus) => void>();
  private readonly partsListeners = new Set<() => void>();
  private readonly savedListeners = new Set<(path: string, points: readonly OutboxPoint[]) => void>();
  private readonly followers = new Map<string, { list: Set<Follower>; stop: () => void }>();
  /** Points discarded through this runtime: a followed point that leaves the outbox was not saved. */
  private readonly discarded = new Set<string>();
  private hasAskedPersistence = false;
  /** Why the layer is unavailable (IndexedDB could not be opened), once known. */
  unavailableReason: string | undefined;
  /** Whether the browser granted persistent storage; undefined until asked. */
  isPersistent: boolean | undefined;
  /** When values shown by the store were fetched (ms), by cache key: the age of what a page shows. */
  readonly fetchedAt = new Map<string, number>();

  constructor(options: {
    client: ApiClient;
    localFirst?: LocalFirstDeps;
    onError?: (error: unknown) => void;
  }) {
    this.client = options.client;
    this.deps = options.localFirst;
    this.reportError = options.onError ?? ((error) => console.error('tributary local-first:', error));
    this.status = { ...OFFLINE_STATUS, online: this.isOnline() };
    this.deps?.connectivity.subscribe(() => {
      // Without an engine the status follows the platform; with one, the engine publishes itself.
      if (!this.parts) this.publish({ ...this.status, online: this.isOnline() });
    });
  }

  /** Whether the platform reports a network. */
  isOnline(): boolean {
    return this.deps ? this.deps.connectivity.isOnline() : true;
  }

  /** Starts loading the module and opening the database, e.g. while the session is being checked. */
  preload(): void {
    if (this.deps) void this.open().catch(() => undefined);
  }

  /** Starts the outbox, cache and engine of `user` (stopping another user's first). */
  start(user: string): Promise<LocalFirstParts | undefined> {
    if (this.parts?.user === user) return Promise.resolve(this.parts);
    if (this.startingUser === user && this.starting) return this.starting;
    const previous = this.parts;
    this.startingUser = user;
    this.starting = (async () => {
      if (previous) await this.stopParts();
      if (!this.deps) return undefined;
      try {
        const { module, db } = await this.open();
        if (this.startingUser !== user) return undefined;
        const engine = module.createSyncEngine({
          db,
          client: this.client,
          user,
          connectivity: this.deps.connectivity,
          requestBackgroundSync: () => this.requestBackgroundSync(),
          onSaved: (path, points) => {
            for (const listener of this.savedListeners) listener(path, points);
          },
          onError: this.reportError,
          ...this.deps.engineOptions,
        });
        const parts: LocalFirstParts = {
          user,
          db,
          outbox: module.createOutbox({ db, user }),
          cache: module.createLocalCache({ db, viewer: user }),
          engine,
        };
        this.parts = parts;
        this.stopEngineStatus = engine.subscribe((status) => this.publish(status));
        engine.start();
        for (const listener of this.partsListeners) listener();
        this.askForPersistence();
        return parts;
      } catch (error) {
        this.unavailableReason = error instanceof Error ? error.message : String(error);
        this.reportError(error);
        // The indicator then says that nothing is kept on this device.
        this.publish({ ...this.status, online: this.isOnline() });
        return undefined;
      } finally {
        if (this.startingUser === user) this.startingUser = undefined;
      }
    })();
    return this.starting;
  }

  /** Stops the engine (a running pass ends first) and forgets the user's parts. */
  async stop(): Promise<void> {
    this.startingUser = undefined;
    await this.stopParts();
  }

  /** The current user's parts, or undefined (signed out, starting, or no IndexedDB). */
  current(): LocalFirstParts | undefined {
    return this.parts;
  }

  /** The current user's parts once a start under way has finished. */
  async ready(): Promise<LocalFirstParts | undefined> {
    if (this.parts) return this.parts;
    await this.starting;
    return this.parts;
  }

  /** The sync status now. */
  getStatus(): SyncStatus {
    return this.status;
  }

  /** Calls `listener` on each status change; returns the unsubscribe function. */
  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Calls `listener` with every batch the server confirmed. */
  onSaved(listener: (path: string, points: readonly OutboxPoint[]) => void): () => void {
    this.savedListeners.add(listener);
    return () => this.savedListeners.delete(listener);
  }

  /**
   * Runs `subscribe` with the current user's parts now and again whenever they change (another
   * user logs in), cleaning up the previous subscription; returns the function that stops.
   */
  follow(subscribe: (parts: LocalFirstParts) => () => void): () => void {
    let cleanup: (() => void) | undefined;
    const apply = () => {
      cleanup?.();
      cleanup = this.parts ? subscribe(this.parts) : undefined;
    };
    apply();
    this.partsListeners.add(apply);
    return () => {
      this.partsListeners.delete(apply);
      cleanup?.();
      cleanup = undefined;
    };
  }

  /**
   * Follows one queued point of `path` through the outbox: `onChange` hears queued, sending,
   * rejected (with the reason) and finally saved — or discarded, when it left through `discard`.
   * One outbox watcher per stream, whatever the number of points followed.
   */
  followPoint(path: string, t: number, d: unknown, onChange: (state: FollowedState) => void): () => void {
    const parts = this.parts;
    if (!parts) return () => undefined;
    const follower: Follower = { t, d, key: pointKey(t, d), onChange };
    let entry = this.followers.get(path);
    if (!entry) {
      const list = new Set<Follower>();
      const stop = parts.outbox.watchPendingPoints(path, (points) => this.updateFollowers(list, points), {
        onError: this.reportError,
      });
      entry = { list, stop };
      this.followers.set(path, entry);
    }
    entry.list.add(follower);
    const current = entry;
    return () => {
      current.list.delete(follower);
      if (current.list.size === 0 && this.followers.get(path) === current) {
        current.stop();
        this.followers.delete(path);
      }
    };
  }

  /**
   * Queues a value in the outbox (resolves once it is in IndexedDB) and starts sending it; offline,
   * asks for a Background Sync so that it leaves even if the app is closed before the network is back.
   */
  async enqueue(parts: LocalFirstParts, path: string, t: number, d: unknown): Promise<void> {
    await parts.outbox.enqueue(path, { t, d });
    if (this.isOnline()) void parts.engine.syncNow();
    else void this.requestBackgroundSync();
  }

  /** Notes points about to be discarded, so that followers hear `discarded` rather than `saved`. */
  noteDiscarded(points: readonly OutboxPoint[]): void {
    for (const { t, d } of points) this.discarded.add(pointKey(t, d));
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private open(): Promise<{ module: LocalFirstModule; db: LocalDb }> {
    const deps = this.deps;
    if (!deps) return Promise.reject(new Error('No local-first layer'));
    this.opened ??= (async () => {
      const module = await deps.load();
      this.module = module;
      return { module, db: await deps.openDb(module) };
    })();
    // A failed open may succeed later (a blocked upgrade): try again next time.
    this.opened.catch(() => (this.opened = undefined));
    return this.opened;
  }

  private async stopParts(): Promise<void> {
    const parts = this.parts;
    this.parts = undefined;
    this.stopEngineStatus?.();
    this.stopEngineStatus = undefined;
    for (const { stop } of this.followers.values()) stop();
    this.followers.clear();
    this.discarded.clear();
    this.fetchedAt.clear();
    if (parts) {
      for (const listener of this.partsListeners) listener();
      await parts.engine.stop();
    }
    this.publish({ ...OFFLINE_STATUS, online: this.isOnline() });
  }

  private publish(status: SyncStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.reportError(error);
      }
    }
  }

  private updateFollowers(list: Set<Follower>, points: readonly PendingPoint[]): void {
    const byKey = new Map<string, PendingPoint>();
    for (const point of points) byKey.set(pointKey(point.t, point.d), point);
    for (const follower of list) {
      const point = byKey.get(follower.key);
      let state: FollowedState;
      if (point) state = point.error ? { state: point.state, error: point.error } : { state: point.state };
      else state = { state: this.discarded.has(follower.key) ? 'discarded' : 'saved' };
      const signature = JSON.stringify(state);
      if (signature === follower.last) continue;
      follower.last = signature;
      follower.onChange(state);
    }
  }

  private async requestBackgroundSync(): Promise<void> {
    const tag = this.module?.BACKGROUND_SYNC_TAG;
    if (!tag || !this.deps?.requestBackgroundSync) return;
    try {
      await this.deps.requestBackgroundSync(tag);
    } catch {
      // No service worker or no Background Sync: the page sends when it is open and online.
    }
  }

  private askForPersistence(): void {
    const module = this.module;
    if (this.hasAskedPersistence || !this.deps || !module) return;
    this.hasAskedPersistence = true;
    (this.deps.requestPersistentStorage ?? module.requestPersistentStorage)()
      .then((isPersistent) => {
        this.isPersistent = isPersistent;
        this.publish({ ...this.status });
      })
      .catch(this.reportError);
  }
}
