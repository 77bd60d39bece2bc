/** A Tributary server as a child process (its own event loop and core), with a throwaway data dir. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
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
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server/main.ts'], {
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
  return {
    url,
    dataDir: dir,
    auth: basicAuth(BENCH_ADMIN.name, BENCH_ADMIN.password),
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON request helper for the benchmarks (keep-alive through fetch). */
export async function request(
  server: BenchServer,
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
