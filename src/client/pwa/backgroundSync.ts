/**
 * Background Sync (Chromium): a registered tag makes the browser wake the service worker once the
 * network is back, even when no page of the app is open, and the worker sends the outbox.
 */

/** The part of `ServiceWorkerRegistration` that Background Sync adds (not in TypeScript's DOM types). */
interface SyncManagerLike {
  register(tag: string): Promise<void>;
}

/**
 * Registers `tag` with the active service worker's Background Sync. Resolves without doing
 * anything where there is no service worker or no Background Sync (Firefox, Safari): there the
 * page sends the outbox whenever it is open and online.
 */
export async function requestBackgroundSync(tag: string): Promise<void> {
  const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  const registration = await container?.getRegistration();
  const sync = (registration as (ServiceWorkerRegistration & { sync?: SyncManagerLike }) | undefined)?.sync;
  if (registration?.active && sync) await sync.register(tag);
}
