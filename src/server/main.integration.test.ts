/**
 * The server and CLI as real processes: configuration from the environment, the admin created at
 * start, acknowledged writes surviving `kill -9`, and the CLI's user commands.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { basic } from './testing/testServer';
import { SERVER_ENTRY, SERVER_NODE_ARGS } from '../../scripts/serverCommand.mjs';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Every server process started, so that a test failing before it stops its own stops it anyway. */
const started = new Set<ChildProcess>();
afterEach(() => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  started.clear();
});

function startProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, SERVER_ENTRY], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving (https?:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('the server process', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tributary-process-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the configured admin at start, and reads PORT and TRIBUTARY_DATA', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      TRIBUTARY_DATA: dataDir,
      TRIBUTARY_ADMIN_USER: 'root2',
      TRIBUTARY_ADMIN_PASSWORD: 'sekret',
      TRIBUTARY_ADMIN_EMAIL: 'root2@home.example',
    };
    const { child, url } = await startProcess(env);
    try {
      expect(url).toBe(`http://127.0.0.1:${port}`);
      const me = await fetch(`${url}/api/v1/crud/root2`, {
        headers: { authorization: basic('root2', 'sekret') },
      });
      expect(await me.json()).toMatchObject({ name: 'root2', role: 'admin', email: 'root2@home.example' });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('keeps every acknowledged write through kill -9', async () => {
    const env = { PORT: String(await freePort()), TRIBUTARY_DATA: dataDir };
    let server = await startProcess(env);
    const auth = { authorization: basic('root2', 'sekret') };
    await fetch(`${server.url}/api/v1/crud/root2/user/counter`, {
      method: 'POST',
      headers: auth,
      body: '{"schema":"{\\"type\\":\\"number\\"}"}',
    });
    let acknowledged = 0;
    // Write as fast as possible, then kill the process in the middle of the stream of writes.
    const writer = (async () => {
      for (let i = 1; i <= 100_000; i++) {
        try {
          const response = await fetch(`${server.url}/api/v1/crud/root2/user/counter/data`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify([{ t: i, d: i }]),
          });
          if (response.status !== 200) break;
          acknowledged = i;
        } catch {
          break;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    server.child.kill('SIGKILL');
    await writer;
    expect(acknowledged).toBeGreaterThan(10);

    server = await startProcess(env);
    try {
      const length = Number(
        await (
          await fetch(`${server.url}/api/v1/crud/root2/user/counter/data?q=length`, { headers: auth })
        ).text(),
      );
      // Every acknowledged write is there; at most the one in flight at the kill may be too.
      expect(length).toBeGreaterThanOrEqual(acknowledged);
      expect(length).toBeLessThanOrEqual(acknowledged + 1);
      const last = (await (
        await fetch(
          `${server.url}/api/v1/crud/root2/user/counter/data?i1=${acknowledged - 1}&i2=${acknowledged}`,
          { headers: auth },
        )
      ).json()) as { d: number }[];
      expect(last[0]!.d).toBe(acknowledged);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
  });

  it('keeps every acknowledged write through kill -9 while the tails of several streams are folded', async () => {
    const env = { PORT: String(await freePort()), TRIBUTARY_DATA: dataDir };
    let server = await startProcess(env);
    const auth = { authorization: basic('root2', 'sekret') };
    const streams = Array.from({ length: 8 }, (_, k) => `folding${k}`);
    for (const name of streams) {
      await fetch(`${server.url}/api/v1/crud/root2/user/${name}`, {
        method: 'POST',
        headers: auth,
        body: '{"schema":"{\\"type\\":\\"number\\"}"}',
      });
    }
    // One writer per stream, so that writes to the streams share group commits and their tails
    // fill and fold (every 1,024 points) in between; the kill comes after the second fold.
    const acknowledged = new Map(streams.map((name) => [name, 0]));
    let writersEnded = false;
    const writers = streams.map(async (name) => {
      // Each writer ends when its request fails: after the kill, or at once if something is wrong.
      for (let i = 1; ; i++) {
        try {
          const response = await fetch(`${server.url}/api/v1/crud/root2/user/${name}/data`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify([{ t: i, d: i }]),
          });
          if (response.status !== 200) return;
          acknowledged.set(name, i);
        } catch {
          return;
        }
      }
    });
    const ended = Promise.all(writers).then(() => (writersEnded = true));
    const target = 2 * 1024 + 100;
    while (!writersEnded && Math.min(...acknowledged.values()) < target) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(writersEnded, 'a writer was refused before the kill').toBe(false);
    server.child.kill('SIGKILL');
    await ended;
    expect(Math.min(...acknowledged.values())).toBeGreaterThanOrEqual(target);

    server = await startProcess(env);
    try {
      for (const name of streams) {
        const url = `${server.url}/api/v1/crud/root2/user/${name}/data`;
        const length = Number(await (await fetch(`${url}?q=length`, { headers: auth })).text());
        expect(length).toBeGreaterThanOrEqual(acknowledged.get(name)!);
        expect(length).toBeLessThanOrEqual(acknowledged.get(name)! + 1);
        const points = (await (await fetch(`${url}?i1=0&i2=${length}`, { headers: auth })).json()) as {
          d: number;
        }[];
        expect(points.map((p) => p.d)).toEqual(Array.from({ length }, (_, i) => i + 1));
      }
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
  });

  it('refuses a bad configuration with a clear message', () => {
    const result = spawnSync(process.execPath, [...SERVER_NODE_ARGS, SERVER_ENTRY], {
      env: { ...process.env, PORT: 'eighty', TRIBUTARY_DATA: dataDir },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT must be an integer/);
  });

  it('refuses a configured admin name the server reserves with a clear message, not a crash', () => {
    const result = spawnSync(process.execPath, [...SERVER_NODE_ARGS, SERVER_ENTRY], {
      env: {
        ...process.env,
        PORT: '0',
        TRIBUTARY_DATA: dataDir,
        TRIBUTARY_ADMIN_USER: 'admin',
        TRIBUTARY_ADMIN_PASSWORD: 'x',
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^Configuration error: TRIBUTARY_ADMIN_USER 'admin' cannot be created: .*reserved/,
    );
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('the CLI', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds a user, resets a password and lists users', async () => {
    const env = { TRIBUTARY_DATA: dataDir };
    const add = cli(
      ['adduser', 'maria', '--email', 'maria@home.example', '--password', 'first', '--admin'],
      env,
    );
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/Created admin 'maria'/);
    expect(cli(['passwd', 'maria', '--password', 'second'], env).stdout).toMatch(
      /Password of 'maria' changed/,
    );
    expect(cli(['users'], env).stdout).toMatch(/maria\tadmin\tmaria@home.example/);
    const duplicate = cli(['adduser', 'maria', '--email', 'm2@x', '--password', 'x'], env);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
    expect(cli(['passwd', 'ghost', '--password', 'x'], env).stderr).toMatch(/There is no user 'ghost'/);
    expect(cli(['frobnicate'], env).status).toBe(1);

    const { child, url } = await startProcess({ ...env, PORT: String(await freePort()) });
    try {
      const me = await fetch(`${url}/api/v1/?q=this`, {
        headers: { authorization: basic('maria', 'second') },
      });
      expect(await me.text()).toBe('maria/user');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
