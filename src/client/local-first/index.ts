/**
 * Tributary's local-first layer (DESIGN.md §4, README.md here): the IndexedDB outbox every insert
 * goes through, the sync engine that delivers it exactly once, and the read cache. Plain
 * TypeScript without React; the store wraps it.
 *
 * ```ts
 * const db = await openLocalDb();
 * const outbox = createOutbox({ db, user });
 * const engine = createSyncEngine({ db, client, user });
 * engine.subscribe((status) => set({ sync: describeSyncStatus(status) }));
 * engine.start();
 * await outbox.enqueue('alice/user/mood', { t: Date.now() / 1000, d: 4 });
 * void engine.syncNow();
 * ```
 */
export {
  openLocalDb,
  requestPersistentStorage,
  LocalDb,
  DEFAULT_DB_NAME,
  MAX_POINTS_PER_RECORD,
  type LocalDbOptions,
  type OutboxRecord,
  type OutboxState,
  type OutboxError,
  type OutboxPoint,
} from './localDb';
export {
  createOutbox,
  Outbox,
  type OutboxOptions,
  type OutboxCounts,
  type PendingPoint,
  type QueueActionResult,
  type Listener,
  type WatchOptions,
} from './outbox';
export {
  createSyncEngine,
  BACKGROUND_SYNC_TAG,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncClient,
  type SyncReport,
  type Timers,
} from './syncEngine';
export { describeSyncStatus, type SyncStatus, type SyncError, type SyncLabel } from './syncStatus';
export { DEFAULT_BACKOFF, backoffDelayMs, type BackoffOptions } from './backoff';
export { browserConnectivity, type Connectivity } from './connectivity';
export { webLock, type SyncLock } from './syncLock';
export {
  createLocalCache,
  LocalCache,
  CACHE_LIMITS,
  type Cached,
  type CachedRange,
  type LocalCacheOptions,
} from './cache';
export { overlayPending, type DisplayPoint } from './overlayPending';
