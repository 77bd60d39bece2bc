/**
 * Code splitting that still works offline. Pages and heavy widgets are separate chunks so the first
 * page downloads little; but a chunk first asked for after the network went away (the person
 * logged in, walked into a tunnel and opened a stream) could not load until the service worker had
 * cached it. So every lazily loaded module is registered here and all of them are loaded once the
 * first page is idle (`preloadLazyModules`): a module that has loaded once stays in the page's
 * module map, network or not.
 */
import { createElement, lazy, type ComponentType, type FC, type LazyExoticComponent } from 'react';

type Loader = () => Promise<unknown>;

const loaders = new Set<Loader>();
let isPreloading = false;
/** Preloads under way, and who waits for them all to settle. */
let pending = 0;
let settled: (() => void) | undefined;

function load(loader: Loader): void {
  pending++;
  // A failure (offline already, a deploy replaced the chunk) is retried when the module is used.
  void loader()
    .catch(() => undefined)
    .finally(() => {
      // Settled only once modules registered by the ones just loaded have been started too.
      if (--pending === 0) settled?.();
    });
}

/** Registers a dynamic import to be loaded ahead of use; returns it unchanged. */
export function preloadable<T>(loader: () => Promise<T>): () => Promise<T> {
  loaders.add(loader);
  // Registered by a module that itself arrived through preloading: load it too.
  if (isPreloading) load(loader);
  return loader;
}

/** Renewals of lazy components whose load failed (React keeps a failed lazy failed). */
const failedLoads = new Set<() => void>();

/**
 * Lets every lazy component whose load failed try again at its next render: on "Try again", and
 * when the browser is back online.
 */
export function retryFailedLoads(): void {
  const renewals = [...failedLoads];
  failedLoads.clear();
  for (const renew of renewals) renew();
}

if (typeof window !== 'undefined') window.addEventListener('online', retryFailedLoads);

/** `React.lazy` for a named export, loaded ahead of use; after a failed load, see `retryFailedLoads`. */
export function lazyWithPreload<Props extends object>(
  loader: () => Promise<ComponentType<Props>>,
): FC<Props> {
  const preloaded = preloadable(loader);
  const attempt = (): LazyExoticComponent<ComponentType<Props>> =>
    lazy(async () => {
      try {
        return { default: await preloaded() };
      } catch (error) {
        failedLoads.add(() => {
          current = attempt();
        });
        throw error;
      }
    });
  let current = attempt();
  return function LazyComponent(props: Props) {
    return createElement(current, props);
  };
}

/**
 * Loads every registered module (and those they register); call when the first page is idle.
 * Resolves when every one of them has loaded or failed.
 */
export function preloadLazyModules(): Promise<void> {
  if (isPreloading) return Promise.resolve();
  isPreloading = true;
  const done = new Promise<void>((resolve) => (settled = resolve));
  for (const loader of [...loaders]) load(loader);
  if (pending === 0) settled?.();
  return done;
}
