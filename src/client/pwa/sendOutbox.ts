/**
 * Sends the outbox from the service worker, for Background Sync: the browser wakes the worker once
 * the network is back, even with no page of the app open. Whoever the session cookie belongs to is
 * the user whose outbox is sent (the engine checks it again before every pass).
 */
import { TributaryClient } from '../../sdk';
import { openLocalDb, type LocalDb } from '../local-first/localDb';
import { createSyncEngine, type SyncClient, type SyncReport } from '../local-first/syncEngine';

export interface SendOutboxDeps {
  client: SyncClient & Required<Pick<SyncClient, 'whoami'>>;
  openDb(): Promise<LocalDb>;
}

const defaultDeps = (): SendOutboxDeps => ({
  client: new TributaryClient({ url: '', credentials: { cookie: true } }),
  openDb: () => openLocalDb(),
});

/**
 * One pass of the sync engine. Rejects when the network or the server failed, so that the browser
 * fires the `sync` event again later (with its own backoff); resolves when everything sendable was
 * sent, when nobody is logged in (the page sends after the next login), or when refusals remain
 * (they wait in the queue view).
 */
export async function sendOutbox(deps: SendOutboxDeps = defaultDeps()): Promise<SyncReport | undefined> {
  const who = (await deps.client.whoami()).trim();
  const [user, device] = who.split('/');
  if (!user || device !== 'user') return undefined;
  const db = await deps.openDb();
  try {
    const engine = createSyncEngine({ db, client: deps.client, user });
    const report = await engine.syncNow();
    await engine.stop();
    if (
      report.outcome === 'network_error' ||
      report.outcome === 'server_error' ||
      report.outcome === 'offline'
    ) {
      throw new Error(`The outbox could not be sent (${report.outcome}); the browser tries again later`);
    }
    return report;
  } finally {
    db.close();
  }
}
