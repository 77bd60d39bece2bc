/**
 * Configuration from the environment. Every setting has a default that works on a fresh machine:
 * `npm start` serves http://127.0.0.1:3124 from an SQLite file in ./data.
 */
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Directory of the SQLite database. */
  dataDir: string;
  /** When set, PostgreSQL is used instead of SQLite. */
  databaseUrl?: string;
  /**
   * How datapoints are laid out: `chunked` (default) or `rows`, one row per datapoint, kept as the
   * baseline the benchmarks compare against.
   */
  storageLayout: 'chunked' | 'rows';
  /** Created as an admin at start when it does not exist yet. */
  admin?: { name: string; password: string; email: string };
  /** HTTPS when both are set (PEM files). */
  tls?: { certFile: string; keyFile: string };
  /** Trust `X-Forwarded-*` headers from a reverse proxy. */
  trustProxy: boolean;
  /** Answer cross-origin requests with `Access-Control-Allow-Origin: *` (no credentials). */
  allowCrossOrigin: boolean;
  /** The built web app. */
  staticDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Websocket keep-alive: a ping this often; a connection that misses a pong is closed. */
  wsPingIntervalMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, not '${raw}'`);
  }
  return value;
}

const flag = (env: Env, name: string) => ['1', 'true', 'yes', 'on'].includes((env[name] ?? '').toLowerCase());

export function loadConfig(env: Env = process.env): Config {
  const config: Config = {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 3124, 0, 65535),
    dataDir: resolve(env.TRIBUTARY_DATA || './data'),
    trustProxy: flag(env, 'TRIBUTARY_TRUST_PROXY'),
    allowCrossOrigin: flag(env, 'TRIBUTARY_ALLOW_CROSS_ORIGIN'),
    staticDir: resolve(env.TRIBUTARY_STATIC_DIR || 'dist/client'),
    logLevel: (env.LOG_LEVEL as Config['logLevel']) || 'warn',
    wsPingIntervalMs: integer(env, 'TRIBUTARY_WS_PING_MS', 54_000, 50, 3_600_000),
    storageLayout: 'chunked',
  };
  const layout = env.TRIBUTARY_STORAGE_LAYOUT;
  if (layout === 'rows' || layout === 'chunked') config.storageLayout = layout;
  else if (layout) throw new ConfigError(`TRIBUTARY_STORAGE_LAYOUT must be chunked or rows, not '${layout}'`);
  if (env.TRIBUTARY_DATABASE_URL) config.databaseUrl = env.TRIBUTARY_DATABASE_URL;
  if (env.TRIBUTARY_ADMIN_USER || env.TRIBUTARY_ADMIN_PASSWORD) {
    if (!env.TRIBUTARY_ADMIN_USER || !env.TRIBUTARY_ADMIN_PASSWORD) {
      throw new ConfigError('Set both TRIBUTARY_ADMIN_USER and TRIBUTARY_ADMIN_PASSWORD (or neither)');
    }
    config.admin = {
      name: env.TRIBUTARY_ADMIN_USER,
      password: env.TRIBUTARY_ADMIN_PASSWORD,
      email: env.TRIBUTARY_ADMIN_EMAIL || `${env.TRIBUTARY_ADMIN_USER}@localhost`,
    };
  }
  if (env.TRIBUTARY_TLS_CERT || env.TRIBUTARY_TLS_KEY) {
    if (!env.TRIBUTARY_TLS_CERT || !env.TRIBUTARY_TLS_KEY) {
      throw new ConfigError('Set both TRIBUTARY_TLS_CERT and TRIBUTARY_TLS_KEY for HTTPS');
    }
    config.tls = { certFile: resolve(env.TRIBUTARY_TLS_CERT), keyFile: resolve(env.TRIBUTARY_TLS_KEY) };
  }
  return config;
}
