/** A Tributary server as a child process (its own event loop and core), with a throwaway data dir. */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { Agent, get, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SERVER_ENTRY, SERVER_NODE_ARGS } from '../scripts/serverCommand.mjs';
import { join } from 'node:path';

export interface BenchServer {
  url: string;
  dataDir: string;
  auth: string;
  child: ChildProcess;
  stop(): Promise<void>;
  remove(): void;
}

export const BENCH_ADMIN = { name: 'bench', password: 'bench-password' };

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startBenchServer(
  env: Record<string, string> = {},
  dataDir?: string,
  /** Extra Node flags, e.g. `--cpu-prof` to profile the server. */
  nodeArgs: string[] = [],
): Promise<BenchServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, ...nodeArgs, SERVER_ENTRY], {
    env: {
      ...process.env,
      PORT: String(port),
      TRIBUTARY_DATA: dir,
      TRIBUTARY_ADMIN_USER: BENCH_ADMIN.name,
      TRIBUTARY_ADMIN_PASSWORD: BENCH_ADMIN.password,
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving (http\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const server: BenchServer = {
    url,
    dataDir: dir,
    auth: basicAuth(BENCH_ADMIN.name, BENCH_ADMIN.password),
    child,
    async stop() {
      agents.get(server)?.destroy();
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** What a client in another process needs of a server: where it is and how to sign in. */
export type ServerAddress = Pick<BenchServer, 'url' | 'auth'>;

/**
 * Runs a client function of a bench module (`module` is its file name in bench/) in a Node
 * process of its own, and resolves to what it returns. Latencies are measured there: the bench
 * process has generated and sent gigabytes by then, and its own garbage collector's pauses showed
 * up as the slowest percent of the server's responses (a plot p99 of 13–15 ms from here, 7–8 ms
 * from a fresh process, against the same server).
 */
export async function inClientProcess<T>(module: string, name: string, ...args: unknown[]): Promise<T> {
  const child = fork(fileURLToPath(new URL('./clientMain.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = new Promise<{ result?: T; error?: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { result?: T; error?: string }));
    child.once('exit', (code) => reject(new Error(`bench client ${module}.${name} exited with ${code}`)));
  });
  child.send({ module, name, args });
  const { result, error } = await reply;
  if (error !== undefined) throw new Error(error);
  return result as T;
}

/** The part of a server a client process is given. */
export const addressOf = (server: BenchServer): ServerAddress => ({ url: server.url, auth: server.auth });

/** JSON request helper for the benchmarks (keep-alive through fetch). */
export async function request(
  server: ServerAddress,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const payload = (
    body === undefined || typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
  ) as BodyInit | undefined;
  const response = await fetch(`${server.url}/api/v1/${path}`, {
    method,
    headers: { authorization: server.auth },
    ...(payload !== undefined && { body: payload }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** One keep-alive connection per server for `timedGet`, like a browser tab's. */
const agents = new WeakMap<ServerAddress, Agent>();

/**
 * A GET through Node's own HTTP client on a kept-alive connection, timed from sending the request
 * to the last byte of the response, which is read but not kept. The latency benchmarks use it
 * rather than `fetch`: undici's streams added 3–5 ms to the slowest percent of requests on this
 * machine, which is the client's cost, not the server's.
 */
export async function timedGet(
  server: ServerAddress,
  path: string,
): Promise<{ ms: number; bytes: number; headers: IncomingHttpHeaders }> {
  let agent = agents.get(server);
  if (!agent) agents.set(server, (agent = new Agent({ keepAlive: true, maxSockets: 1 })));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = get(
      `${server.url}/api/v1/${path}`,
      { agent, headers: { authorization: server.auth } },
      (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('error', reject);
        response.on('end', () => {
          const ms = performance.now() - started;
          if (response.statusCode !== 200) reject(new Error(`GET ${path}: ${response.statusCode}`));
          else resolve({ ms, bytes, headers: response.headers });
        });
      },
    );
    request.on('error', reject);
  });
}
