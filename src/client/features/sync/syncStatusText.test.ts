import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../store';
import { nextSyncProgress, syncProgressText, syncStatusText, type SyncProgress } from './syncStatusText';

const status = (patch: Partial<SyncStatus> = {}): SyncStatus => ({
  online: true,
  isLoaded: true,
  isSyncing: false,
  pendingPoints: 0,
  sendingPoints: 0,
  rejectedPoints: 0,
  ...patch,
});

describe('syncStatusText', () => {
  it('says All saved when online with an empty queue', () => {
    expect(syncStatusText(status())).toMatchObject({ kind: 'saved', text: 'All saved' });
  });

  it('says N pending while points wait', () => {
    expect(syncStatusText(status({ pendingPoints: 3, isSyncing: true }))).toMatchObject({
      kind: 'pending',
      text: '3 pending',
      detail: 'Sending 3 values.',
    });
  });

  it('says Offline when offline, with what waits', () => {
    expect(syncStatusText(status({ online: false }))).toMatchObject({ kind: 'offline', text: 'Offline' });
    const offline = syncStatusText(status({ online: false, pendingPoints: 3 }));
    expect(offline.text).toBe('Offline · 3 pending');
    expect(offline.detail).toBe(
      'Offline. 3 values wait on this device. They are sent when the connection is back.',
    );
    // Offline wins even before the outbox is counted.
    expect(syncStatusText(status({ online: false, isLoaded: false })).text).toBe('Offline');
  });

  it('counts refused points apart and points to the queue', () => {
    const text = syncStatusText(status({ rejectedPoints: 1, pendingPoints: 2 }));
    expect(text.text).toBe('2 pending · 1 rejected');
    expect(syncStatusText(status({ rejectedPoints: 1 }))).toMatchObject({
      kind: 'rejected',
      text: '1 rejected',
      detail: 'The server refused 1 value: retry or discard it in the queue.',
    });
  });

  it('explains a failed attempt and when the next one is', () => {
    const text = syncStatusText(
      status({
        pendingPoints: 1,
        lastError: { kind: 'server', status: 503, msg: 'Service unavailable', at: 0 },
        nextAttemptAt: 10_000,
      }),
      null,
      0,
    );
    expect(text).toMatchObject({ kind: 'error', text: '1 pending' });
    expect(text.detail).toBe(
      '1 value waits on this device. The last attempt to send failed: Service unavailable. Trying again in 10 s.',
    );
  });

  it('shows nothing until the outbox is counted, and says when nothing can be kept offline', () => {
    expect(syncStatusText(status({ isLoaded: false })).text).toBe('');
    expect(syncStatusText(status({ isLoaded: false }), 'IndexedDB is blocked')).toMatchObject({
      kind: 'unavailable',
      text: 'Online only',
    });
  });
});

describe('syncing n of m', () => {
  /** Runs the statuses of one pass through the progress, as the indicator does. */
  function texts(statuses: Partial<SyncStatus>[]): (string | undefined)[] {
    let progress: SyncProgress | undefined;
    return statuses.map((patch) => {
      const current = status(patch);
      progress = nextSyncProgress(progress, current);
      // The same status again (React renders twice) changes nothing.
      expect(nextSyncProgress(progress, current)).toBe(progress);
      return syncProgressText(progress, current);
    });
  }

  it('counts a pass in batches up to its total', () => {
    expect(
      texts([
        { isSyncing: true, pendingPoints: 2_500 },
        { isSyncing: true, pendingPoints: 2_500, sendingPoints: 1_000 },
        { isSyncing: true, pendingPoints: 1_500, sendingPoints: 1_000 },
        { isSyncing: true, pendingPoints: 500, sendingPoints: 500 },
        { isSyncing: false, pendingPoints: 0 },
      ]),
    ).toEqual([
      undefined,
      'syncing 1,000 of 2,500',
      'syncing 2,000 of 2,500',
      'syncing 2,500 of 2,500',
      undefined,
    ]);
  });

  it('adds values entered during the pass to its total, and starts again after it', () => {
    expect(
      texts([
        { isSyncing: true, pendingPoints: 3, sendingPoints: 3 },
        { isSyncing: true, pendingPoints: 4, sendingPoints: 3 },
        { isSyncing: true, pendingPoints: 1, sendingPoints: 1 },
        { isSyncing: false, pendingPoints: 0 },
        { isSyncing: true, pendingPoints: 1, sendingPoints: 1 },
      ]),
    ).toEqual(['syncing 3 of 3', 'syncing 3 of 4', 'syncing 4 of 4', undefined, 'syncing 1 of 1']);
  });

  it('says nothing offline, where the text is Offline and what waits', () => {
    expect(texts([{ online: false, isSyncing: true, pendingPoints: 3, sendingPoints: 3 }])).toEqual([
      undefined,
    ]);
  });
});
