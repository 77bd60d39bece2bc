/**
 * The words of the sync indicator (issue #4): `Offline` when offline, `N pending` while N points
 * wait, `All saved` when online with an empty queue — and both halves when both are true
 * (`Offline · 3 pending`), since an offline person still wants to know what waits. While a sync
 * pass sends, `syncing n of m` follows: how far the pass has got.
 */
import type { SyncStatus } from '../../store';

export interface SyncStatusText {
  kind: 'offline' | 'loading' | 'pending' | 'error' | 'rejected' | 'saved' | 'unavailable';
  /** The indicator's text. */
  text: string;
  /** A sentence saying what it means and what happens next (tooltip, queue view). */
  detail: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * `unavailableReason`: the app keeps nothing on this device (IndexedDB could not be opened), so
 * there is no queue to speak of. `nowMs` for "trying again in 2 min".
 */
export function syncStatusText(
  status: SyncStatus,
  unavailableReason: string | null = null,
  nowMs: number = Date.now(),
): SyncStatusText {
  if (unavailableReason) {
    return {
      kind: 'unavailable',
      text: status.online ? 'Online only' : 'Offline',
      detail: `This browser does not let Tributary keep values on this device (${unavailableReason}): values are sent straight to the server, and need a connection.`,
    };
  }
  const pending = status.pendingPoints;
  const rejected = status.rejectedPoints;
  const counts = [
    pending > 0 ? `${pending} pending` : undefined,
    rejected > 0 ? `${rejected} rejected` : undefined,
  ].filter((part): part is string => part !== undefined);
  const waiting =
    pending > 0
      ? `${plural(pending, 'value waits', 'values wait')} on this device.`
      : 'Nothing waits to be sent.';
  const refused =
    rejected > 0
      ? ` The server refused ${plural(rejected, 'value', 'values')}: retry or discard ${rejected === 1 ? 'it' : 'them'} in the queue.`
      : '';

  if (!status.online) {
    return {
      kind: 'offline',
      text: ['Offline', ...counts].join(' · '),
      detail:
        pending > 0
          ? `Offline. ${waiting} ${pending === 1 ? 'It is' : 'They are'} sent when the connection is back.${refused}`
          : `Offline. Values you enter are kept on this device and sent when the connection is back.${refused}`,
    };
  }
  if (!status.isLoaded) return { kind: 'loading', text: '', detail: 'Counting what waits to be sent…' };
  if (counts.length === 0) {
    return { kind: 'saved', text: 'All saved', detail: 'Everything you entered is on the server.' };
  }
  if (pending > 0 && status.lastError && !status.isSyncing) {
    const retry =
      status.nextAttemptAt === undefined
        ? ''
        : ` Trying again ${describeDelay(status.nextAttemptAt - nowMs)}.`;
    return {
      kind: 'error',
      text: counts.join(' · '),
      detail: `${waiting} The last attempt to send failed: ${status.lastError.msg}.${retry}${refused}`,
    };
  }
  if (pending > 0) {
    return {
      kind: 'pending',
      text: counts.join(' · '),
      detail: `${status.isSyncing ? 'Sending' : 'About to send'} ${plural(pending, 'value', 'values')}.${refused}`,
    };
  }
  return { kind: 'rejected', text: counts.join(' · '), detail: refused.trim() };
}

function describeDelay(ms: number): string {
  if (ms < 1_500) return 'now';
  if (ms < 90_000) return `in ${Math.round(ms / 1000)} s`;
  return `in ${Math.round(ms / 60_000)} min`;
}

/** How far a sync pass has got: the points it has to deliver, counting values entered meanwhile. */
export interface SyncProgress {
  total: number;
  /** The pending count at the last status, to tell new values from delivered ones. */
  lastPending: number;
}

/**
 * The progress after a new status: a pass begins when the engine starts sending, and ends when it
 * stops syncing (or the network goes). Applying the same status twice changes nothing.
 */
export function nextSyncProgress(
  progress: SyncProgress | undefined,
  status: SyncStatus,
): SyncProgress | undefined {
  if (!status.online || !status.isSyncing) return undefined;
  if (!progress) {
    return status.sendingPoints > 0
      ? { total: status.pendingPoints, lastPending: status.pendingPoints }
      : undefined;
  }
  // Values entered during the pass join it; values delivered leave `pendingPoints`.
  const added = Math.max(0, status.pendingPoints - progress.lastPending);
  if (added === 0 && status.pendingPoints === progress.lastPending) return progress;
  return { total: progress.total + added, lastPending: status.pendingPoints };
}

/**
 * "syncing 1,000 of 100,000" while a request is out: the points delivered once it is answered,
 * of the pass's total. Undefined between requests and outside a pass.
 */
export function syncProgressText(progress: SyncProgress | undefined, status: SyncStatus): string | undefined {
  if (!progress || status.sendingPoints === 0 || progress.total === 0) return undefined;
  const delivered = Math.max(0, progress.total - status.pendingPoints);
  const reached = Math.min(progress.total, delivered + status.sendingPoints);
  return `syncing ${reached.toLocaleString()} of ${progress.total.toLocaleString()}`;
}
