import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, basic, startTestServer, type TestServer } from '../testing/testServer';

describe('stream data', () => {
  let t: TestServer;
  let alice: ReturnType<typeof api>;
  let n = 0;
  let s: string;

  beforeAll(async () => {
    t = await startTestServer();
    await api(t.url, basic('test', 'test')).post('crud/alice', { email: 'alice@localhost', password: 'pw' });
    alice = api(t.url, basic('alice', 'pw'));
  });
  afterAll(() => t.close());

  /** A fresh number stream per test. */
  beforeEach(async () => {
    s = `crud/alice/user/s${n++}`;
    expect((await alice.post(s, { schema: '{"type":"number"}' })).status).toBe(200);
  });

  const data = async (query = 'i1=0&i2=0') => (await alice.get(`${s}/data?${query}`)).json;

  describe('inserting', () => {
    it('appends with POST and answers ok', async () => {
      const response = await alice.post(`${s}/data`, [
        { t: 1, d: 1 },
        { t: 2, d: 2 },
      ]);
      expect(response.status).toBe(200);
      expect(response.text).toBe('ok');
      expect(await data()).toEqual([
        { t: 1, d: 1 },
        { t: 2, d: 2 },
      ]);
    });

    it('refuses with POST a batch older than the stream, accepts an equal timestamp', async () => {
      await alice.post(`${s}/data`, [{ t: 10, d: 1 }]);
      const older = await alice.post(`${s}/data`, [{ t: 9, d: 2 }]);
      expect(older.status).toBe(403);
      expect(older.json.msg).toBe('Greater timestamp already exists for the stream. Insert Failed.');
      expect((await alice.post(`${s}/data`, [{ t: 10, d: 3 }])).status).toBe(200);
      expect((await alice.get(`${s}/data?q=length`)).text).toBe('2');
    });

    it('restamps with PUT every leading datapoint at or before a whole last timestamp to just after it', async () => {
      await alice.post(`${s}/data`, [{ t: 10, d: 1 }]);
      expect(
        (
          await alice.put(`${s}/data`, [
            { t: 5, d: 2 },
            { t: 10, d: 3 },
            { t: 12, d: 4 },
          ])
        ).text,
      ).toBe('ok');
      // last + 0.00001 when last is an integer, as ConnectorDB's Lua/msgpack workaround did.
      expect(await data()).toEqual([
        { t: 10, d: 1 },
        { t: 10.00001, d: 2 },
        { t: 10.00001, d: 3 },
        { t: 12, d: 4 },
      ]);
    });

    it('restamps with PUT to a fractional last timestamp itself', async () => {
      await alice.post(`${s}/data`, [{ t: 10.5, d: 1 }]);
      expect(
        (
          await alice.put(`${s}/data`, [
            { t: 5, d: 2 },
            { t: 11, d: 3 },
          ])
        ).text,
      ).toBe('ok');
      expect(await data()).toEqual([
        { t: 10.5, d: 1 },
        { t: 10.5, d: 2 },
        { t: 11, d: 3 },
      ]);
    });

    it('stamps a datapoint without t, or with t = 0, with the server time', async () => {
      const before = Date.now() / 1000;
      await alice.post(`${s}/data`, [{ d: 1 }, { t: 0, d: 2 }]);
      const points = await data();
      for (const p of points) {
        expect(p.t).toBeGreaterThanOrEqual(before - 1);
        expect(p.t).toBeLessThanOrEqual(Date.now() / 1000 + 1);
      }
    });

    it('refuses an unordered batch', async () => {
      const response = await alice.post(`${s}/data`, [
        { t: 2, d: 1 },
        { t: 1, d: 2 },
      ]);
      expect(response.status).toBe(403);
      expect(response.json.msg).toBe('Timestamps are not ordered!');
      expect(await data()).toEqual([]);
    });

    it('validates the whole batch against the schema: one bad value inserts nothing', async () => {
      const response = await alice.post(`${s}/data`, [
        { t: 1, d: 1 },
        { t: 2, d: 'two' },
      ]);
      expect(response.status).toBe(403);
      expect(response.json.msg).toMatch(/^At least one datapoint did not conform to the stream's schema/);
      expect(response.json.msg).toMatch(/datapoint 1/);
      expect(await data()).toEqual([]);
    });

    it('stores any order in time order with method=insert', async () => {
      await alice.post(`${s}/data`, [
        { t: 10, d: 10 },
        { t: 20, d: 20 },
      ]);
      expect(
        (
          await alice.post(`${s}/data?method=insert`, [
            { t: 15, d: 15 },
            { t: 5, d: 5 },
            { t: 25, d: 25 },
          ])
        ).text,
      ).toBe('ok');
      expect((await data()).map((p: { t: number }) => p.t)).toEqual([5, 10, 15, 20, 25]);
      expect((await alice.post(`${s}/data?method=sideways`, [{ t: 1, d: 1 }])).status).toBe(400);
    });

    it('answers 400 to a body that is not an array of datapoints, or not JSON', async () => {
      for (const body of [
        '{"t":1,"d":1}',
        '[1, 2]',
        '[{"t":"yesterday","d":1}]',
        'garbage',
        '[{"t":1,"d":1}',
      ]) {
        const response = await alice.post(`${s}/data`, body);
        expect(response.status, body).toBe(400);
        expect(response.json).toMatchObject({ code: 400 });
      }
    });

    it('refuses a body over 10 MB with 413', async () => {
      const huge = JSON.stringify([{ t: 1, d: 'x'.repeat(11 * 1024 * 1024) }]);
      const response = await alice.post(`${s}/data`, huge);
      expect(response.status).toBe(413);
      expect(response.json.code).toBe(413);
    });

    it('inserts 100,000 datapoints in one request', async () => {
      const points = Array.from({ length: 100_000 }, (_, i) => ({ t: 1_000_000 + i, d: i }));
      expect((await alice.post(`${s}/data`, points)).text).toBe('ok');
      expect((await alice.get(`${s}/data?q=length`)).text).toBe('100000');
      expect(await data('i1=-1&i2=0')).toEqual([{ t: 1_099_999, d: 99_999 }]);
    });

    it('validates, publishes and forgets the data of an ephemeral stream', async () => {
      await alice.put(s, { ephemeral: true });
      expect((await alice.post(`${s}/data`, [{ t: 1, d: 1 }])).text).toBe('ok');
      expect((await alice.post(`${s}/data`, [{ t: 1, d: 'x' }])).status).toBe(403);
      expect((await alice.get(`${s}/data?q=length`)).text).toBe('0');
    });
  });

  describe('idempotency keys', () => {
    it('replays the first answer for a retried request and inserts nothing again', async () => {
      const headers = { 'idempotency-key': `k-${s}` };
      const body = [{ t: 1, d: 1 }];
      expect((await alice.post(`${s}/data?method=insert`, body, headers)).text).toBe('ok');
      const again = await alice.post(`${s}/data?method=insert`, body, headers);
      expect(again.status).toBe(200);
      expect(again.text).toBe('ok');
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await alice.get(`${s}/data?q=length`)).text).toBe('1');
    });

    it('answers 409 when the same key comes with a different body', async () => {
      const headers = { 'idempotency-key': `c-${s}` };
      await alice.post(`${s}/data`, [{ t: 1, d: 1 }], headers);
      const conflict = await alice.post(`${s}/data`, [{ t: 2, d: 2 }], headers);
      expect(conflict.status).toBe(409);
      expect(conflict.json).toMatchObject({ code: 409 });
      expect((await alice.get(`${s}/data?q=length`)).text).toBe('1');
    });

    it('keeps keys per device, and also covers object writes', async () => {
      const headers = { 'idempotency-key': `o-${s}` };
      const first = await alice.put(s, { nickname: 'One' }, headers);
      await alice.put(s, { nickname: 'Two' });
      const replay = await alice.put(s, { nickname: 'One' }, headers);
      expect(replay.json).toEqual(first.json);
      expect((await alice.get(s)).json.nickname).toBe('Two');
      const adminReplay = await api(t.url, basic('test', 'test')).put(s, { nickname: 'One' }, headers);
      expect(adminReplay.headers.get('idempotent-replayed')).toBeNull();
    });

    it('replays a retried insert into an ephemeral stream without publishing it again, 409 for another body', async () => {
      await alice.put(s, { ephemeral: true });
      const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/api/v1/websocket`, {
        headers: { authorization: basic('alice', 'pw') },
      });
      const pushes: unknown[] = [];
      socket.on('message', (raw) => pushes.push(JSON.parse(String(raw))));
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      try {
        socket.send(JSON.stringify({ cmd: 'subscribe', arg: s.replace('crud/', '') }));
        await new Promise((resolve) => socket.once('pong', resolve).ping());
        await new Promise((r) => setTimeout(r, 50));

        const headers = { 'idempotency-key': `e-${s}` };
        const body = [{ t: 1, d: 1 }];
        const first = await alice.post(`${s}/data`, body, headers);
        expect(first.text).toBe('ok');
        expect(first.headers.get('idempotent-replayed')).toBeNull();
        const again = await alice.post(`${s}/data`, body, headers);
        expect(again.status).toBe(200);
        expect(again.text).toBe('ok');
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        const conflict = await alice.post(`${s}/data`, [{ t: 2, d: 2 }], headers);
        expect(conflict.status).toBe(409);
        expect(conflict.json).toMatchObject({ code: 409 });

        await new Promise((r) => setTimeout(r, 200));
        expect(pushes).toEqual([{ stream: s.replace('crud/', ''), data: [{ t: 1, d: 1 }] }]);
        expect((await alice.get(`${s}/data?q=length`)).text).toBe('0');
      } finally {
        socket.close();
      }
    });

    it('does not remember a refused request, so it can be retried', async () => {
      const headers = { 'idempotency-key': `r-${s}` };
      expect((await alice.post(`${s}/data`, [{ t: 1, d: 'bad' }], headers)).status).toBe(403);
      await alice.put(s, { schema: '{}' });
      expect((await alice.post(`${s}/data`, [{ t: 1, d: 'bad' }], headers)).status).toBe(200);
    });

    it('refuses a malformed key', async () => {
      expect(
        (await alice.post(`${s}/data`, [{ t: 1, d: 1 }], { 'idempotency-key': 'x'.repeat(300) })).status,
      ).toBe(400);
    });
  });

  describe('reading', () => {
    beforeEach(async () => {
      await alice.post(
        `${s}/data`,
        [1, 2, 3, 4, 5].map((i) => ({ t: i, d: i * 10 })),
      );
    });

    it('reads index ranges with Python slice rules', async () => {
      const ds = async (q: string) => ((await data(q)) as { d: number }[]).map((p) => p.d);
      expect(await ds('i1=0&i2=0')).toEqual([10, 20, 30, 40, 50]);
      expect(await ds('i1=1&i2=3')).toEqual([20, 30]);
      expect(await ds('i1=-2&i2=0')).toEqual([40, 50]);
      expect(await ds('i1=-1')).toEqual([50]);
      expect(await ds('i1=1')).toEqual([20, 30, 40, 50]);
      expect(await ds('i1=0&i2=-2')).toEqual([10, 20, 30]);
      expect(await ds('i1=3&i2=100')).toEqual([40, 50]);
      expect(await ds('i1=-100&i2=2')).toEqual([10, 20]);
      expect(await ds('i1=7&i2=9')).toEqual([]);
      const backwards = await alice.get(`${s}/data?i1=3&i2=1`);
      expect(backwards.status).toBe(403);
    });

    it('reads an end-relative range of an empty stream as []', async () => {
      const empty = `crud/alice/user/empty${n}`;
      await alice.post(empty, {});
      expect((await alice.get(`${empty}/data?i1=-10&i2=0`)).json).toEqual([]);
    });

    it('reads time ranges as (t1, t2] with a limit', async () => {
      const ts = async (q: string) => ((await data(q)) as { t: number }[]).map((p) => p.t);
      expect(await ts('t1=2&t2=4')).toEqual([3, 4]);
      expect(await ts('t1=0')).toEqual([1, 2, 3, 4, 5]);
      expect(await ts('t1=2&t2=0')).toEqual([3, 4, 5]);
      expect(await ts('t1=0&limit=2')).toEqual([1, 2]);
      expect(await ts('t2=3')).toEqual([1, 2, 3]);
    });

    it('accepts relative times', async () => {
      const recent = `crud/alice/user/recent${n}`;
      await alice.post(recent, {});
      const now = Date.now() / 1000;
      await alice.post(`${recent}/data`, [
        { t: now - 7200, d: 'old' },
        { t: now - 60, d: 'new' },
      ]);
      expect((await alice.get(`${recent}/data?t1=now-1h`)).json.map((p: { d: string }) => p.d)).toEqual([
        'new',
      ]);
      expect(
        (await alice.get(`${recent}/data?t1=now-3h&t2=now-90m`)).json.map((p: { d: string }) => p.d),
      ).toEqual(['old']);
      expect((await alice.get(`${recent}/data?t1=yesterday`)).status).toBe(400);
    });

    it('refuses mixed or missing ranges and unparseable numbers with 400', async () => {
      for (const q of ['', 'i1=0&t1=1', 'i1=x', 't1=1&limit=-1', 'q=frobnicate']) {
        const response = await alice.get(`${s}/data?${q}`);
        expect(response.status, q).toBe(400);
      }
    });

    it('answers q=length as text and q=time2index as the first index after t', async () => {
      expect((await alice.get(`${s}/data?q=length`)).text).toBe('5');
      expect((await alice.get(`${s}/data?q=time2index&t=3`)).json).toBe(3);
      expect((await alice.get(`${s}/data?q=time2index&t=0.5`)).json).toBe(0);
      expect((await alice.get(`${s}/data?q=time2index&t=99`)).json).toBe(5);
      expect((await alice.get(`${s}/data?q=time2index&t=abc`)).status).toBe(403);
    });

    it('applies a transform after range selection and the limit after the transform', async () => {
      expect(await data('i1=0&i2=0&transform=if $ > 25')).toEqual([
        { t: 3, d: 30 },
        { t: 4, d: 40 },
        { t: 5, d: 50 },
      ]);
      expect(await data('t1=0&limit=1&transform=if $ > 25')).toEqual([{ t: 3, d: 30 }]);
      expect(await data('i1=0&i2=0&transform=sum | if last')).toEqual([{ t: 5, d: 150 }]);
    });

    it('answers a transform syntax error with 400 and its position, before reading', async () => {
      const response = await alice.get(`${s}/data?i1=0&i2=0&transform=${encodeURIComponent('if $ >> 5')}`);
      expect(response.status).toBe(400);
      expect(response.json.msg).toMatch(/PipeScript/);
      expect(response.json.msg).toMatch(/character \d+/);
    });

    it('omits t when it is 0 and d when it is null, as the original did', async () => {
      const any = `crud/alice/user/any${n}`;
      await alice.post(any, {});
      await alice.post(`${any}/data?method=insert`, [
        { t: -1, d: null },
        { t: 5, d: 0 },
      ]);
      const raw = (await alice.get(`${any}/data?i1=0&i2=0`)).text;
      expect(raw).toBe('[{"t":-1},{"t":5,"d":0}]');
    });
  });

  describe('downlinks', () => {
    let deviceKey: string;
    const light = 'crud/alice/lamp/light';

    beforeAll(async () => {
      deviceKey = (await alice.post('crud/alice/lamp')).json.apikey;
      const lamp = api(t.url, basic('', deviceKey));
      expect((await lamp.post(light, { schema: '{"type":"boolean"}', downlink: true })).status).toBe(200);
    });

    it('redirects writes by another device to the downlink substream, with o', async () => {
      expect((await alice.put(`${light}/data`, [{ t: 100, d: true }])).text).toBe('ok');
      expect((await alice.get(`${light}/data?q=length`)).text).toBe('0');
      for (const spelling of ['true', 'True', '1', 't']) {
        expect((await alice.get(`${light}/data?q=length&downlink=${spelling}`)).text, spelling).toBe('1');
      }
      expect((await alice.get(`${light}/data?i1=0&i2=0&downlink=true`)).json).toEqual([
        { t: 100, d: true, o: 'alice/user' },
      ]);
    });

    it('writes the stream itself when the owner writes (the acknowledgement), without o', async () => {
      const lamp = api(t.url, basic('', deviceKey));
      expect((await lamp.put(`${light}/data`, [{ t: 101, d: true }])).text).toBe('ok');
      expect((await lamp.get(`${light}/data?i1=-1&i2=0`)).json).toEqual([{ t: 101, d: true }]);
      // The owner reads its own commands, but may not write them.
      expect((await lamp.get(`${light}/data?i1=0&i2=0&downlink=1`)).status).toBe(200);
      expect((await lamp.post(`${light}/data?downlink=true`, [{ t: 102, d: false }])).status).toBe(403);
    });

    it('refuses writes by another device to a stream that is not a downlink', async () => {
      const lamp = api(t.url, basic('', deviceKey));
      await lamp.post('crud/alice/lamp/power', { schema: '{"type":"number"}' });
      const response = await alice.post('crud/alice/lamp/power/data', [{ t: 1, d: 5 }]);
      expect(response.status).toBe(403);
      expect(response.json.msg).toBe('Write access to stream data denied.');
    });

    it('wipes pending commands when downlink is turned off', async () => {
      const lamp = api(t.url, basic('', deviceKey));
      await alice.post(`${light}/data`, [{ t: 200, d: false }]);
      expect(Number((await lamp.get(`${light}/data?q=length&downlink=true`)).text)).toBeGreaterThan(0);
      await lamp.put(light, { downlink: false });
      expect((await lamp.get(`${light}/data?q=length&downlink=true`)).text).toBe('0');
      await lamp.put(light, { downlink: true });
    });
  });
});
