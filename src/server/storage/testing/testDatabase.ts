/**
 * PostgreSQL for tests: the server of the run (postgresGlobalSetup.ts) and a fresh schema per
 * storage or server, so that tests running in parallel never see each other's rows.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { PgStorage } from '../postgres/PgStorage';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresSchemaPrefix: string;
  }
}

let schemaCounter = 0;

/** The URL of the run's PostgreSQL server; only tests of the PostgreSQL project have one. */
export function testDatabaseUrl(): string {
  const url = inject('postgresUrl');
  if (!url) throw new Error('No PostgreSQL for this test: run it in the postgres Vitest project');
  return url;
}

/** A schema name no other test of this run uses (dropped at the end of the run at the latest). */
export function throwawaySchema(): string {
  return `${inject('postgresSchemaPrefix')}_${process.pid}_${schemaCounter++}`;
}

/** The schema of a data directory: the same one each time, so a server can restart on its data. */
export function directorySchema(dataDir: string): string {
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return `${inject('postgresSchemaPrefix')}_dir_${hash}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client(testDatabaseUrl());
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A PgStorage in a fresh schema that it drops when closed. */
export async function openThrowawayPgStorage(poolSize = 4): Promise<PgStorage> {
  const schema = throwawaySchema();
  const storage = await PgStorage.open({ connectionString: testDatabaseUrl(), schema, poolSize });
  const close = storage.close.bind(storage);
  storage.close = async () => {
    await close();
    await dropSchema(schema);
  };
  return storage;
}
