/**
 * Chooses storage and bus from the configuration: PostgreSQL storage with the LISTEN/NOTIFY bus
 * when a database URL is set (several servers may share it), else an SQLite file with the
 * in-process bus.
 */
import { join } from 'node:path';
import type { Bus } from '../bus/Bus';
import { InProcessBus } from '../bus/InProcessBus';
import type { Config } from '../config';
import { parseDatabaseUrl } from './postgres/pgConnection';
import { PgBus } from './postgres/PgBus';
import { PgStorage } from './postgres/PgStorage';
import { SqliteStorage } from './sqlite/SqliteStorage';
import type { Storage } from './Storage';

export interface Backend {
  storage: Storage;
  bus: Bus;
}

/**
 * Opens the backend of `config`. A PostgreSQL URL may carry `?schema=name` to keep Tributary's
 * tables in their own schema (created when missing); migrations run before this resolves.
 */
export async function openBackend(
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'storageLayout'>,
): Promise<Backend> {
  if (config.databaseUrl) {
    const connection = parseDatabaseUrl(config.databaseUrl);
    const storage = await PgStorage.open(connection);
    try {
      return { storage, bus: await PgBus.open({ ...connection, schema: storage.schema }) };
    } catch (err) {
      await storage.close();
      throw err;
    }
  }
  return {
    storage: new SqliteStorage({
      filename: join(config.dataDir, 'tributary.db'),
      layout: config.storageLayout,
      backgroundCheckpoints: true,
    }),
    bus: new InProcessBus(),
  };
}
