/**
 * The default permissions (connectordb-v1.md §4) route by route, for the four kinds of caller:
 * an admin's user device, a user's own `user` device, a plain device of that user (role none),
 * and nobody. Then the `reader` and `writer` device roles, and other users' public and private things.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, basic, startTestServer, type TestServer } from '../testing/testServer';

type Caller = 'admin' | 'user' | 'device' | 'nobody';
const CALLERS: Caller[] = ['admin', 'user', 'device', 'nobody'];

describe('permissions by route and caller', () => {
  let t: TestServer;
  const as = {} as Record<Caller | 'reader' | 'writer', ReturnType<typeof api>>;
  let fixtureCount = 0;
  let credentials: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    t = await startTestServer();
    const admin = api(t.url, basic('test', 'test'));
    await admin.post('crud/alice', { email: 'alice@localhost', password: 'pw' });
    await admin.post('crud/bob', { email: 'bob@localhost', password: 'pw', public: false });
    await admin.post('crud/carol', { email: 'carol@localhost', password: 'pw', public: true });
    const alice = api(t.url, basic('alice', 'pw'));
    const phoneKey = (await alice.post('crud/alice/phone')).json.apikey;
    const readerKey = (await alice.post('crud/alice/reader', { role: 'reader' })).json.apikey;
    const writerKey = (await alice.post('crud/alice/writer', { role: 'writer' })).json.apikey;
    const phone = api(t.url, basic('', phoneKey));
    await phone.post('crud/alice/phone/steps', { schema: '{"type":"number"}' });
    await phone.post('crud/alice/phone/light', { schema: '{"type":"boolean"}', downlink: true });
    await alice.post('crud/alice/user/mood', { schema: '{"type":"number"}' });
    await phone.post('crud/alice/phone/steps/data', [{ t: 1, d: 1 }]);
    credentials = { admin: basic('test', 'test'), user: basic('alice', 'pw'), device: basic('', phoneKey) };
    Object.assign(as, {
      admin,
      user: alice,
      device: phone,
      nobody: api(t.url),
      reader: api(t.url, basic('', readerKey)),
      writer: api(t.url, basic('', writerKey)),
    });
  });
  afterAll(() => t.close());

  /** Runs one request per caller and compares the statuses. */
  async function expectStatuses(
    expected: Record<Caller, number>,
    request: (client: ReturnType<typeof api>, caller: Caller, unique: string) => Promise<{ status: number }>,
  ) {
    const actual = {} as Record<Caller, number>;
    for (const caller of CALLERS)
      actual[caller] = (await request(as[caller], caller, `x${fixtureCount++}`)).status;
    expect(actual).toEqual(expected);
  }

  const row = (admin: number, user: number, device: number, nobody: number) => ({
    admin,
    user,
    device,
    nobody,
  });

  it('GET /?q=this names each caller', async () => {
    const names = await Promise.all(CALLERS.map(async (c) => (await as[c].get('?q=this')).text));
    expect(names).toEqual(['test/user', 'alice/user', 'alice/phone', 'nobody']);
  });

  it('GET /?q=count* is for admins', async () => {
    for (const q of ['countusers', 'countdevices', 'countstreams']) {
      await expectStatuses(row(200, 403, 403, 403), (c) => c.get(`?q=${q}`));
    }
  });

  it('GET /login needs credentials; /logout and /meta/* need none', async () => {
    await expectStatuses(row(200, 200, 200, 401), (c) => c.get('login'));
    await expectStatuses(row(200, 200, 200, 200), (c) => c.get('logout'));
    await expectStatuses(row(200, 200, 200, 200), (c) => c.get('meta/version'));
  });

  describe('users', () => {
    it('GET /crud/?q=ls', () => expectStatuses(row(200, 404, 404, 404), (c) => c.get('crud/?q=ls')));
    it('GET /crud/alice', () => expectStatuses(row(200, 200, 404, 404), (c) => c.get('crud/alice')));
    it('GET /crud/alice?q=ls', () =>
      expectStatuses(row(200, 200, 404, 404), (c) => c.get('crud/alice?q=ls')));
    it('GET /crud/alice?q=streams', () =>
      expectStatuses(row(200, 200, 404, 404), (c) => c.get('crud/alice?q=streams')));
    it('POST /crud/{new user}', () =>
      expectStatuses(row(200, 403, 403, 403), (c, _, u) =>
        c.post(`crud/${u}`, { email: `${u}@x`, password: 'pw' }),
      ));
    it('PUT /crud/alice', () =>
      expectStatuses(row(200, 200, 403, 403), (c) => c.put('crud/alice', { nickname: 'A' })));
    it('DELETE /crud/{user}', async () => {
      const victims: string[] = [];
      for (let i = 0; i < 4; i++) {
        victims.push(`victim${i}`);
        await as.admin.post(`crud/victim${i}`, { email: `v${i}@x`, password: 'pw' });
      }
      // The admin goes last so that the others try to delete a user that still exists.
      const order: Caller[] = ['user', 'device', 'nobody', 'admin'];
      const statuses = await Promise.all(
        order.map(async (c, i) => (await as[c].del(`crud/${victims[i]}`)).status),
      );
      expect(statuses).toEqual([403, 403, 403, 200]);
    });
    it('GET /crud/bob (a private user) and /crud/carol (public)', async () => {
      await expectStatuses(row(200, 404, 404, 404), (c) => c.get('crud/bob'));
      await expectStatuses(row(200, 200, 404, 404), (c) => c.get('crud/carol'));
    });
    it('shows another user only the public fields', async () => {
      const carol = (await as.user.get('crud/carol')).json;
      expect(Object.keys(carol).sort()).toEqual(['description', 'icon', 'name', 'nickname']);
    });
  });

  describe('devices', () => {
    it('GET /crud/alice/phone (the device itself)', () =>
      expectStatuses(row(200, 200, 200, 404), (c) => c.get('crud/alice/phone')));
    it('GET /crud/alice/user (another device of the same user)', () =>
      expectStatuses(row(200, 200, 404, 404), (c) => c.get('crud/alice/user')));
    it('GET /crud/alice/phone?q=ls', () =>
      expectStatuses(row(200, 200, 200, 404), (c) => c.get('crud/alice/phone?q=ls')));
    it('POST /crud/alice/{new device}', () =>
      expectStatuses(row(200, 200, 403, 403), (c, _, d) => c.post(`crud/alice/${d}`)));
    it('PUT /crud/alice/phone', () =>
      expectStatuses(row(200, 200, 200, 403), (c) => c.put('crud/alice/phone', { nickname: 'P' })));
    it('PUT /crud/alice/user', () =>
      expectStatuses(row(200, 200, 403, 403), (c) => c.put('crud/alice/user', { nickname: 'U' })));
    it('DELETE /crud/alice/{device}', () =>
      expectStatuses(row(200, 200, 403, 403), async (c, caller, d) => {
        await as.user.post(`crud/alice/${d}`);
        return c.del(`crud/alice/${d}`);
      }));
    it('a device cannot delete itself', async () => {
      expect((await as.device.del('crud/alice/phone')).status).toBe(403);
    });
    it('hides the API key from readers of other devices', async () => {
      expect((await as.reader.get('crud/alice/phone')).json).not.toHaveProperty('apikey');
      expect((await as.device.get('crud/alice/phone')).json).toHaveProperty('apikey');
    });
  });

  describe('streams', () => {
    it('GET /crud/alice/phone/steps (own stream of the device)', () =>
      expectStatuses(row(200, 200, 200, 404), (c) => c.get('crud/alice/phone/steps')));
    it("GET /crud/alice/user/mood (another device's stream)", () =>
      expectStatuses(row(200, 200, 404, 404), (c) => c.get('crud/alice/user/mood')));
    it('POST /crud/alice/phone/{new stream}', () =>
      expectStatuses(row(200, 200, 200, 403), (c, _, s) =>
        c.post(`crud/alice/phone/${s}`, { schema: '{}' }),
      ));
    it('POST /crud/alice/user/{new stream}', () =>
      expectStatuses(row(200, 200, 403, 403), (c, _, s) => c.post(`crud/alice/user/${s}`, { schema: '{}' })));
    it('PUT /crud/alice/phone/steps', () =>
      expectStatuses(row(200, 200, 200, 403), (c) => c.put('crud/alice/phone/steps', { nickname: 'Steps' })));
    it('DELETE /crud/alice/phone/{stream}', () =>
      expectStatuses(row(200, 200, 200, 403), async (c, _, s) => {
        await as.device.post(`crud/alice/phone/${s}`, { schema: '{}' });
        return c.del(`crud/alice/phone/${s}`);
      }));
  });

  describe('data', () => {
    it("GET data of the device's own stream", () =>
      expectStatuses(row(200, 200, 200, 403), (c) => c.get('crud/alice/phone/steps/data?i1=0&i2=0')));
    it("GET data of another device's stream", () =>
      expectStatuses(row(200, 200, 403, 403), (c) => c.get('crud/alice/user/mood/data?i1=0&i2=0')));
    it('GET q=length and q=time2index', async () => {
      await expectStatuses(row(200, 200, 200, 403), (c) => c.get('crud/alice/phone/steps/data?q=length'));
      await expectStatuses(row(200, 200, 200, 403), (c) =>
        c.get('crud/alice/phone/steps/data?q=time2index&t=0'),
      );
    });
    it('GET the downlink substream', () =>
      expectStatuses(row(200, 200, 200, 403), (c) =>
        c.get('crud/alice/phone/light/data?i1=0&i2=0&downlink=true'),
      ));
    it('PUT data: only the owner writes a stream that is not a downlink', () =>
      expectStatuses(row(403, 403, 200, 403), (c) => c.put('crud/alice/phone/steps/data', [{ d: 2 }])));
    it("POST data to the user device's stream", () =>
      expectStatuses(row(403, 200, 403, 403), (c) => c.put('crud/alice/user/mood/data', [{ d: 2 }])));
    it('PUT data to a downlink stream: others send commands, the owner acknowledges', async () => {
      await expectStatuses(row(200, 200, 200, 403), (c) =>
        c.put('crud/alice/phone/light/data', [{ d: true }]),
      );
      const commands = (await as.user.get('crud/alice/phone/light/data?i1=0&i2=0&downlink=true')).json as {
        o: string;
      }[];
      expect(commands.map((p) => p.o).sort()).toEqual(['alice/user', 'test/user']);
      expect((await as.user.get('crud/alice/phone/light/data?q=length')).text).toBe('1');
    });
    it('GET the Atom feed', () =>
      expectStatuses(row(200, 200, 200, 404), (c) => c.get('feed/alice/phone/steps.atom')));
  });

  describe('queries and subscriptions', () => {
    it('POST /query/merge and /query/dataset', async () => {
      await expectStatuses(row(200, 200, 200, 403), (c) =>
        c.post('query/merge', [{ stream: 'alice/phone/steps' }]),
      );
      await expectStatuses(row(200, 200, 403, 403), (c) =>
        c.post('query/merge', [{ stream: 'alice/user/mood' }]),
      );
      const dataset = { t1: 0, t2: 10, dt: 1, dataset: { s: { stream: 'alice/phone/steps' } } };
      await expectStatuses(row(200, 200, 200, 403), (c) => c.post('query/dataset', dataset));
    });
    it('GET data?q=plot and q=downsample', async () => {
      await expectStatuses(row(200, 200, 200, 403), (c) =>
        c.get('crud/alice/phone/steps/data?q=plot&t1=0&t2=10&width=10'),
      );
      await expectStatuses(row(200, 200, 403, 403), (c) =>
        c.get('crud/alice/user/mood/data?q=downsample&t1=0&t2=10&level=1h'),
      );
    });
    it('websocket subscriptions deliver only what the caller may read', async () => {
      const received: Record<Caller, string[]> = { admin: [], user: [], device: [], nobody: [] };
      const sockets = await Promise.all(
        CALLERS.map(async (caller) => {
          const auth = credentials[caller];
          const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/websocket`, {
            headers: auth ? { authorization: auth } : {},
          });
          await new Promise((resolve, reject) => {
            socket.once('open', resolve);
            socket.once('error', reject);
          });
          socket.on('message', (raw) => received[caller].push(JSON.parse(String(raw)).stream));
          for (const arg of ['alice/phone/steps', 'alice/user/mood', 'alice/phone/light/downlink']) {
            socket.send(JSON.stringify({ cmd: 'subscribe', arg }));
          }
          return socket;
        }),
      );
      await new Promise((r) => setTimeout(r, 200));
      await as.device.put('crud/alice/phone/steps/data', [{ d: 5 }]);
      await as.user.put('crud/alice/user/mood/data', [{ d: 5 }]);
      await as.user.put('crud/alice/phone/light/data', [{ d: true }]);
      await new Promise((r) => setTimeout(r, 300));
      for (const socket of sockets) socket.close();
      const sorted = (xs: string[]) => xs.slice().sort();
      expect(sorted(received.admin)).toEqual([
        'alice/phone/light/downlink',
        'alice/phone/steps',
        'alice/user/mood',
      ]);
      expect(sorted(received.user)).toEqual([
        'alice/phone/light/downlink',
        'alice/phone/steps',
        'alice/user/mood',
      ]);
      expect(sorted(received.device)).toEqual(['alice/phone/light/downlink', 'alice/phone/steps']);
      expect(received.nobody).toEqual([]);
    });
  });

  describe('reader and writer devices', () => {
    it('a reader reads everything of its user but writes nothing else', async () => {
      expect((await as.reader.get('crud/alice/user/mood/data?i1=0&i2=0')).status).toBe(200);
      expect((await as.reader.get('crud/alice?q=ls')).status).toBe(200);
      expect((await as.reader.put('crud/alice/phone/light/data', [{ d: true }])).status).toBe(403);
      expect((await as.reader.put('crud/alice/phone', { nickname: 'R' })).status).toBe(403);
      expect((await as.reader.get('crud/bob')).status).toBe(404);
    });
    it('a writer also sends commands to downlinks, and only to downlinks', async () => {
      expect((await as.writer.put('crud/alice/phone/light/data', [{ d: false }])).status).toBe(200);
      expect((await as.writer.put('crud/alice/phone/steps/data', [{ d: 3 }])).status).toBe(403);
      expect((await as.writer.post('crud/alice/writer/own', { schema: '{}' })).status).toBe(200);
      expect((await as.writer.put('crud/alice/writer/own/data', [{ d: 1 }])).status).toBe(200);
    });
  });

  describe("another user's things", () => {
    it("hides a private user's devices and streams from other users", async () => {
      const bob = api(t.url, basic('bob', 'pw'));
      await bob.post('crud/bob/user/secret', { schema: '{}' });
      expect((await as.user.get('crud/bob/user/secret')).status).toBe(404);
      expect((await as.user.get('crud/bob/user/secret/data?i1=0&i2=0')).status).toBe(403);
      expect((await as.admin.get('crud/bob/user/secret')).status).toBe(200);
    });
    it("shows a public user's public devices read-only", async () => {
      const carol = api(t.url, basic('carol', 'pw'));
      const weatherKey = (
        await carol.post('crud/carol/weather', {
          public: true,
          streams: { temp: { schema: '{"type":"number"}' } },
        })
      ).json.apikey;
      await carol.post('crud/carol/diary', { public: false });
      expect(
        (await api(t.url, basic('', weatherKey)).put('crud/carol/weather/temp/data', [{ d: 21 }])).status,
      ).toBe(200);
      expect((await as.user.get('crud/carol?q=ls')).json.map((d: { name: string }) => d.name)).toEqual([
        'weather',
      ]);
      expect((await as.user.get('crud/carol/weather/temp/data?i1=0&i2=0')).json[0].d).toBe(21);
      expect((await as.user.get('crud/carol/weather')).json).not.toHaveProperty('apikey');
      expect((await as.user.put('crud/carol/weather', { nickname: 'mine' })).status).toBe(403);
      expect((await as.user.del('crud/carol/weather/temp')).status).toBe(403);
      expect((await as.user.get('crud/carol/diary')).status).toBe(404);
    });
  });
});
