/** One sender at a time across tabs and workers of an origin. */

/**
 * Runs `task` while holding a lock that excludes every other sync engine on the same database.
 * Engines without a lock are still safe — claims are IndexedDB transactions, so no two engines
 * send the same record at once — but a lock lets the holder take over orphaned claims at once.
 */
export type SyncLock = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A Web Locks lock (`navigator.locks`: windows, workers and service workers), or undefined where
 * the API is missing. Waiting callers queue behind the holder, so a pass requested while another
 * tab syncs still runs afterwards and finds what was queued meanwhile.
 */
export function webLock(name: string): SyncLock | undefined {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return undefined;
  return <T>(task: () => Promise<T>) =>
    locks.request(name, { mode: 'exclusive' }, () => task()) as Promise<T>;
}
