/**
 * Several stateless servers on one PostgreSQL database, as real processes behind no proxy: any
 * server answers any request, live data crosses servers, sessions, idempotency keys and login
 * rate limits are shared, and a server killed mid-write loses no acknowledged write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PG_MIGRATIONS } from './storage/postgres/migrations';
import { dropSchema, testDatabaseUrl, throwawaySchema } from './storage/testing/testDatabase';
import { startServerProcess, type ServerProcess } from './testing/serverProcess';
import { basic } from './testing/testServer';

const ADMIN = basic('boss', 'boss-pw');

function databaseUrl(schema: string): string {
  const url = new URL(testDatabaseUrl());
  url.searchParams.set('schema', schema);
  return url.toString();
}

async function call(
  server: ServerProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.url}/api/v1/${path}`, {
    method,
    headers: { authorization: ADMIN, ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** Opens a websocket and resolves once the server has processed the subscription. */
async function subscribe(server: ServerProcess, stream: string) {
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/websocket`, {
    headers: { authorization: ADMIN },
  });
  const messages: { stream: string; data: { t: number; d: unknown }[]; at: number }[] = [];
  socket.on('message', (raw) => messages.push({ ...JSON.parse(String(raw)), at: performance.now() }));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ cmd: 'subscribe', arg: stream }));
  await new Promise<void>((resolve) => {
    socket.once('pong', () => resolve());
    socket.ping();
  });
  return { socket, messages };
}

describe('two servers on one PostgreSQL database', () => {
  let schema: string;
  let dataDir: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    // A schema that does not exist yet: both servers migrate it, at the same moment.
    schema = throwawaySchema();
    dataDir = mkdtempSync(join(tmpdir(), 'tributary-scale-'));
    env = {
      TRIBUTARY_DATABASE_URL: databaseUrl(schema),
      TRIBUTARY_DATA: dataDir,
      TRIBUTARY_ADMIN_USER: 'boss',
      TRIBUTARY_ADMIN_PASSWORD: 'boss-pw',
      // Login failures are counted per client address; tests choose theirs with X-Forwarded-For.
      TRIBUTARY_TRUST_PROXY: '1',
    };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('both come up when started together on an empty database, with one schema and one admin user', async () => {
    const client = new pg.Client(testDatabaseUrl());
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
      expect(rows.map((r: { version: number }) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    } finally {
      await client.end();
    }
    for (const server of [a, b]) {
      const users = JSON.parse((await call(server, 'GET', 'crud?q=ls')).text) as { name: string }[];
      expect(users.map((u) => u.name)).toEqual(['boss']);
    }
  });

  it('delivers an insert made through one server to a websocket subscriber on the other within a second', async () => {
    expect((await call(b, 'POST', 'crud/boss/user/live', { schema: '{"type":"number"}' })).status).toBe(200);
    const subscriber = await subscribe(a, 'boss/user/live');
    try {
      const sentAt = performance.now();
      expect((await call(b, 'POST', 'crud/boss/user/live/data', [{ t: 1, d: 42 }])).text).toBe('ok');
      await expect.poll(() => subscriber.messages.length, { timeout: 1000, interval: 5 }).toBe(1);
      expect(subscriber.messages[0]).toMatchObject({ stream: 'boss/user/live', data: [{ t: 1, d: 42 }] });
      expect(subscriber.messages[0]!.at - sentAt).toBeLessThan(1000);
      // And back the other way, exactly once each.
      await call(a, 'POST', 'crud/boss/user/live/data', [{ t: 2, d: 43 }]);
      await expect.poll(() => subscriber.messages.length, { timeout: 1000, interval: 5 }).toBe(2);
      await new Promise((r) => setTimeout(r, 200));
      expect(subscriber.messages.map((m) => m.data[0]!.d)).toEqual([42, 43]);
    } finally {
      subscriber.socket.close();
    }
  });

  it('accepts a session cookie from one server on the other, and logging out ends it on both', async () => {
    const login = await fetch(`${a.url}/api/v1/login`, { headers: { authorization: ADMIN } });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const whoami = async (server: ServerProcess) =>
      (await fetch(`${server.url}/api/v1/?q=this`, { headers: { cookie } })).text();
    expect(await whoami(b)).toBe('boss/user');
    await fetch(`${b.url}/api/v1/logout`, { headers: { cookie } });
    expect(await whoami(a)).toBe('nobody');
  });

  it('replays an idempotency key used on one server when the retry reaches the other', async () => {
    await call(a, 'POST', 'crud/boss/user/counted', { schema: '{"type":"number"}' });
    const headers = { 'idempotency-key': 'retry-1' };
    expect((await call(a, 'POST', 'crud/boss/user/counted/data', [{ t: 1, d: 1 }], headers)).text).toBe('ok');
    const retry = await call(b, 'POST', 'crud/boss/user/counted/data', [{ t: 1, d: 1 }], headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // The same key reaching both servers at the same moment still inserts once.
    for (let i = 0; i < 10; i++) {
      const race = { 'idempotency-key': `race-${i}` };
      const body = [{ t: 10 + i, d: i }];
      const answers = await Promise.all([
        call(a, 'POST', 'crud/boss/user/counted/data?method=insert', body, race),
        call(b, 'POST', 'crud/boss/user/counted/data?method=insert', body, race),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
    }
    expect((await call(b, 'GET', 'crud/boss/user/counted/data?q=length')).text).toBe('11');
  });

  it('counts failed logins on one server against the same address on the other', async () => {
    const from = { 'x-forwarded-for': '203.0.113.9' };
    const failures = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${a.url}/api/v1/?q=this`, { headers: { authorization: basic('boss', 'wrong'), ...from } }),
      ),
    );
    expect(failures.map((r) => r.status)).toEqual(Array(10).fill(401));
    const blocked = await fetch(`${b.url}/api/v1/?q=this`, { headers: { authorization: ADMIN, ...from } });
    expect(blocked.status).toBe(429);
    const elsewhere = await fetch(`${b.url}/api/v1/?q=this`, {
      headers: { authorization: ADMIN, 'x-forwarded-for': '203.0.113.10' },
    });
    expect(await elsewhere.text()).toBe('boss/user');
  });

  it('loses no acknowledged write when one server is killed during a stream of writes', async () => {
    const streams = ['k0', 'k1', 'k2', 'k3'];
    for (const s of streams) await call(b, 'POST', `crud/boss/user/${s}`, { schema: '{"type":"number"}' });
    const acknowledged = new Map(streams.map((s) => [s, 0]));
    // Four writers at once, so that the server groups their writes into shared transactions.
    const writers = streams.map(async (s) => {
      for (let i = 1; ; i++) {
        try {
          const response = await call(a, 'POST', `crud/boss/user/${s}/data`, [{ t: i, d: i }]);
          if (response.status !== 200) return;
          acknowledged.set(s, i);
        } catch {
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    await a.kill();
    await Promise.all(writers);
    for (const s of streams) {
      const acked = acknowledged.get(s)!;
      expect(acked, s).toBeGreaterThan(10);
      // Through the surviving server: every acknowledged write, and at most the one in flight.
      const length = Number((await call(b, 'GET', `crud/boss/user/${s}/data?q=length`)).text);
      expect(length, s).toBeGreaterThanOrEqual(acked);
      expect(length, s).toBeLessThanOrEqual(acked + 1);
      const last = JSON.parse(
        (await call(b, 'GET', `crud/boss/user/${s}/data?i1=${acked - 1}&i2=${acked}`)).text,
      );
      expect(last, s).toEqual([{ t: acked, d: acked }]);
    }
    // The survivor keeps accepting writes to the same streams.
    const after = await call(b, 'POST', 'crud/boss/user/k0/data', [{ t: 1e9, d: 0 }]);
    expect(after.text).toBe('ok');
  });
});
