/** The sdk against a real server: every kind of call, realtime with reconnection, downlink acknowledgement. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Datapoint } from '../core/model';
import { startTestServer, type TestServer } from '../server/testing/testServer';
import { ApiError, createIdempotencyKey, TributaryClient, type ClientOptions } from './index';

const createWebSocket: ClientOptions['createWebSocket'] = (url, headers) => new WebSocket(url, { headers });

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sdk against a real server', () => {
  let t: TestServer;
  let admin: TributaryClient;
  let alice: TributaryClient;
  const dataDir = mkdtempSync(join(tmpdir(), 'tributary-sdk-'));

  beforeAll(async () => {
    t = await startTestServer({ dataDir });
    admin = new TributaryClient({
      url: t.url,
      credentials: { username: 'test', password: 'test' },
      createWebSocket,
    });
    await admin.createUser('alice', {
      email: 'alice@localhost',
      password: 'pw',
      streams: { mood: { schema: { type: 'integer', minimum: 0, maximum: 10 }, datatype: 'rating.stars' } },
    });
    alice = new TributaryClient({
      url: t.url,
      credentials: { username: 'alice', password: 'pw' },
      createWebSocket,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
  });
  afterAll(async () => {
    admin.close();
    alice.close();
    await t.close();
  });

  it('logs in with a password or an API key', async () => {
    expect(await alice.whoami()).toBe('alice/user');
    const key = (await alice.readDevice('alice', 'user')).apikey;
    const byKey = new TributaryClient({ url: t.url, credentials: { apikey: key } });
    expect(await byKey.whoami()).toBe('alice/user');
    expect(await new TributaryClient({ url: t.url }).whoami()).toBe('nobody');
  });

  it('does CRUD and maps refusals to ApiError', async () => {
    expect((await admin.listUsers()).map((u) => u.name)).toContain('alice');
    expect(await admin.countUsers()).toBeGreaterThanOrEqual(2);
    const device = await alice.createDevice('alice', 'phone', { nickname: 'Phone' });
    expect(device.nickname).toBe('Phone');
    const newKey = await alice.resetApiKey('alice', 'phone');
    expect(newKey).not.toBe(device.apikey);
    await alice.createStream('alice/phone/steps', { schema: { type: 'number' }, tags: ['health'] });
    expect((await alice.listUserStreams('alice', { tag: 'health' })).map((s) => s.name)).toEqual(['steps']);
    const error = await alice.readUser('nobody-here').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 404 });
  });

  it('inserts with each method and an idempotency key, and reads back', async () => {
    const path = 'alice/user/mood';
    await alice.insert(path, [{ t: 100, d: 5 }]);
    const older = await alice.insert(path, [{ t: 50, d: 6 }]).catch((e: unknown) => e);
    expect(older).toMatchObject({
      status: 403,
      msg: 'Greater timestamp already exists for the stream. Insert Failed.',
    });
    await alice.insert(path, [{ t: 50, d: 6 }], { method: 'restamp' });
    const key = createIdempotencyKey();
    await alice.insert(path, [{ t: 20, d: 7 }], { method: 'insert', idempotencyKey: key });
    await alice.insert(path, [{ t: 20, d: 7 }], { method: 'insert', idempotencyKey: key });
    expect(await alice.length(path)).toBe(3);
    expect((await alice.read(path, { i1: 0, i2: 0 })).map((p) => [p.t, p.d])).toEqual([
      [20, 7],
      [100, 5],
      // Restamped past the whole last timestamp by 0.00001, as ConnectorDB did.
      [100.00001, 6],
    ]);
    expect((await alice.read(path, { t1: 50, t2: 200 })).map((p) => p.d)).toEqual([5, 6]);
    expect(await alice.read(path, { i1: 0, i2: 0 }, { transform: 'sum | if last' })).toEqual([
      { t: 100.00001, d: 18 },
    ]);
    expect(await alice.time2index(path, 50)).toBe(1);
    const merged = await alice.merge([{ stream: path, i1: 0, i2: 1 }]);
    expect(merged).toEqual([{ t: 20, d: 7 }]);
  });

  it('subscribes, and reconnects and resubscribes after the server restarts', async () => {
    const received: Datapoint[] = [];
    const states: string[] = [];
    alice.onConnectionChange((state) => states.push(state));
    alice.subscribe('alice/user/mood', (points) => received.push(...points));
    await eventually(() => alice.connectionState === 'open');
    await new Promise((r) => setTimeout(r, 200));
    await alice.insertNow('alice/user/mood', 8);
    await eventually(() => received.some((p) => p.d === 8));

    const port = Number(new URL(t.url).port);
    await t.close();
    t = await startTestServer({ dataDir, config: { port } });
    await eventually(() => states.filter((s) => s === 'open').length >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    await alice.insertNow('alice/user/mood', 9);
    await eventually(() => received.some((p) => p.d === 9));
    expect(states).toContain('closed');
  });

  it('acknowledges downlink commands as the device, as the Python client did', async () => {
    const key = (await alice.readDevice('alice', 'phone')).apikey;
    const phone = new TributaryClient({ url: t.url, credentials: { apikey: key }, createWebSocket });
    await phone.createStream('alice/phone/light', { schema: { type: 'boolean' }, downlink: true });
    const commands: unknown[] = [];
    phone.acknowledgeDownlinks('alice/phone/light', (points) => {
      commands.push(...points.map((p) => p.d));
      return true;
    });
    const states: Datapoint[] = [];
    alice.subscribe('alice/phone/light', (points) => states.push(...points));
    await new Promise((r) => setTimeout(r, 300));
    await alice.insertNow('alice/phone/light', true);
    await eventually(() => states.some((p) => p.d === true));
    expect(commands).toEqual([true]);
    expect(await alice.length('alice/phone/light', { downlink: true })).toBe(1);
    expect((await alice.read('alice/phone/light', { i1: -1, i2: 0 }))[0]).toMatchObject({ d: true });
    phone.close();
  });
});

describe('sdk first-run setup, plots and downsampling', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('reports setup status and refuses a second setup', async () => {
    const anonymous = new TributaryClient({ url: t.url });
    expect(await anonymous.setupStatus()).toMatchObject({ needsSetup: false });
    const refused = await anonymous
      .setUp({ name: 'eve', email: 'eve@x', password: 'pw' })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403 });
  });

  it('reads M4 plot data in the binary form and downsamples', async () => {
    const admin = new TributaryClient({ url: t.url, credentials: { username: 'test', password: 'test' } });
    await admin.createStream('test/user/temp', { schema: { type: 'number' } });
    const points = Array.from({ length: 20_000 }, (_, i) => ({ t: 1_000_000 + i, d: i % 100 }));
    await admin.insert('test/user/temp', points);
    const plot = await admin.plot('test/user/temp', { t1: 1_000_000, t2: 1_020_000, width: 200 });
    expect(plot.source).toBe('rollup');
    expect(plot.m4.column.length).toBeGreaterThan(100);
    expect(Math.max(...plot.m4.max)).toBe(99);
    expect(Math.min(...plot.m4.min)).toBe(0);
    const zoomed = await admin.plot('test/user/temp', { t1: 1_000_010, t2: 1_000_020, width: 100 });
    expect(zoomed.source).toBe('raw');
    expect(zoomed.before).toEqual({ t: 1_000_009, d: 9 });
    const hourly = await admin.downsample('test/user/temp', {
      level: '1h',
      value: 'count',
      t1: 999_000,
      t2: 1_020_000,
    });
    expect(hourly.reduce((sum, p) => sum + (p.d as number), 0)).toBe(20_000);
  });
});
