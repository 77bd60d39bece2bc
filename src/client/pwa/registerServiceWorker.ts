/**
 * Registers the service worker (src/client/pwa/sw.ts) and shows the update prompt: when a new
 * version has been deployed and installed, a toast offers "Reload"; the new version takes over
 * only then (it waits, so a page is never switched to new code under a person's fingers).
 */
import { registerSW } from 'virtual:pwa-register';
import { useAppStore } from '../store';

/** The prompt's words; e2e tests look for them. */
export const UPDATE_MESSAGE = 'A new version of Tributary is ready.';

export function registerServiceWorker(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  let isPromptShown = false;
  const update = registerSW({
    immediate: true,
    onNeedRefresh() {
      // workbox-window may announce the same waiting worker twice (installed, then waiting).
      if (isPromptShown) return;
      isPromptShown = true;
      useAppStore.getState().notify(UPDATE_MESSAGE, 'info', {
        label: 'Reload',
        isSticky: true,
        // The waiting worker takes over, then the page reloads with the new version. (workbox-window
        // reloads only a page that was controlled when it loaded; the first visit's page was not.)
        run: () => {
          navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
            once: true,
          });
          void update(true);
        },
      });
    },
    onRegisterError(error: unknown) {
      // Plain HTTP on a network address, or a private window: the app works, just not offline.
      console.warn('Tributary works online only here: the service worker was not registered.', error);
    },
  });
}
