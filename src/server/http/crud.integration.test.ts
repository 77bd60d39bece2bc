import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, basic, startTestServer, type TestServer } from '../testing/testServer';

describe('CRUD of users, devices and streams', () => {
  let t: TestServer;
  let admin: ReturnType<typeof api>;
  let alice: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await startTestServer();
    admin = api(t.url, basic('test', 'test'));
    expect((await admin.post('crud/alice', { email: 'alice@localhost', password: 'pw' })).status).toBe(200);
    alice = api(t.url, basic('alice', 'pw'));
  });
  afterAll(() => t.close());

  describe('users', () => {
    it('creates a user with the defaults and returns it', async () => {
      const created = await admin.post('crud/bob', { email: 'bob@example.com', password: 'secret' });
      expect(created.status).toBe(200);
      expect(created.json).toEqual({
        name: 'bob',
        nickname: '',
        email: 'bob@example.com',
        description: '',
        icon: '',
        role: 'user',
        public: true,
      });
      expect(created.json).not.toHaveProperty('password');
    });

    it('gives every user a user device and a hidden meta device with a log stream', async () => {
      const devices = await alice.get('crud/alice?q=ls');
      expect(devices.json.map((d: { name: string }) => d.name).sort()).toEqual(['meta', 'user']);
      const user = devices.json.find((d: { name: string }) => d.name === 'user');
      expect(user).toMatchObject({
        role: 'user',
        description: 'Holds manually inserted data for the user',
        icon: 'material:person',
        enabled: true,
        visible: true,
        user_editable: true,
      });
      expect(user.apikey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const meta = devices.json.find((d: { name: string }) => d.name === 'meta');
      expect(meta).toMatchObject({
        apikey: '',
        visible: false,
        user_editable: false,
        icon: 'material:bug_report',
      });
      const log = await alice.get('crud/alice/meta/log');
      expect(log.json).toMatchObject({
        name: 'log',
        icon: 'material:assignment',
        schema:
          '{"type":"object","properties":{"cmd":{"type":"string"},"arg":{"type":"string"}},"required":["cmd","arg"]}',
      });
    });

    it('records changes in meta/log', async () => {
      await alice.post('crud/alice/user/logged', { schema: '{"type":"number"}' });
      await alice.put('crud/alice/user/logged', { nickname: 'Logged' });
      await alice.del('crud/alice/user/logged');
      const entries = (await alice.get('crud/alice/meta/log/data?i1=-3&i2=0')).json.map(
        (p: { d: unknown }) => p.d,
      );
      expect(entries).toEqual([
        { cmd: 'CreateStream', arg: 'alice/user/logged' },
        { cmd: 'UpdateStream', arg: 'alice/user/logged' },
        { cmd: 'DeleteStream', arg: 'alice/user/logged' },
      ]);
      // Nobody, not even the user, writes the log by hand.
      expect((await alice.post('crud/alice/meta/log/data', [{ d: { cmd: 'x', arg: 'y' } }])).status).toBe(
        403,
      );
    });

    it('creates a whole tree of devices and streams in one request', async () => {
      const created = await admin.post('crud/carol', {
        email: 'carol@localhost',
        password: 'pw',
        nickname: 'Carol',
        streams: {
          mood: { schema: '{"type":"integer","minimum":0,"maximum":10}', datatype: 'rating.stars' },
        },
        devices: {
          phone: { nickname: 'My phone', streams: { steps: { schema: '{"type": "number"}' } } },
        },
      });
      expect(created.status).toBe(200);
      expect(created.json.nickname).toBe('Carol');
      expect((await admin.get('crud/carol/user/mood')).json).toMatchObject({ datatype: 'rating.stars' });
      expect((await admin.get('crud/carol/phone')).json).toMatchObject({ nickname: 'My phone' });
      expect((await admin.get('crud/carol/phone/steps')).json.schema).toBe('{"type":"number"}');
    });

    it('creates nothing when a nested part is invalid', async () => {
      const created = await admin.post('crud/dave', {
        email: 'dave@localhost',
        password: 'pw',
        devices: { phone: { streams: { bad: { schema: '{"type":"blah blah"}' } } } },
      });
      expect(created.status).toBe(403);
      expect((await admin.get('crud/dave')).status).toBe(404);
    });

    it('refuses unknown fields, wrong types, bad emails, unknown roles and reserved names', async () => {
      const cases: [string, unknown, RegExp][] = [
        ['crud/erin', { email: 'e@x', password: 'pw', admin: true }, /Unrecognized field 'admin'/],
        [
          'crud/erin',
          { email: 'e@x', password: 'pw', public: 'yes' },
          /Value of field 'public' must be a boolean/,
        ],
        ['crud/erin', { email: 'not-an-email', password: 'pw' }, /not a valid email/],
        ['crud/erin', { email: 'e@x', password: 'pw', role: 'emperor' }, /role 'emperor' does not exist/],
        ['crud/erin', { email: 'e@x' }, /password/],
        ['crud/admin', { email: 'a@x', password: 'pw' }, /reserved/],
        ['crud/alice', { email: 'other@x', password: 'pw' }, /already exists/],
      ];
      for (const [path, body, message] of cases) {
        const response = await admin.post(path, body);
        expect(response.status, JSON.stringify(body)).toBe(403);
        expect(response.json.msg).toMatch(message);
      }
      expect((await admin.get('crud/erin')).status).toBe(404);
    });

    it('refuses names that do not pass sanitation with 400', async () => {
      for (const name of ['9lives', 'has%20space', 'a.b', 'x'.repeat(30)]) {
        const response = await admin.post(`crud/${name}`, { email: 'n@x', password: 'pw' });
        expect(response.status, name).toBe(400);
      }
    });

    it('updates with a partial PUT and returns the whole object; names never change', async () => {
      const updated = await alice.put('crud/alice', { nickname: 'Al', description: 'hi' });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({
        name: 'alice',
        nickname: 'Al',
        description: 'hi',
        email: 'alice@localhost',
      });
      expect((await alice.put('crud/alice', { name: 'alicia' })).status).toBe(403);
      // Sending the current name back is fine (exported objects contain it).
      expect((await alice.put('crud/alice', { name: 'alice', nickname: 'Al' })).status).toBe(200);
    });

    it('lets a user change neither its own role nor another user', async () => {
      const role = await alice.put('crud/alice', { role: 'admin' });
      expect(role.status).toBe(403);
      expect(role.json.msg).toBe('This device does not have permissions to write role');
      expect((await alice.put('crud/bob', { nickname: 'hacked' })).status).toBe(403);
      expect((await admin.put('crud/alice', { role: 'admin' })).json.role).toBe('admin');
      expect((await admin.put('crud/alice', { role: 'user' })).json.role).toBe('user');
    });

    it('lists users for admins only', async () => {
      const list = await admin.get('crud/?q=ls');
      expect(list.status).toBe(200);
      expect(list.json.map((u: { name: string }) => u.name)).toEqual(
        expect.arrayContaining(['alice', 'bob', 'test']),
      );
      expect((await alice.get('crud/?q=ls')).status).toBe(404);
    });

    it('counts users, devices and streams for admins only', async () => {
      const users = Number((await admin.get('?q=countusers')).text);
      const devices = Number((await admin.get('?q=countdevices')).text);
      const streams = Number((await admin.get('?q=countstreams')).text);
      expect(users).toBeGreaterThanOrEqual(3);
      expect(devices).toBeGreaterThanOrEqual(2 * users);
      expect(streams).toBeGreaterThanOrEqual(users);
      await alice.post('crud/alice/user/counted', { schema: '{}' });
      expect(Number((await admin.get('?q=countstreams')).text)).toBe(streams + 1);
      for (const q of ['countusers', 'countdevices', 'countstreams']) {
        expect((await alice.get(`?q=${q}`)).status).toBe(403);
      }
    });

    it('hides a private user from other users and deletes a user with everything it had', async () => {
      expect((await alice.get('crud/bob')).status).toBe(200);
      await admin.put('crud/bob', { public: false });
      expect((await alice.get('crud/bob')).status).toBe(404);
      expect((await admin.del('crud/bob')).text).toBe('ok');
      expect((await admin.get('crud/bob')).status).toBe(404);
      expect((await alice.del('crud/carol')).status).toBe(403);
    });
  });

  describe('devices', () => {
    it('creates a device with defaults (the Python client posts null)', async () => {
      const created = await alice.post('crud/alice/phone', 'null', { 'content-type': 'application/json' });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({
        name: 'phone',
        nickname: '',
        enabled: true,
        public: false,
        role: '',
        visible: true,
        user_editable: true,
      });
      expect(created.json.apikey).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('accepts the fields and nested streams of a device on creation', async () => {
      const created = await alice.post('crud/alice/watch', {
        name: 'watch',
        nickname: 'Watch',
        public: true,
        streams: { heart: { schema: '{"type":"number"}', datatype: 'number.heartrate' } },
      });
      expect(created.json).toMatchObject({ nickname: 'Watch', public: true });
      expect((await alice.get('crud/alice/watch?q=ls')).json).toMatchObject([
        { name: 'heart', datatype: 'number.heartrate' },
      ]);
    });

    it('regenerates the API key when PUT with an empty one; the old key stops working', async () => {
      const before = (await alice.get('crud/alice/phone')).json.apikey as string;
      const device = api(t.url, basic('', before));
      const reset = await device.put('crud/alice/phone', { apikey: '' });
      expect(reset.status).toBe(200);
      expect(reset.json.apikey).toMatch(/^[0-9a-f-]{36}$/);
      expect(reset.json.apikey).not.toBe(before);
      expect((await device.get('crud/alice/phone')).status).toBe(401);
      expect((await api(t.url, basic('', reset.json.apikey)).get('?q=this')).text).toBe('alice/phone');
      expect((await alice.put('crud/alice/phone', { apikey: 'chosen-by-me' })).status).toBe(403);
    });

    it('answers device PUTs with every key, blanking the ones the caller may not read', async () => {
      const key = (await alice.get('crud/alice/phone')).json.apikey as string;
      const device = api(t.url, basic('', key));
      await alice.put('crud/alice/phone', { role: 'writer' });
      const own = await device.put('crud/alice/phone', { nickname: 'Phone' });
      expect(Object.keys(own.json)).toEqual([
        'name',
        'nickname',
        'description',
        'icon',
        'apikey',
        'enabled',
        'public',
        'role',
        'visible',
        'user_editable',
      ]);
      // A device may not change its own role.
      expect((await device.put('crud/alice/phone', { role: 'user' })).status).toBe(403);
      await alice.put('crud/alice/phone', { role: '' });
    });

    it('refuses to delete the user and meta devices', async () => {
      expect((await alice.del('crud/alice/user')).json.msg).toMatch(/cannot be deleted/);
      expect((await admin.del('crud/alice/meta')).status).toBe(403);
      expect((await alice.post('crud/alice/tmp')).status).toBe(200);
      expect((await alice.del('crud/alice/tmp')).text).toBe('ok');
      expect((await alice.get('crud/alice/tmp')).status).toBe(404);
    });

    it('refuses a duplicate device and a device named like the automatic ones', async () => {
      expect((await alice.post('crud/alice/phone')).status).toBe(403);
      expect((await alice.post('crud/alice/user')).status).toBe(403);
    });
  });

  describe('streams', () => {
    it('creates a stream with defaults and stores its schema minified', async () => {
      const created = await alice.post('crud/alice/user/mood', {
        schema: '{"type": "integer",  "minimum": 0}',
      });
      expect(created.status).toBe(200);
      expect(created.json).toEqual({
        name: 'mood',
        nickname: '',
        description: '',
        icon: '',
        schema: '{"type":"integer","minimum":0}',
        datatype: '',
        ephemeral: false,
        downlink: false,
        tags: [],
        downlink_timeout: 0,
      });
      const updated = await alice.put('crud/alice/user/mood', { schema: '{"type": "string"}' });
      expect(updated.json.schema).toBe('{"type":"string"}');
      expect((await alice.get('crud/alice/user/mood')).json.schema).toBe('{"type":"string"}');
    });

    it('creates a stream without a body as accepting anything', async () => {
      const created = await alice.post('crud/alice/user/anything');
      expect(created.json.schema).toBe('{}');
    });

    it('accepts a schema given as an object, too', async () => {
      const created = await alice.post('crud/alice/user/objschema', { schema: { type: 'boolean' } });
      expect(created.json.schema).toBe('{"type":"boolean"}');
    });

    it('refuses an invalid schema, an unknown field, and a rename', async () => {
      expect((await alice.post('crud/alice/user/bad', { schema: '{"type": "blah blah"}' })).json.msg).toMatch(
        /Invalid JSON Schema/,
      );
      expect((await alice.post('crud/alice/user/bad', { schema: 'not json' })).status).toBe(403);
      expect((await alice.post('crud/alice/user/bad', { colour: 'red' })).json.msg).toBe(
        "Unrecognized field 'colour'",
      );
      expect((await alice.put('crud/alice/user/mood', { name: 'happiness' })).status).toBe(403);
      expect((await alice.get('crud/alice/user/bad')).status).toBe(404);
    });

    it('sets ephemeral, downlink, tags and downlink_timeout like any field', async () => {
      const s = 'crud/alice/user/flags';
      await alice.post(s, { schema: '{"type":"boolean"}' });
      expect((await alice.put(s, { ephemeral: true })).json).toMatchObject({
        ephemeral: true,
        downlink: false,
      });
      expect((await alice.put(s, { downlink: true })).json).toMatchObject({
        ephemeral: true,
        downlink: true,
      });
      expect((await alice.put(s, { tags: ['home', ' lights ', 'home'] })).json.tags).toEqual([
        'home',
        'lights',
      ]);
      expect((await alice.put(s, { downlink_timeout: 30 })).json.downlink_timeout).toBe(30);
      expect((await alice.put(s, { downlink_timeout: -1 })).status).toBe(403);
      expect((await alice.put(s, { tags: 'home' })).status).toBe(403);
    });

    it('answers stream PUTs with every key', async () => {
      const updated = await alice.put('crud/alice/user/flags', { description: 'Lights' });
      expect(Object.keys(updated.json)).toEqual([
        'name',
        'nickname',
        'description',
        'icon',
        'schema',
        'datatype',
        'ephemeral',
        'downlink',
        'tags',
        'downlink_timeout',
      ]);
    });

    it("lists a device's streams and a user's streams with filters and the device key", async () => {
      await alice.post('crud/alice/phone/steps', { schema: '{"type":"number"}', tags: ['health'] });
      await alice.post('crud/alice/phone/light', { schema: '{"type":"boolean"}', downlink: true });
      expect((await alice.get('crud/alice/phone?q=ls')).json.map((s: { name: string }) => s.name)).toEqual([
        'light',
        'steps',
      ]);
      const all = (await alice.get('crud/alice?q=streams')).json as { name: string; device: string }[];
      expect(all.map((s) => `${s.device}/${s.name}`)).toEqual(
        expect.arrayContaining(['phone/steps', 'meta/log', 'user/mood']),
      );
      const visible = (await alice.get('crud/alice?q=streams&visible=true')).json as { device: string }[];
      expect(visible.some((s) => s.device === 'meta')).toBe(false);
      const downlinks = (await alice.get('crud/alice?q=streams&downlink=True')).json as { name: string }[];
      expect(downlinks.map((s) => s.name).sort()).toEqual(['flags', 'light']);
      const tagged = (await alice.get('crud/alice?q=streams&tag=health')).json as { name: string }[];
      expect(tagged.map((s) => s.name)).toEqual(['steps']);
      const publicOnly = (await alice.get('crud/alice?q=streams&public=true&datatype=ignored')).json as {
        device: string;
      }[];
      expect(publicOnly.every((s) => s.device === 'watch')).toBe(true);
    });

    it('deletes a stream and its data', async () => {
      await alice.post('crud/alice/user/temp', { schema: '{}' });
      await alice.post('crud/alice/user/temp/data', [{ t: 1, d: 1 }]);
      expect((await alice.del('crud/alice/user/temp')).text).toBe('ok');
      expect((await alice.get('crud/alice/user/temp')).status).toBe(404);
      await alice.post('crud/alice/user/temp', { schema: '{}' });
      expect((await alice.get('crud/alice/user/temp/data?q=length')).text).toBe('0');
    });

    it('works with and without trailing slashes (the Python client adds them)', async () => {
      expect((await alice.get('crud/alice/user/mood/')).status).toBe(200);
      expect((await alice.get('crud/alice/')).status).toBe(200);
    });
  });
});
