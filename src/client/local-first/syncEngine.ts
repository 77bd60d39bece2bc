/**
 * The sync engine: sends one user's outbox to the server with `method=insert` and an
 * `Idempotency-Key` per batch, so every point arrives once with the time it was given. No React and
 * no window-only APIs: the page, a worker or the service worker (Background Sync) can run it.
 */
import {
  ApiError,
  createIdempotencyKey,
  NetworkError,
  type ConnectionState,
  type TributaryClient,
} from '../../sdk';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { browserConnectivity, type Connectivity } from './connectivity';
import type { LocalDb, OutboxError, OutboxPoint, OutboxRecord } from './localDb';
import { countOutboxPoints, watchOutbox } from './outbox';
import {
  applyRefusal,
  claimNextRecord,
  markSaved,
  refusedDatapointIndex,
  releaseRecord,
} from './outboxTransitions';
import { webLock, type SyncLock } from './syncLock';
import type { SyncError, SyncStatus } from './syncStatus';

/** What the engine needs of the sdk's `TributaryClient` (tests pass fakes). */
export type SyncClient = Pick<TributaryClient, 'insert'> &
  Partial<Pick<TributaryClient, 'whoami' | 'onConnectionChange'>>;

/** Timers, injectable so that tests control backoff without faking the clock of IndexedDB. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link createSyncEngine}. */
export interface SyncEngineOptions {
  db: LocalDb;
  /** Must be logged in as `user` (checked with `whoami` before sending, when the client has it). */
  client: SyncClient;
  /** Whose outbox records this engine sends; records of other users stay untouched. */
  user: string;
  /** Clock in ms; default `Date.now`. */
  now?: () => number;
  /** For backoff jitter; default `Math.random`. */
  random?: () => number;
  /**
   * Excludes other engines on the same database. Default: Web Locks when available, else none
   * (then claims in IndexedDB still keep engines apart; see README.md). `null` forces none.
   */
  lock?: SyncLock | null;
  /** Online/offline source; default `navigator.onLine` and the global `online`/`offline` events. */
  connectivity?: Connectivity;
  timers?: Timers;
  backoff?: Partial<BackoffOptions>;
  /** Without a lock, a claim older than this (ms) is taken over; default 2 min (4 request timeouts' worth). */
  leaseMs?: number;
  /**
   * Requests in flight at once (default 4), from one stream or several. A stream's batches are
   * sent oldest first; their answers may arrive in any order, which `method=insert` makes harmless.
   */
  concurrency?: number;
  /** Consecutive 5xx/408/429 answers after which a batch is rejected instead of retried. Default 10. */
  maxServerErrors?: number;
  /**
   * The `whoami` answer the engine must see before sending; default `${user}/user` (the web app's
   * login). `null` skips the check (e.g. a device engine with an API key).
   */
  identity?: string | null;
  /**
   * Called when a pass fails for lack of network while points wait, e.g. to register a Background
   * Sync (`registration.sync.register(BACKGROUND_SYNC_TAG)`) so the service worker sends later.
   */
  requestBackgroundSync?: () => void | Promise<void>;
  /**
   * Called after the server confirmed a batch and it left the outbox, e.g. to show its points as
   * saved at once (a websocket may be down). Exceptions go to `onError`.
   */
  onSaved?: (path: string, points: readonly OutboxPoint[]) => void;
  /** Errors without a caller (a failing status listener, a failed count); default `console.error`. */
  onError?: (error: unknown) => void;
}

/** What the passes a `syncNow()` call waited for did. */
export interface SyncReport {
  /** How the last pass ended. */
  outcome: 'done' | 'offline' | 'network_error' | 'server_error' | 'auth_error' | 'stopped';
  /** Points the server confirmed. */
  savedPoints: number;
  /** Points the server refused (now rejected in the outbox). */
  rejectedPoints: number;
}

/** A running engine for one user. */
export interface SyncEngine {
  /** Starts listening (online events, websocket reconnects, outbox counts) and syncs once. */
  start(): void;
  /** Stops listening and timers; resolves when a running pass has ended. Not restartable. */
  stop(): Promise<void>;
  /**
   * Sends everything sendable now, ignoring backoff (the queue view's "retry", a new point, the
   * service worker's `sync` event). Calls during a pass join it and make it look again once done.
   * Never rejects: failures end up in the report and the status.
   */
  syncNow(): Promise<SyncReport>;
  /** Calls `listener` with the status now and on every change; returns the unsubscribe function. */
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** The current status snapshot. */
  getStatus(): SyncStatus;
}

/** The Background Sync tag the service worker answers with `engine.syncNow()`. */
export const BACKGROUND_SYNC_TAG = 'tributary-outbox';

const DEFAULT_LEASE_MS = 120_000;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MAX_SERVER_ERRORS = 10;

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** State of one pass, shared by its parallel workers. */
interface Pass {
  isExclusive: boolean;
  report: SyncReport;
  failure?: SyncError;
  /** When failed records will be tried again; fixed at the pass's first failure. */
  retryAt?: number;
}

/**
 * Creates the engine of `user`'s outbox. Failure handling (README.md): no answer → the batch stays
 * queued with its key and the engine backs off; 5xx/408/429 → the same, and after
 * `maxServerErrors` in a row the batch is rejected; 401 or a different login → nothing is touched
 * until the right user is back; other 4xx → rejected (a named bad datapoint alone); 409 → rejected,
 * `retry` then sends under a new key.
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, client, user } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const lock =
    options.lock === undefined ? webLock(`tributary-sync:${db.name}`) : (options.lock ?? undefined);
  const connectivity = options.connectivity ?? browserConnectivity();
  const timers = options.timers ?? defaultTimers;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const maxServerErrors = options.maxServerErrors ?? DEFAULT_MAX_SERVER_ERRORS;
  const identity = options.identity === undefined ? `${user}/user` : options.identity;
  const reportError = options.onError ?? ((error: unknown) => console.error('tributary sync:', error));
  const engineId = createIdempotencyKey();

  const listeners = new Set<(status: SyncStatus) => void>();
  const cleanups: (() => void)[] = [];
  /** False after a request got no answer, until one does or the platform reports a network again. */
  let isReachable = true;
  /** Consecutive failed passes, for backoff. */
  let failures = 0;
  /** A Background Sync was requested since the last successful pass. */
  let hasRequestedBackgroundSync = false;
  let timer: unknown;
  let running: Promise<SyncReport> | undefined;
  let isRequested = false;
  let isStarted = false;
  let isStopped = false;
  let status: SyncStatus = {
    online: connectivity.isOnline(),
    isLoaded: false,
    isSyncing: false,
    pendingPoints: 0,
    sendingPoints: 0,
    rejectedPoints: 0,
  };

  function publish(patch: Partial<SyncStatus>): void {
    const next: SyncStatus = { ...status, ...patch, online: connectivity.isOnline() && isReachable };
    if (isSameStatus(status, next)) return;
    status = next;
    for (const listener of listeners) {
      try {
        listener(status);
      } catch (error) {
        reportError(error);
      }
    }
  }

  function schedule(delayMs: number): void {
    cancelTimer();
    if (isStopped) return;
    timer = timers.setTimeout(() => {
      timer = undefined;
      void syncNow();
    }, delayMs);
  }

  function cancelTimer(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  }

  function syncNow(): Promise<SyncReport> {
    if (isStopped) return Promise.resolve(emptyReport('stopped'));
    isRequested = true;
    running ??= drain().finally(() => {
      running = undefined;
      // A request made after the loop's last check but before this point still gets its pass.
      if (isRequested && !isStopped) void syncNow();
    });
    return running;
  }

  /** Runs passes while more are requested; the report sums them, with the last pass's outcome. */
  async function drain(): Promise<SyncReport> {
    const total = emptyReport(isStopped ? 'stopped' : 'done');
    while (isRequested && !isStopped) {
      isRequested = false;
      const report = await runPass();
      total.outcome = report.outcome;
      total.savedPoints += report.savedPoints;
      total.rejectedPoints += report.rejectedPoints;
    }
    return total;
  }

  async function runPass(): Promise<SyncReport> {
    cancelTimer();
    if (!connectivity.isOnline()) {
      publish({});
      return emptyReport('offline');
    }
    const pass: Pass = { isExclusive: lock !== undefined, report: emptyReport('done') };
    publish({ isSyncing: true });
    try {
      await (lock ? lock(() => sendAll(pass)) : sendAll(pass));
    } catch (error) {
      // Counting or the lock failed: try again later like after a server error.
      reportError(error);
      pass.failure ??= { kind: 'server', msg: describe(error), at: now() };
    }
    return finishPass(pass);
  }

  async function sendAll(pass: Pass): Promise<void> {
    // No request at all when there is nothing to send.
    if ((await countOutboxPoints(db, user)).pending === 0) return;
    pass.failure = await checkIdentity();
    if (pass.failure) return;
    const worker = async () => {
      try {
        while (!isStopped && !pass.failure) {
          const record = await claimNextRecord(db, {
            user,
            engineId,
            now: now(),
            isExclusive: pass.isExclusive,
            leaseMs,
            maxInFlightPerStream: concurrency,
          });
          if (!record) return;
          const failure = await send(record, pass);
          if (failure) pass.failure ??= failure;
        }
      } catch (error) {
        // IndexedDB failed (quota, a closed database) or a bug. Caught here, not by Promise.all,
        // so that the pass (and its lock) ends only after every worker has stopped. A record left
        // in `sending` is taken over later with its key.
        reportError(error);
        pass.failure ??= { kind: 'server', msg: describe(error), at: now() };
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Sends one claimed record and settles it; returns a failure that ends the pass. */
  async function send(record: OutboxRecord, pass: Pass): Promise<SyncError | undefined> {
    try {
      await client.insert(record.path, record.points, {
        method: 'insert',
        idempotencyKey: record.idempotencyKey,
      });
    } catch (error) {
      return settleFailure(record, error, pass);
    }
    isReachable = true;
    await markSaved(db, record);
    pass.report.savedPoints += record.pointCount;
    if (options.onSaved) {
      try {
        options.onSaved(record.path, record.points);
      } catch (error) {
        reportError(error);
      }
    }
    return undefined;
  }

  async function settleFailure(
    record: OutboxRecord,
    error: unknown,
    pass: Pass,
  ): Promise<SyncError | undefined> {
    const at = now();
    const release = (reason: OutboxError, isServerError: boolean) =>
      releaseRecord(db, record, {
        engineId,
        now: at,
        error: reason,
        nextAttemptAt: retryAt(pass),
        isServerError,
        maxServerErrors,
      });

    if (isNetworkError(error)) {
      isReachable = false;
      await release({ status: 0, msg: describe(error) }, false);
      return { kind: 'network', msg: describe(error), at };
    }
    if (!isApiError(error)) {
      if (error instanceof TypeError) {
        // The sdk refused the request itself (a malformed path): it can never succeed.
        await applyRefusal(db, record, { status: 0, msg: error.message }, { engineId, now: at });
        pass.report.rejectedPoints += record.pointCount;
        return undefined;
      }
      reportError(error);
      await release({ status: 0, msg: describe(error) }, true);
      return { kind: 'server', msg: describe(error), at };
    }
    isReachable = true;
    const reason: OutboxError = { status: error.status, msg: error.msg };
    if (error.status === 401) {
      await release(reason, false);
      return { kind: 'auth', status: 401, msg: error.msg, at };
    }
    if (error.isRetryable) {
      const state = await release(reason, true);
      if (state === 'rejected') pass.report.rejectedPoints += record.pointCount;
      return { kind: 'server', status: error.status, msg: error.msg, at };
    }
    // A refusal that names no datapoint may mean that someone else logged in meanwhile (their
    // cookie now rides on our requests): that is no reason to reject this user's points.
    if (refusedDatapointIndex(error.msg) === undefined && (error.status === 403 || error.status === 404)) {
      const wrongLogin = await checkIdentity();
      if (wrongLogin) {
        await release(reason, false);
        return wrongLogin;
      }
    }
    const outcome = await applyRefusal(db, record, reason, { engineId, now: at });
    if (outcome === 'rejected') pass.report.rejectedPoints += record.pointCount;
    if (outcome === 'split') pass.report.rejectedPoints += 1;
    return undefined;
  }

  /** Undefined when the client is logged in as the outbox's user, else why not. */
  async function checkIdentity(): Promise<SyncError | undefined> {
    if (identity === null || !client.whoami) return undefined;
    let who: string;
    try {
      who = (await client.whoami()).trim();
    } catch (error) {
      if (isNetworkError(error)) {
        isReachable = false;
        return { kind: 'network', msg: describe(error), at: now() };
      }
      const kind = isApiError(error) && !error.isRetryable ? 'auth' : 'server';
      return { kind, status: isApiError(error) ? error.status : undefined, msg: describe(error), at: now() };
    }
    isReachable = true;
    if (who === identity) return undefined;
    return {
      kind: 'auth',
      msg: `Logged in as ${who}, not ${identity}: ${user}'s points wait until ${user} logs in`,
      at: now(),
    };
  }

  function retryAt(pass: Pass): number {
    pass.retryAt ??= now() + backoffDelayMs(failures + 1, backoff, random);
    return pass.retryAt;
  }

  async function finishPass(pass: Pass): Promise<SyncReport> {
    const report = pass.report;
    const failure = pass.failure;
    if (failure) {
      const at = retryAt(pass);
      failures += 1;
      report.outcome =
        failure.kind === 'network'
          ? 'network_error'
          : failure.kind === 'auth'
            ? 'auth_error'
            : 'server_error';
      schedule(Math.max(0, at - now()));
      publish({ isSyncing: false, lastError: failure, nextAttemptAt: at });
      if (failure.kind === 'network' && options.requestBackgroundSync && !hasRequestedBackgroundSync) {
        hasRequestedBackgroundSync = true;
        try {
          await options.requestBackgroundSync();
        } catch (error) {
          reportError(error);
        }
      }
      return report;
    }
    failures = 0;
    hasRequestedBackgroundSync = false;
    publish({ isSyncing: false, lastError: undefined, nextAttemptAt: undefined, lastSyncAt: now() });
    // Points still pending here are held by another engine's claim: look again once it may have
    // expired (if that engine is alive, it sends them itself long before).
    try {
      if ((await countOutboxPoints(db, user)).pending > 0) schedule(leaseMs);
    } catch (error) {
      reportError(error);
    }
    return report;
  }

  return {
    start() {
      if (isStarted || isStopped) return;
      isStarted = true;
      cleanups.push(
        watchOutbox(
          db,
          () => countOutboxPoints(db, user),
          (counts) =>
            publish({
              isLoaded: true,
              pendingPoints: counts.pending,
              sendingPoints: counts.sending,
              rejectedPoints: counts.rejected,
            }),
          { onError: reportError },
        ),
        connectivity.subscribe((isOnline) => {
          if (isOnline) isReachable = true;
          publish({});
          if (isOnline) void syncNow();
        }),
      );
      if (client.onConnectionChange) {
        // The websocket (re)opened: the server is reachable again.
        cleanups.push(
          client.onConnectionChange((state: ConnectionState) => {
            if (state !== 'open') return;
            isReachable = true;
            publish({});
            void syncNow();
          }),
        );
      }
      void syncNow();
    },

    async stop() {
      isStopped = true;
      cancelTimer();
      for (const cleanup of cleanups.splice(0)) cleanup();
      listeners.clear();
      await running;
    },

    syncNow,

    subscribe(listener) {
      listeners.add(listener);
      listener(status);
      return () => listeners.delete(listener);
    },

    getStatus: () => status,
  };
}

function emptyReport(outcome: SyncReport['outcome']): SyncReport {
  return { outcome, savedPoints: 0, rejectedPoints: 0 };
}

// `instanceof` plus the name: a service worker bundle may carry its own copy of the sdk classes.
function isNetworkError(error: unknown): error is NetworkError {
  return error instanceof NetworkError || (error instanceof Error && error.name === 'NetworkError');
}

function isApiError(error: unknown): error is ApiError {
  return (
    error instanceof ApiError ||
    (error instanceof Error && error.name === 'ApiError' && typeof (error as ApiError).status === 'number')
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isSameStatus(a: SyncStatus, b: SyncStatus): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof SyncStatus)[]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
