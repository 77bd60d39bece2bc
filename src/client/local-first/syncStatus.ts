/**
 * What the sync indicator shows: a snapshot the engine publishes on every change, and the words
 * for it (DESIGN.md §4: `Offline`, `N pending`, `All saved`).
 */

/** Why the last sync attempt of this engine failed; cleared by the next successful pass. */
export interface SyncError {
  /** `network`: no answer; `server`: 5xx/408/429; `auth`: not logged in as the outbox's user. */
  kind: 'network' | 'server' | 'auth';
  /** The HTTP status when the server answered. */
  status?: number;
  msg: string;
  /** When it happened (ms). */
  at: number;
}

/** The engine's status snapshot; counts are points of the engine's user, in every tab. */
export interface SyncStatus {
  /** The browser reports a network and the server answered the last attempt to reach it. */
  online: boolean;
  /** False until the outbox has been counted once (the counts below are then 0, not known). */
  isLoaded: boolean;
  /** This engine is running a sync pass. */
  isSyncing: boolean;
  /** Points not yet confirmed by the server: queued plus sending. */
  pendingPoints: number;
  /** Points in a request right now (part of `pendingPoints`). */
  sendingPoints: number;
  /** Points the server refused, waiting for retry or discard in the queue view. */
  rejectedPoints: number;
  /** When a pass last ended with nothing left to send (ms). */
  lastSyncAt?: number;
  lastError?: SyncError;
  /** When the engine's timer will try again after a failure (ms). */
  nextAttemptAt?: number;
}

/** The indicator's state and text. */
export interface SyncLabel {
  kind: 'offline' | 'loading' | 'pending' | 'rejected' | 'saved';
  text: string;
}

/**
 * `Offline` when offline (pending points wait locally), `N pending` while N points wait, `N
 * rejected` when refused points wait for a decision, `All saved` when online with an empty queue.
 */
export function describeSyncStatus(status: SyncStatus): SyncLabel {
  if (!status.online) return { kind: 'offline', text: 'Offline' };
  if (!status.isLoaded) return { kind: 'loading', text: '' };
  if (status.pendingPoints > 0) return { kind: 'pending', text: `${status.pendingPoints} pending` };
  if (status.rejectedPoints > 0) return { kind: 'rejected', text: `${status.rejectedPoints} rejected` };
  return { kind: 'saved', text: 'All saved' };
}
