/**
 * Vitest global setup of the PostgreSQL project: the server named by `DATABASE_URL`, or a
 * throwaway embedded one (see throwawayPostgres.ts). Tests get its URL and a schema prefix for
 * this run through `inject` (see testDatabase.ts); every schema with that prefix is dropped at
 * the end, so a run leaves nothing behind on a shared server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startPostgres } from './throwawayPostgres';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  const prefix = `tt_${randomBytes(4).toString('hex')}`;
  project.provide('postgresUrl', server.url);
  project.provide('postgresSchemaPrefix', prefix);
  return async () => {
    if (!server.embedded) await dropSchemas(server.url, prefix);
    await server.stop();
  };
}

async function dropSchemas(url: string, prefix: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)`,
      [`${prefix}_`],
    );
    for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}
