/**
 * Databases for tests: each call gets its own fake-indexeddb factory, so tests never share data,
 * and `reopen` closes the Dexie connection and opens a new one on the same data (a page reload).
 */
import { Dexie } from 'dexie';
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

/**
 * A database as the app made it before version 2 (no claims or room indexes), on `options`'
 * factory: for tests of the upgrade and of an old tab left open while a new one upgrades.
 */
export async function openVersion1Db(
  name: string,
  options: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange },
): Promise<LocalDb> {
  const db = new Dexie(name, options);
  db.version(1).stores({
    outbox: '++id, [user+state+path], [user+state+pointCount]',
    objects: '[viewer+key]',
    ranges: '[viewer+path], [viewer+usedAt]',
  });
  await db.open();
  // The tables the outbox uses exist under the same names; only indexes are missing.
  return db as LocalDb;
}
