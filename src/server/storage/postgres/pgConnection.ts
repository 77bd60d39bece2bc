/**
 * Connections to PostgreSQL: a pool for storage, single clients for the bus, the same settings for
 * both (search path, type parsing), and the few error codes the adapter reacts to.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { SCHEMA_PATTERN } from './migrations';

export interface PgConnectionOptions {
  /** A libpq URL: `postgres://user:password@host:5432/database`. */
  connectionString: string;
  /**
   * The schema that holds Tributary's tables (created when missing), put on every connection's
   * search path. Default: the server's search path (usually `public`). Tests use a throwaway one.
   */
  schema?: string;
  /** Connections in the storage pool (default 10). */
  poolSize?: number;
}

/**
 * Splits Tributary's own `schema` parameter off a database URL (`postgres://…/db?schema=team`), so
 * several deployments (or test servers) can share one database.
 */
export function parseDatabaseUrl(url: string): PgConnectionOptions {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { connectionString: url };
  if (!SCHEMA_PATTERN.test(schema))
    throw new Error(`The schema in the database URL must match ${SCHEMA_PATTERN}, not '${schema}'`);
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/**
 * Counts, positions and ids are bigint in the database; they stay far below 2^53, so they are
 * parsed as numbers rather than pg's default strings. Scoped to our connections (pg's global type
 * table is shared with every other user of pg in the process).
 */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Session settings, sent as startup options so that no connection ever runs a query before they
 * apply: the schema on the search path, and no JIT compilation, which costs tens of milliseconds
 * and pays off only for long analytical queries (every query here is short). pg lets a URL's own
 * `options` override the config's, so the two are merged.
 */
function clientConfig(options: PgConnectionOptions): pg.ClientConfig {
  if (options.schema !== undefined && !SCHEMA_PATTERN.test(options.schema))
    throw new Error(`A schema name must match ${SCHEMA_PATTERN}, not '${options.schema}'`);
  const settings = ['-c jit=off', ...(options.schema ? [`-c search_path=${options.schema}`] : [])];
  let connectionString = options.connectionString;
  let urlOptions: string | null = null;
  try {
    const url = new URL(options.connectionString);
    urlOptions = url.searchParams.get('options');
    url.searchParams.delete('options');
    connectionString = url.toString();
  } catch {
    // Not a URL (pg also takes a bare socket directory): nothing to merge.
  }
  return {
    connectionString,
    types,
    keepAlive: true,
    options: [urlOptions, ...settings].filter(Boolean).join(' '),
  };
}

const statementNames = new Map<string, string>();

/**
 * A query PostgreSQL parses and plans once per connection (a named prepared statement), for
 * statements whose text is fixed; statements built with a varying number of rows stay unnamed.
 */
export function prepared(text: string, values: unknown[] = []): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `t${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

export function createPool(options: PgConnectionOptions): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(options), max: options.poolSize ?? 10 });
  // An idle connection that the server drops is replaced on next use; only log it.
  pool.on('error', (err) => console.error('PostgreSQL pool connection lost:', err.message));
  return pool;
}

/** A single connection outside the pool (the bus listens on its own connection). */
export async function connectClient(options: PgConnectionOptions): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(options));
  await client.connect();
  return client;
}

/**
 * Rolls back after a failed statement. Returns the error if even that failed: the connection is
 * then broken and must be released with it (`client.release(error)`), so the pool drops it.
 */
export async function rollback(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return err as Error;
  }
}

/** The SQLSTATE of a database error, if it is one. */
export const sqlState = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;

export const isUniqueViolation = (err: unknown) => sqlState(err) === '23505';

/** Deadlocks and serialization failures: the transaction was rolled back and may simply run again. */
export const isRetryable = (err: unknown) => ['40P01', '40001'].includes(sqlState(err) ?? '');
