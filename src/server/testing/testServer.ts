/**
 * A real Tributary server on a free port, for API tests: on a throwaway SQLite file, or, with
 * `TRIBUTARY_TEST_STORAGE=postgres` (the postgres Vitest project), in a throwaway schema of the
 * run's PostgreSQL with the LISTEN/NOTIFY bus. Tests talk HTTP and websocket to it like any client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthenticatorOptions } from '../auth/Authenticator';
import type { Bus } from '../bus/Bus';
import { InProcessBus } from '../bus/InProcessBus';
import { loadConfig, type Config } from '../config';
import { createServer, type TributaryServer } from '../createServer';
import { ensureAdmin } from '../domain/users';
import type { Storage } from '../storage/Storage';
import { SqliteStorage } from '../storage/sqlite/SqliteStorage';

export interface TestServer {
  url: string;
  server: TributaryServer;
  storage: Storage;
  dataDir: string;
  admin: { name: string; password: string };
  close(): Promise<void>;
}

export interface TestServerOptions {
  config?: Partial<Config>;
  auth?: Partial<AuthenticatorOptions>;
  /** Use this storage (with an in-process bus) instead of the test run's storage. */
  storage?: Storage;
  /**
   * Reuse a data directory (to restart a server on the same data); it is then kept on close. On
   * PostgreSQL the directory names the schema, which is likewise kept (until the end of the run).
   */
  dataDir?: string;
}

interface TestBackend {
  storage: Storage;
  bus: Bus;
  /** Removes what the backend left behind (unless it is meant to be reopened). */
  dispose(): Promise<void>;
}

async function openTestBackend(dataDir: string, keep: boolean): Promise<TestBackend> {
  if (process.env.TRIBUTARY_TEST_STORAGE !== 'postgres') {
    return {
      storage: new SqliteStorage({ filename: join(dataDir, 'tributary.db') }),
      bus: new InProcessBus(),
      dispose: async () => undefined,
    };
  }
  // Loaded only here: it needs Vitest's `inject`, and this module also runs outside Vitest.
  const { directorySchema, dropSchema, testDatabaseUrl, throwawaySchema } =
    await import('../storage/testing/testDatabase');
  const { PgStorage } = await import('../storage/postgres/PgStorage');
  const { PgBus } = await import('../storage/postgres/PgBus');
  const schema = keep ? directorySchema(dataDir) : throwawaySchema();
  const connection = { connectionString: testDatabaseUrl(), schema, poolSize: 4 };
  const storage = await PgStorage.open(connection);
  const bus = await PgBus.open({ ...connection, schema: storage.schema });
  return { storage, bus, dispose: () => (keep ? Promise.resolve() : dropSchema(schema)) };
}

export const ADMIN = { name: 'test', password: 'test' };

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const config: Config = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logLevel: 'silent',
    staticDir: join(dataDir, 'no-web-app'),
    ...options.config,
  };
  const backend: TestBackend = options.storage
    ? { storage: options.storage, bus: new InProcessBus(), dispose: async () => undefined }
    : await openTestBackend(dataDir, options.dataDir !== undefined);
  const { storage, bus } = backend;
  const server = await createServer({ config, storage, bus, auth: options.auth });
  await ensureAdmin(server.context, { ...ADMIN, email: 'test@localhost' });
  const url = await server.listen();
  return {
    url,
    server,
    storage,
    dataDir,
    admin: ADMIN,
    async close() {
      await server.close();
      await bus.close();
      await storage.close();
      await backend.dispose();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `Authorization` header for HTTP Basic. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A small fetch wrapper for contract tests that need the raw status, headers and body. */
export function api(baseUrl: string, auth?: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}/api/v1/${path}`, {
      method,
      headers: { ...(auth && { authorization: auth }), ...headers },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json: json as any, headers: response.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    del: (path: string, headers?: Record<string, string>) => call('DELETE', path, undefined, headers),
  };
}
