import { expect, type Locator, type Page } from '@playwright/test';

/** The sync indicator in the header: a status region named "Sync status". */
export function syncStatus(page: Page): Locator {
  return page.getByRole('status', { name: 'Sync status' });
}

/**
 * Waits until the app has loaded the rest of itself (every lazily loaded page, once the browser is
 * idle after the first one), as an app a person opened a while before the signal went is.
 */
export async function waitForAppLoaded(page: Page): Promise<void> {
  // src/client/main.tsx marks the moment every lazily loaded module has arrived.
  await page.waitForFunction(() => performance.getEntriesByName('tributary:app-loaded').length > 0);
}

/**
 * Waits until the service worker is `activated` and controls the page (`serviceWorker.ready` can
 * resolve while it is still activating, DESIGN.md §9): only then do pages open offline.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active!;
    if (worker.state !== 'activated') {
      await new Promise<void>((resolve) => {
        const check = () => worker.state === 'activated' && resolve();
        worker.addEventListener('statechange', check);
        check();
      });
    }
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    }
  });
}

/** Every record of a store of the app's IndexedDB database `tributary`, read with the plain API. */
function storedRecords<T>(page: Page, store: 'outbox' | 'objects'): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('tributary');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction(name).objectStore(name).getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            db.close();
            resolve(request.result as T[]);
          };
        };
      }),
    store,
  );
}

/**
 * The points waiting in the browser's outbox (store `outbox`): the times the values were given,
 * as the browser keeps them.
 */
export async function outboxPoints(
  page: Page,
): Promise<{ path: string; state: string; t: number; d: unknown }[]> {
  const records = await storedRecords<{ path: string; state: string; points: { t: number; d: unknown }[] }>(
    page,
    'outbox',
  );
  return records.flatMap((r) => r.points.map((p) => ({ path: r.path, state: r.state, ...p })));
}

/**
 * The keys of the read cache's objects (store `objects`): `user/alice`, `devices/alice`, … A page
 * shows a fetched value before it is stored, so a test that needs the value on the device later
 * waits for its key here.
 */
export async function cachedObjectKeys(page: Page): Promise<string[]> {
  return (await storedRecords<{ key: string }>(page, 'objects')).map((row) => row.key);
}

/** The queue view (`/queue`). */
export class QueuePage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/queue');
    await expect(this.heading()).toBeVisible();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Queue' });
  }

  /** A stream's record: a region named by the stream's display name. */
  item(label: string): Locator {
    return this.page.getByRole('region', { name: label });
  }
}
