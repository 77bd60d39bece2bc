import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, basic, startTestServer, type TestServer } from '../../testing/testServer';

/** A raw protocol client that records every message it receives. */
class RawClient {
  readonly messages: { stream: string; transform?: string; data: { t: number; d: unknown; o?: string }[] }[] =
    [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => this.messages.push(JSON.parse(String(raw))));
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/websocket`, { headers });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new RawClient(socket);
  }

  send(command: object): void {
    this.socket.send(JSON.stringify(command));
  }

  /** Sends a command and waits until the server has surely processed it (a ping round trip). */
  async command(command: object): Promise<void> {
    this.send(command);
    await new Promise<void>((resolve) => {
      this.socket.once('pong', () => resolve());
      this.socket.ping();
    });
    await new Promise((r) => setTimeout(r, 20));
  }

  async waitFor(count: number, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${this.messages.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('websocket', () => {
  let t: TestServer;
  let alice: ReturnType<typeof api>;
  let lampKey: string;
  const auth = { authorization: basic('alice', 'pw') };

  beforeAll(async () => {
    t = await startTestServer({ config: { wsPingIntervalMs: 200 } });
    await api(t.url, basic('test', 'test')).post('crud/alice', { email: 'alice@localhost', password: 'pw' });
    alice = api(t.url, basic('alice', 'pw'));
    await alice.post('crud/alice/user/n', { schema: '{"type":"number"}' });
    lampKey = (await alice.post('crud/alice/lamp')).json.apikey;
    await api(t.url, basic('', lampKey)).post('crud/alice/lamp/light', {
      schema: '{"type":"boolean"}',
      downlink: true,
    });
  });
  afterAll(() => t.close());

  it('pushes inserted datapoints to subscribers, without a transform key', async () => {
    const client = await RawClient.open(t.url, auth);
    await client.command({ cmd: 'subscribe', arg: 'alice/user/n', transform: '' });
    await alice.put('crud/alice/user/n/data', [{ t: 1, d: 1337 }]);
    await client.waitFor(1);
    expect(client.messages[0]).toEqual({ stream: 'alice/user/n', data: [{ t: 1, d: 1337 }] });
    client.close();
  });

  it('sends one message per transform, each batch transformed on its own, nothing when empty', async () => {
    const client = await RawClient.open(t.url, auth);
    await client.command({ cmd: 'subscribe', arg: 'alice/user/n' });
    await client.command({ cmd: 'subscribe', arg: 'alice/user/n', transform: 'if $ > 200' });
    await alice.put('crud/alice/user/n/data', [{ d: 100 }]);
    await client.waitFor(1);
    await settle();
    expect(client.messages).toHaveLength(1);
    expect(client.messages[0]!.transform).toBeUndefined();
    await alice.put('crud/alice/user/n/data', [{ d: 3000 }]);
    await client.waitFor(3);
    expect(client.messages[2]).toMatchObject({
      stream: 'alice/user/n',
      transform: 'if $ > 200',
      data: [{ d: 3000 }],
    });

    await client.command({ cmd: 'unsubscribe', arg: 'alice/user/n', transform: 'if $ > 200' });
    await alice.put('crud/alice/user/n/data', [{ d: 900 }]);
    await client.waitFor(4);
    await settle();
    expect(client.messages).toHaveLength(4);
    expect(client.messages[3]).toMatchObject({ data: [{ d: 900 }] });
    client.close();
  });

  it('resets transform state between batches', async () => {
    const client = await RawClient.open(t.url, auth);
    await client.command({ cmd: 'subscribe', arg: 'alice/user/n', transform: 'count' });
    await alice.put('crud/alice/user/n/data', [{ d: 1 }, { d: 2 }]);
    await alice.put('crud/alice/user/n/data', [{ d: 3 }]);
    await client.waitFor(2);
    expect(client.messages.map((m) => m.data.map((p) => p.d))).toEqual([[1, 2], [1]]);
    client.close();
  });

  it('stops after unsubscribe and unsubscribe_all', async () => {
    const client = await RawClient.open(t.url, auth);
    await client.command({ cmd: 'subscribe', arg: 'alice/user/n', transform: '' });
    await client.command({ cmd: 'unsubscribe', arg: 'alice/user/n', transform: '' });
    await client.command({ cmd: 'subscribe', arg: 'alice/lamp/light' });
    await client.command({ cmd: 'unsubscribe_all' });
    await alice.put('crud/alice/user/n/data', [{ d: 5 }]);
    await alice.put('crud/alice/lamp/light/data', [{ d: true }]);
    await settle();
    expect(client.messages).toEqual([]);
    client.close();
  });

  it('applies the commands of one connection in order: unsubscribe_all right after subscribe wins', async () => {
    await alice.post('crud/alice/user/order', { schema: '{"type":"number"}' });
    await alice.post('crud/alice/user/marker', { schema: '{"type":"number"}' });
    const client = await RawClient.open(t.url, auth);
    for (let round = 0; round < 5; round++) {
      // Sent back to back: the subscribe waits for storage, the unsubscribe_all must still come after it.
      client.send({ cmd: 'subscribe', arg: 'alice/user/order' });
      client.send({ cmd: 'unsubscribe_all' });
      await client.command({ cmd: 'subscribe', arg: 'alice/user/marker' });
      await alice.put('crud/alice/user/order/data', [{ d: round }]);
      await alice.put('crud/alice/user/marker/data', [{ d: round }]);
      await client.waitFor(round + 1);
      await settle();
      expect(client.messages.map((m) => m.stream)).toEqual(Array(round + 1).fill('alice/user/marker'));
      await client.command({ cmd: 'unsubscribe_all' });
    }
    client.close();
  });

  it('restamps a websocket insert past an integer last timestamp', async () => {
    await alice.post('crud/alice/user/stamped', { schema: '{"type":"number"}' });
    await alice.post('crud/alice/user/stamped/data', [{ t: 10, d: 1 }]);
    const client = await RawClient.open(t.url, auth);
    await client.command({ cmd: 'subscribe', arg: 'alice/user/stamped' });
    await client.command({ cmd: 'insert', arg: 'alice/user/stamped', d: [{ t: 5, d: 2 }] });
    await client.waitFor(1);
    expect(client.messages[0]!.data).toEqual([{ t: 10.00001, d: 2 }]);
    expect((await alice.get('crud/alice/user/stamped/data?i1=0&i2=0')).json).toEqual([
      { t: 10, d: 1 },
      { t: 10.00001, d: 2 },
    ]);
    client.close();
  });

  it('inserts with restamp over the socket and reports nothing back', async () => {
    const client = await RawClient.open(t.url, auth);
    await client.command({ cmd: 'subscribe', arg: 'alice/user/n' });
    const last = (await alice.get('crud/alice/user/n/data?i1=-1&i2=0')).json[0].t as number;
    await client.command({ cmd: 'insert', arg: 'alice/user/n', d: [{ t: 1, d: 42 }] });
    await client.waitFor(1);
    // An integer last timestamp is passed by 0.00001 (connectordb-v1.md §2.5 rule 4).
    expect(client.messages[0]!.data).toEqual([{ t: Number.isInteger(last) ? last + 0.00001 : last, d: 42 }]);
    // A failed insert (schema) is only logged.
    await client.command({ cmd: 'insert', arg: 'alice/user/n', d: [{ d: 'not a number' }] });
    await client.command({ cmd: 'nonsense' });
    await settle();
    expect(client.messages).toHaveLength(1);
    client.close();
  });

  it('carries commands on the downlink substream and acknowledgements on the stream', async () => {
    const lamp = await RawClient.open(t.url, { authorization: basic('', lampKey) });
    const user = await RawClient.open(t.url, auth);
    await lamp.command({ cmd: 'subscribe', arg: 'alice/lamp/light/downlink' });
    await user.command({ cmd: 'subscribe', arg: 'alice/lamp/light' });
    await alice.put('crud/alice/lamp/light/data', [{ d: true }]);
    await lamp.waitFor(1);
    expect(lamp.messages[0]).toMatchObject({
      stream: 'alice/lamp/light/downlink',
      data: [{ d: true, o: 'alice/user' }],
    });
    // The device acknowledges by inserting the value into its own stream, as the Python client does.
    await lamp.command({ cmd: 'insert', arg: 'alice/lamp/light', d: lamp.messages[0]!.data });
    await user.waitFor(1);
    expect(user.messages[0]!.stream).toBe('alice/lamp/light');
    expect(user.messages[0]!.data[0]).toMatchObject({ d: true });
    expect(user.messages[0]!.data[0]).not.toHaveProperty('o');
    lamp.close();
    user.close();
  });

  it('refuses subscriptions without access, and to users or devices', async () => {
    const lamp = await RawClient.open(t.url, { authorization: basic('', lampKey) });
    await lamp.command({ cmd: 'subscribe', arg: 'alice/user/n' });
    await lamp.command({ cmd: 'subscribe', arg: 'alice/lamp' });
    await lamp.command({ cmd: 'subscribe', arg: 'alice' });
    await alice.put('crud/alice/user/n/data', [{ d: 1 }]);
    await settle();
    expect(lamp.messages).toEqual([]);
    lamp.close();
  });

  it('authenticates the upgrade with Basic, apikey or cookie, and refuses bad credentials', async () => {
    const byKey = await RawClient.open(`${t.url}`, {});
    byKey.close();
    const keyed = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/websocket?apikey=${lampKey}`);
    await new Promise((resolve, reject) => {
      keyed.once('open', resolve);
      keyed.once('error', reject);
    });
    keyed.close();
    const login = await fetch(`${t.url}/api/v1/login`, { headers: auth });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    (await RawClient.open(t.url, { cookie })).close();
    await expect(RawClient.open(t.url, { cookie, origin: 'https://evil.example' })).rejects.toThrow(
      /HTTP 401/,
    );
    await expect(RawClient.open(t.url, { authorization: basic('alice', 'wrong') })).rejects.toThrow(
      /HTTP 401/,
    );
  });

  it('drops a subscription when access is lost, at the next keep-alive tick', async () => {
    await alice.post('crud/alice/user/temp', { schema: '{}' });
    const lamp = await RawClient.open(t.url, { authorization: basic('', lampKey) });
    await alice.put('crud/alice/lamp', { role: 'reader' });
    await lamp.command({ cmd: 'subscribe', arg: 'alice/user/temp' });
    await alice.put('crud/alice/user/temp/data', [{ d: 1 }]);
    await lamp.waitFor(1);
    await alice.put('crud/alice/lamp', { role: '' });
    await new Promise((r) => setTimeout(r, 500));
    await alice.put('crud/alice/user/temp/data', [{ d: 2 }]);
    await settle();
    expect(lamp.messages).toHaveLength(1);
    lamp.close();
  });

  it('closes a socket at the next keep-alive tick once its credentials no longer sign in', async () => {
    await api(t.url, basic('test', 'test')).post('crud/bob', { email: 'bob@localhost', password: 'pw' });
    const bob = api(t.url, basic('bob', 'pw'));
    const sensorKey = (await bob.post('crud/bob/sensor')).json.apikey as string;
    const login = await fetch(`${t.url}/api/v1/login`, { headers: { authorization: basic('bob', 'pw') } });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    const byKey = await RawClient.open(t.url, { authorization: basic('', sensorKey) });
    const byCookie = await RawClient.open(t.url, { cookie });
    const byPassword = await RawClient.open(t.url, { authorization: basic('bob', 'pw') });
    const unaffected = await RawClient.open(t.url, auth);
    const closeCode = (client: RawClient) =>
      new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
    const closes = [closeCode(byKey), closeCode(byCookie), closeCode(byPassword)];
    // Several ticks with the credentials unchanged: every socket stays.
    await new Promise((r) => setTimeout(r, 500));
    for (const client of [byKey, byCookie, byPassword]) expect(client.socket.readyState).toBe(WebSocket.OPEN);

    await bob.put('crud/bob/sensor', { apikey: '' }); // a new key for the sensor
    await bob.put('crud/bob/user', { apikey: '' }); // a new key ends the user device's sessions
    await api(t.url, basic('test', 'test')).put('crud/bob', { password: 'new password' });
    expect(await Promise.all(closes)).toEqual([1008, 1008, 1008]);
    expect(unaffected.socket.readyState).toBe(WebSocket.OPEN);
    unaffected.close();
  });

  it('does not count the rechecks of sockets with an old password as failed logins', async () => {
    const limited = await startTestServer({
      auth: { maxFailedLogins: 3, failedLoginDelayMs: 0 },
      config: { wsPingIntervalMs: 100 },
    });
    try {
      const admin = api(limited.url, basic('test', 'test'));
      await admin.post('crud/carol', { email: 'carol@localhost', password: 'pw' });
      const sockets = await Promise.all(
        Array.from({ length: 4 }, () => RawClient.open(limited.url, { authorization: basic('carol', 'pw') })),
      );
      const closed = sockets.map((c) => new Promise((resolve) => c.socket.once('close', resolve)));
      await admin.put('crud/carol', { password: 'new password' });
      await Promise.all(closed);
      // Four refused rechecks from this address, and yet the new password signs in (not 429).
      const login = await fetch(`${limited.url}/api/v1/login`, {
        headers: { authorization: basic('carol', 'new password') },
      });
      expect(login.status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('pings clients and closes those that stop answering', async () => {
    const client = await RawClient.open(t.url, auth);
    let pings = 0;
    client.socket.on('ping', () => pings++);
    await new Promise((r) => setTimeout(r, 500));
    expect(pings).toBeGreaterThanOrEqual(2);
    // A socket that does not answer pings (ws answers automatically unless paused) is terminated.
    const silent = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/websocket`, {
      headers: auth,
      autoPong: false,
    });
    const closed = new Promise((resolve) => silent.once('close', resolve));
    await closed;
    client.close();
  });
});
