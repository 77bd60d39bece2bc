/// <reference lib="webworker" />
/**
 * The service worker (vite-plugin-pwa, `injectManifest`): precaches the app shell so that every
 * page opens offline, and sends the outbox when Background Sync fires. It never caches API
 * responses — the app's IndexedDB cache is the offline data source and says how old its data is —
 * so nothing stale is ever served as fresh. A new version waits until the page's "Reload" (the
 * update prompt) tells it to take over.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { BACKGROUND_SYNC_TAG } from '../local-first/syncEngine';
import { sendOutbox } from './sendOutbox';

declare const self: ServiceWorkerGlobalScope;

/** Background Sync's event (Chromium); not in TypeScript's WebWorker types. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Page routes (`/`, `/alice/phone/steps`, `/queue`, …) get the app shell; the API never does.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api(\/|$)/] }));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first version controls the page that installed it at once (its lazy pages then load from the
// cache when the network goes); an update takes over only after the prompt, then the page reloads.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag === BACKGROUND_SYNC_TAG) sync.waitUntil(sendOutbox());
});
