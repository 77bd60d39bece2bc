/**
 * ConnectorDB's own JavaScript client (npm `connectordb@0.0.11`, the one its web and Android apps
 * used) driven against Tributary: the proof that the wire contract holds for code we did not write.
 * It posts JSON as text/plain, sends Basic auth on every request and has no websocket support, so
 * the subscription part uses the `ws` package with the same Authorization header, as its apps did.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../testing/testServer';

interface OriginalClient {
  authHeader: string;
  createUser(user: object): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readUser(name: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  updateUser(name: string, changes: object): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  listDevices(user: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  createDevice(user: string, device: object): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readDevice(user: string, device: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  listStreams(user: string, device: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  listUserStreams(
    user: string,
    datatype?: string,
    publiconly?: boolean,
    downlinkonly?: boolean,
    visibleonly?: boolean,
  ): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  createStream(user: string, device: string, stream: object): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readStream(user: string, device: string, stream: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  updateStream(user: string, device: string, stream: string, changes: object): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  deleteStream(user: string, device: string, stream: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  deleteDevice(user: string, device: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  insertNow(user: string, device: string, stream: string, data: unknown): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  insertStream(user: string, device: string, stream: string, points: object[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  lengthStream(user: string, device: string, stream: string): Promise<number>;
  indexStream(
    user: string,
    device: string,
    stream: string,
    i1: number,
    i2: number,
    transform?: string,
  ): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  timeStream(
    user: string,
    device: string,
    stream: string,
    t1: number,
    t2: number,
    limit?: number,
    transform?: string,
  ): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  getTransforms(): Promise<Record<string, unknown>>;
  getInterpolators(): Promise<Record<string, unknown>>;
}

const require = createRequire(import.meta.url);
const { ConnectorDB } = require('connectordb') as {
  ConnectorDB: new (userOrKey?: string, password?: string, url?: string) => OriginalClient;
};

describe('the original ConnectorDB JavaScript client', () => {
  let t: TestServer;
  let admin: OriginalClient;
  let cdb: OriginalClient;

  beforeAll(async () => {
    t = await startTestServer();
    admin = new ConnectorDB('test', 'test', t.url);
  });
  afterAll(() => t.close());

  it('creates and reads a user as admin, then logs in as that user', async () => {
    const created = await admin.createUser({
      name: 'jsuser',
      email: 'js@localhost',
      password: 'jspass',
      role: 'user',
      public: false,
    });
    expect(created).toMatchObject({ name: 'jsuser', email: 'js@localhost', role: 'user', public: false });
    cdb = new ConnectorDB('jsuser', 'jspass', t.url);
    expect(await cdb.readUser('jsuser')).toMatchObject({ name: 'jsuser' });
    expect(await cdb.updateUser('jsuser', { nickname: 'JS' })).toMatchObject({ nickname: 'JS' });
    const devices = (await cdb.listDevices('jsuser')) as { name: string }[];
    expect(devices.map((d) => d.name).sort()).toEqual(['meta', 'user']);
  });

  it('creates a device and a stream, inserts, and reads back by index and time', async () => {
    const device = await cdb.createDevice('jsuser', { name: 'sensor', nickname: 'Sensor' });
    expect(device).toMatchObject({ name: 'sensor', nickname: 'Sensor', enabled: true });
    expect(await cdb.readDevice('jsuser', 'sensor')).toMatchObject({ name: 'sensor' });

    const stream = await cdb.createStream('jsuser', 'user', {
      name: 'mood',
      schema: JSON.stringify({ type: 'integer', minimum: 0, maximum: 10 }),
      datatype: 'rating.stars',
      nickname: 'Mood',
    });
    expect(stream).toMatchObject({
      name: 'mood',
      schema: '{"type":"integer","minimum":0,"maximum":10}',
      datatype: 'rating.stars',
    });
    expect(await cdb.readStream('jsuser', 'user', 'mood')).toMatchObject({ nickname: 'Mood' });
    expect(((await cdb.listStreams('jsuser', 'user')) as { name: string }[]).map((s) => s.name)).toEqual([
      'mood',
    ]);

    expect(await cdb.insertNow('jsuser', 'user', 'mood', 7)).toBe('ok');
    const start = Date.now() / 1000;
    await cdb.insertStream('jsuser', 'user', 'mood', [
      { t: start + 1, d: 8 },
      { t: start + 2, d: 9 },
    ]);
    expect(await cdb.lengthStream('jsuser', 'user', 'mood')).toBe(3);
    const all = (await cdb.indexStream('jsuser', 'user', 'mood', 0, 0)) as { d: number }[];
    expect(all.map((p) => p.d)).toEqual([7, 8, 9]);
    const ranged = (await cdb.timeStream('jsuser', 'user', 'mood', start + 0.5, start + 5)) as {
      d: number;
    }[];
    expect(ranged.map((p) => p.d)).toEqual([8, 9]);
    const transformed = (await cdb.indexStream('jsuser', 'user', 'mood', 0, 0, 'if $ > 7')) as {
      d: number;
    }[];
    expect(transformed.map((p) => p.d)).toEqual([8, 9]);

    // Errors come back as the error body (the client does not throw).
    const refused = await cdb.insertStream('jsuser', 'user', 'mood', [{ t: start + 3, d: 11 }]);
    expect(refused).toMatchObject({ code: 403 });
  });

  it("lists the user's streams with the filters its apps used", async () => {
    await cdb.createStream('jsuser', 'sensor', {
      name: 'switch',
      schema: '{"type":"boolean"}',
      downlink: true,
    });
    const downlinks = (await cdb.listUserStreams('jsuser', '*', false, true, true)) as {
      name: string;
      device: string;
    }[];
    expect(downlinks).toEqual([expect.objectContaining({ name: 'switch', device: 'sensor' })]);
    const visible = (await cdb.listUserStreams('jsuser')) as { device: string }[];
    expect(visible.some((s) => s.device === 'meta')).toBe(false);
  });

  it('updates and deletes streams and devices', async () => {
    expect(await cdb.updateStream('jsuser', 'sensor', 'switch', { nickname: 'Switch' })).toMatchObject({
      nickname: 'Switch',
    });
    expect(await cdb.deleteStream('jsuser', 'sensor', 'switch')).toBe('ok');
    expect(await cdb.readStream('jsuser', 'sensor', 'switch')).toMatchObject({ code: 404 });
    expect(await cdb.deleteDevice('jsuser', 'sensor')).toBe('ok');
  });

  it('reads the transforms and interpolators', async () => {
    expect(Object.keys(await cdb.getTransforms())).toEqual(
      expect.arrayContaining(['if', 'sum', 'mean', 'while']),
    );
    expect(Object.keys(await cdb.getInterpolators())).toEqual(expect.arrayContaining(['closest', 'before']));
  });

  it("subscribes with its Authorization header and sees the client's inserts live", async () => {
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/websocket`, {
      headers: { authorization: cdb.authHeader },
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const received = new Promise<{ stream: string; data: { d: number }[] }>((resolve) =>
      socket.once('message', (raw) => resolve(JSON.parse(String(raw)))),
    );
    socket.send(JSON.stringify({ cmd: 'subscribe', arg: 'jsuser/user/mood', transform: '' }));
    await new Promise((r) => setTimeout(r, 100));
    await cdb.insertNow('jsuser', 'user', 'mood', 5);
    const message = await received;
    expect(message.stream).toBe('jsuser/user/mood');
    expect(message.data[0]!.d).toBe(5);
    socket.close();
  });
});
