/**
 * A real Tributary server as a child process, serving the built web app from a throwaway data
 * directory — exactly what a person runs, on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_ENTRY, SERVER_NODE_ARGS } from '../scripts/serverCommand.mjs';

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (SIGTERM) and deletes its data directory unless it was given. */
  stop(): Promise<void>;
  /** Kills the process at once (default SIGKILL, like a power cut); the data directory stays. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerOptions {
  /** Created at start; omit for a server with no user at all (first run). */
  admin?: { name: string; password: string };
  /** Reuse a data directory (a restart); it is then not deleted by `stop`. */
  dataDir?: string;
  /** Listen on this port (a restart on the same address); default a free one. */
  port?: number;
  /** Serve the web app from here; default the build in dist/client. */
  staticDir?: string;
  /** More environment, e.g. TRIBUTARY_TLS_CERT and TRIBUTARY_TLS_KEY. */
  env?: Record<string, string>;
}

const ROOT = resolve(import.meta.dirname, '..');
const START_TIMEOUT_MS = 30_000;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tributary-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    TRIBUTARY_DATA: dataDir,
    TRIBUTARY_STATIC_DIR: options.staticDir ?? join(ROOT, 'dist/client'),
    LOG_LEVEL: 'warn',
  };
  delete env.TRIBUTARY_TLS_CERT;
  delete env.TRIBUTARY_TLS_KEY;
  delete env.TRIBUTARY_ADMIN_USER;
  delete env.TRIBUTARY_ADMIN_PASSWORD;
  delete env.TRIBUTARY_DATABASE_URL;
  if (options.admin) {
    env.TRIBUTARY_ADMIN_USER = options.admin.name;
    env.TRIBUTARY_ADMIN_PASSWORD = options.admin.password;
  }
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, SERVER_ENTRY], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitForUrl(child);
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await exited;
  };
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    async stop() {
      await end('SIGTERM');
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: (signal = 'SIGKILL') => end(signal),
  };
}

/** Resolves with the URL the server prints once it listens ("… is serving http://…"). */
function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /is serving (https?:\/\/[^\s]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with code ${code}:\n${output}`));
    });
  });
}
