/**
 * Whether the device has a network, as the platform reports it. Injected into the sync engine so
 * that it runs the same in a page, a worker, the service worker and Node tests.
 */

/** A source of online/offline information. */
export interface Connectivity {
  /** False only when the platform is sure there is no network. */
  isOnline(): boolean;
  /** Calls `listener` on each change; returns the function that removes it. */
  subscribe(listener: (isOnline: boolean) => void): () => void;
}

/**
 * `navigator.onLine` and the `online`/`offline` events of the global scope, which windows and
 * workers (including service workers) both have. Where they are missing (Node), always online.
 */
export function browserConnectivity(): Connectivity {
  const scope = globalThis as Partial<Pick<typeof globalThis, 'addEventListener' | 'removeEventListener'>>;
  return {
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
    subscribe(listener) {
      if (typeof scope.addEventListener !== 'function' || typeof scope.removeEventListener !== 'function') {
        return () => undefined;
      }
      const online = () => listener(true);
      const offline = () => listener(false);
      scope.addEventListener('online', online);
      scope.addEventListener('offline', offline);
      return () => {
        scope.removeEventListener?.('online', online);
        scope.removeEventListener?.('offline', offline);
      };
    },
  };
}
