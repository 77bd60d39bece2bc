/**
 * Databases for tests: each call gets its own fake-indexeddb factory, so tests never share data,
 * and `reopen` closes the Dexie connection and opens a new one on the same data (a page reload).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openLocalDb, type LocalDb } from '../localDb';

export interface TestDb {
  db: LocalDb;
  /** Another connection to the same data, as a second tab would have. */
  openAnother(): Promise<LocalDb>;
  /** Closes `db` and opens the same data again (a reload); `db` is the new connection after. */
  reopen(): Promise<LocalDb>;
}

let counter = 0;

export async function openTestDb(): Promise<TestDb> {
  const factory = new IDBFactory();
  const name = `tributary-test-${++counter}`;
  const options = { indexedDB: factory, IDBKeyRange };
  const testDb: TestDb = {
    db: await openLocalDb(name, options),
    openAnother: () => openLocalDb(name, options),
    async reopen() {
      testDb.db.close();
      testDb.db = await openLocalDb(name, options);
      return testDb.db;
    },
  };
  return testDb;
}
