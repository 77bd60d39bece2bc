/**
 * The storage contract suite: every adapter runs exactly these tests (see `Storage.ts`).
 * Call `describeStorageContract('sqlite', () => new SqliteStorage(...))` from an adapter's test file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Datapoint } from '../../../core/model';
import { DEVICE_DEFAULTS, STREAM_DEFAULTS } from '../../../core/model';
import {
  bucketStart,
  buildRollup,
  m4BinaryBytes,
  m4FromPoints,
  ROLLUP_LEVELS,
} from '../../../core/timeseries';
import { planInsert } from '../insertRules';
import { numericSamples, type NumericSamples } from '../series/rollupPeriods';
import {
  DuplicateError,
  type DeviceTree,
  type InsertMode,
  type NewUser,
  type Storage,
  type Substream,
} from '../Storage';

/**
 * Where two sample runs differ ('' when they are equal, bit for bit). `toEqual` on typed arrays
 * compares element by element through its generic equality, which on the model test's runs of
 * 100,000 samples per step cost more than the storage reads being checked.
 */
function sampleDifference(actual: NumericSamples, expected: NumericSamples): string {
  if (actual.t.length !== expected.t.length || actual.v.length !== expected.v.length) {
    return `${actual.t.length} samples instead of ${expected.t.length}`;
  }
  for (let i = 0; i < expected.t.length; i++) {
    if (!Object.is(actual.t[i], expected.t[i]) || !Object.is(actual.v[i], expected.v[i])) {
      return `sample ${i} is (${actual.t[i]}, ${actual.v[i]}), not (${expected.t[i]}, ${expected.v[i]})`;
    }
  }
  return '';
}

let keyCounter = 0;
const newKey = () => `key-${process.pid}-${Date.now()}-${keyCounter++}`;

export function userInput(name: string, overrides: Partial<NewUser> = {}): NewUser {
  return {
    name,
    nickname: '',
    email: `${name}@example.com`,
    description: '',
    icon: '',
    role: 'user',
    public: true,
    passwordHash: 'hash',
    ...overrides,
  };
}

export function deviceTree(
  name: string,
  streams: string[] = [],
  overrides: Partial<DeviceTree['device']> = {},
): DeviceTree {
  return {
    device: { ...DEVICE_DEFAULTS, name, apikey: newKey(), ...overrides },
    streams: streams.map((s) => ({ ...STREAM_DEFAULTS, name: s })),
  };
}

/**
 * The model test checks every rollup level against the raw points after each step; on the row
 * layout (the bench baseline, which rebuilds rollups from rows on each read) that took 26–30 s on
 * a slow two-core machine, at Vitest's 30 s default.
 */
const MODEL_TEST_TIMEOUT_MS = 90_000;

const dp = (t: number, d: unknown, o?: string): Datapoint => (o ? { t, d, o } : { t, d });

export function describeStorageContract(name: string, open: () => Promise<Storage> | Storage): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;

    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    async function makeStream(user = 'alice', streams = ['s']) {
      const u = await storage.createUser(userInput(user), [deviceTree('user'), deviceTree('phone', streams)]);
      const stream = await storage.getStream(u.name, 'phone', streams[0]!);
      return { user: u, stream: stream! };
    }

    describe('users, devices and streams', () => {
      it('lookups by API key and by path see every change at once', async () => {
        const { user, stream } = await makeStream('alice', ['s', 't']);
        const phone = (await storage.getDevice('alice', 'phone'))!;
        // Read each once first, as requests do, so that a cache would hold them.
        expect((await storage.findByApiKey(phone.apikey))?.device.enabled).toBe(true);
        expect((await storage.getStream('alice', 'phone', 's'))?.nickname).toBe('');

        await storage.updateStream(stream.id, { nickname: 'Steps', downlink: true });
        expect(await storage.getStream('alice', 'phone', 's')).toMatchObject({
          nickname: 'Steps',
          downlink: true,
        });
        await storage.updateDevice(phone.id, { enabled: false, public: true });
        expect((await storage.findByApiKey(phone.apikey))?.device).toMatchObject({
          enabled: false,
          public: true,
        });
        expect((await storage.getStream('alice', 'phone', 's'))?.devicePublic).toBe(true);
        await storage.updateUser(user.id, { role: 'admin' });
        expect((await storage.findByApiKey(phone.apikey))?.user.role).toBe('admin');

        await storage.updateDevice(phone.id, { apikey: 'a-new-key' });
        expect(await storage.findByApiKey(phone.apikey)).toBeUndefined();
        expect((await storage.findByApiKey('a-new-key'))?.device.id).toBe(phone.id);
        await storage.deleteStream(stream.id);
        expect(await storage.getStream('alice', 'phone', 's')).toBeUndefined();
        await storage.deleteDevice(phone.id);
        expect(await storage.findByApiKey('a-new-key')).toBeUndefined();
        expect(await storage.getStream('alice', 'phone', 't')).toBeUndefined();
      });

      it('a deleted user takes its devices and streams out of every lookup', async () => {
        const { user } = await makeStream('alice', ['s']);
        const phone = (await storage.getDevice('alice', 'phone'))!;
        expect(await storage.findByApiKey(phone.apikey)).toBeDefined();
        expect(await storage.getStream('alice', 'phone', 's')).toBeDefined();
        await storage.deleteUser(user.id);
        expect(await storage.findByApiKey(phone.apikey)).toBeUndefined();
        expect(await storage.getStream('alice', 'phone', 's')).toBeUndefined();
        // A new user of the same name starts empty.
        await storage.createUser(userInput('alice'), [deviceTree('phone', [])]);
        expect(await storage.getStream('alice', 'phone', 's')).toBeUndefined();
      });

      it('creates a user with its device trees atomically and reads them back', async () => {
        const u = await storage.createUser(userInput('alice', { nickname: 'Al', public: false }), [
          deviceTree('user'),
          deviceTree('phone', ['steps', 'mood']),
        ]);
        expect(u).toMatchObject({
          name: 'alice',
          nickname: 'Al',
          email: 'alice@example.com',
          role: 'user',
          public: false,
        });
        expect(u.passwordHash).toBe('hash');
        const devices = await storage.listDevices(u.id);
        expect(devices.map((d) => d.name)).toEqual(['phone', 'user']);
        expect(devices[0]).toMatchObject({ userName: 'alice', userId: u.id, enabled: true, visible: true });
        const streams = await storage.listStreams(devices[0]!.id);
        expect(streams.map((s) => s.name)).toEqual(['mood', 'steps']);
        expect(streams[0]).toMatchObject({ userName: 'alice', deviceName: 'phone', schema: '{}', tags: [] });
      });

      it('refuses a duplicate user name or email regardless of case, and leaves nothing behind', async () => {
        await storage.createUser(userInput('alice'), [deviceTree('user')]);
        await expect(
          storage.createUser(userInput('ALICE', { email: 'other@example.com' }), []),
        ).rejects.toBeInstanceOf(DuplicateError);
        await expect(
          storage.createUser(userInput('bob', { email: 'Alice@Example.com' }), []),
        ).rejects.toBeInstanceOf(DuplicateError);
        expect(await storage.getUser('bob')).toBeUndefined();
        expect((await storage.count()).users).toBe(1);
      });

      it('rolls back the whole user when one of its devices fails', async () => {
        const key = newKey();
        await storage.createUser(userInput('alice'), [deviceTree('user', [], { apikey: key })]);
        await expect(
          storage.createUser(userInput('bob'), [
            deviceTree('user'),
            deviceTree('clash', [], { apikey: key }),
          ]),
        ).rejects.toBeInstanceOf(DuplicateError);
        expect(await storage.getUser('bob')).toBeUndefined();
        expect((await storage.count()).devices).toBe(1);
      });

      it('looks users up by exact name, and for login by name or email ignoring case', async () => {
        await storage.createUser(userInput('Alice', { email: 'a@x.org' }), []);
        expect(await storage.getUser('Alice')).toBeDefined();
        expect(await storage.getUser('alice')).toBeUndefined();
        expect((await storage.findUserForLogin('alice'))?.name).toBe('Alice');
        expect((await storage.findUserForLogin('A@X.ORG'))?.name).toBe('Alice');
        expect(await storage.findUserForLogin('nobody')).toBeUndefined();
      });

      it('finds nothing for names containing a NUL character (PostgreSQL text cannot hold one)', async () => {
        await makeStream();
        expect(await storage.getUser('alice\0')).toBeUndefined();
        expect(await storage.findUserForLogin('\0')).toBeUndefined();
        expect(await storage.getDevice('alice', 'phone\0')).toBeUndefined();
        expect(await storage.getStream('alice', 'phone', '\0')).toBeUndefined();
        expect(await storage.getSession('\0')).toBeUndefined();
        await storage.deleteSession('\0');
      });

      it('updates fields and returns the updated record', async () => {
        const u = await storage.createUser(userInput('alice'), [deviceTree('phone', ['s'])]);
        const updated = await storage.updateUser(u.id, { nickname: 'A', public: false, passwordHash: 'new' });
        expect(updated).toMatchObject({
          nickname: 'A',
          public: false,
          passwordHash: 'new',
          email: 'alice@example.com',
        });
        const device = (await storage.getDevice('alice', 'phone'))!;
        expect(await storage.updateDevice(device.id, { role: 'reader', visible: false })).toMatchObject({
          role: 'reader',
          visible: false,
          name: 'phone',
        });
        const stream = (await storage.getStream('alice', 'phone', 's'))!;
        expect(
          await storage.updateStream(stream.id, {
            tags: ['a', 'b'],
            downlink: true,
            schema: '{"type":"number"}',
          }),
        ).toMatchObject({ tags: ['a', 'b'], downlink: true, schema: '{"type":"number"}', ephemeral: false });
        // Records carry their owners' flags, which permission checks need.
        await storage.updateDevice(device.id, { public: true, user_editable: false });
        expect(await storage.getDevice('alice', 'phone')).toMatchObject({ userPublic: false, public: true });
        expect(await storage.getStreamById(stream.id)).toMatchObject({
          userPublic: false,
          devicePublic: true,
          deviceUserEditable: false,
        });
      });

      it('finds a device by API key but never by an empty one', async () => {
        const u = await storage.createUser(userInput('alice'), [
          deviceTree('meta', [], { apikey: '' }),
          deviceTree('phone'),
        ]);
        const phone = (await storage.getDevice('alice', 'phone'))!;
        const found = await storage.findByApiKey(phone.apikey);
        expect(found?.device).toEqual(phone);
        expect(found?.user).toEqual(await storage.getUser('alice'));
        expect(await storage.findByApiKey('')).toBeUndefined();
        expect(await storage.findByApiKey('no-such-key')).toBeUndefined();
        expect((await storage.listDevices(u.id)).length).toBe(2);
      });

      it('refuses duplicate device and stream names within their parent', async () => {
        const u = await storage.createUser(userInput('alice'), [deviceTree('phone', ['s'])]);
        await expect(storage.createDevice(u.id, deviceTree('phone'))).rejects.toBeInstanceOf(DuplicateError);
        const phone = (await storage.getDevice('alice', 'phone'))!;
        await expect(
          storage.createStream(phone.id, { ...STREAM_DEFAULTS, name: 's' }),
        ).rejects.toBeInstanceOf(DuplicateError);
        const other = await storage.createDevice(u.id, deviceTree('watch'));
        expect((await storage.createStream(other.id, { ...STREAM_DEFAULTS, name: 's' })).deviceName).toBe(
          'watch',
        );
      });

      it('lists every stream of a user with its device, and counts objects', async () => {
        const u = await storage.createUser(userInput('alice'), [
          deviceTree('user', ['mood']),
          deviceTree('phone', ['a', 'b']),
        ]);
        const streams = await storage.listUserStreams(u.id);
        expect(streams.map((s) => `${s.deviceName}/${s.name}`)).toEqual(['phone/a', 'phone/b', 'user/mood']);
        expect(await storage.count()).toEqual({ users: 1, devices: 2, streams: 3 });
      });

      it('deleting a user removes its devices, streams, data and sessions', async () => {
        const { user, stream } = await makeStream();
        await storage.insert(stream.id, '', [dp(1, 1)], 'append');
        const device = (await storage.getDevice('alice', 'phone'))!;
        await storage.createSession('tok', device.id, Date.now() / 1000 + 60);
        await storage.deleteUser(user.id);
        expect(await storage.getUser('alice')).toBeUndefined();
        expect(await storage.getStreamById(stream.id)).toBeUndefined();
        expect(await storage.getSession('tok')).toBeUndefined();
        expect(await storage.count()).toEqual({ users: 0, devices: 0, streams: 0 });
        // A new stream reusing the id space starts empty.
        const again = await makeStream('bob');
        expect(await storage.length(again.stream.id, '')).toBe(0);
      });

      it('deleting a device or a stream removes its data', async () => {
        const { stream } = await makeStream('alice', ['s', 't']);
        const t = (await storage.getStream('alice', 'phone', 't'))!;
        await storage.insert(stream.id, '', [dp(1, 1)], 'append');
        await storage.insert(t.id, '', [dp(1, 1)], 'append');
        await storage.deleteStream(stream.id);
        expect(await storage.getStreamById(stream.id)).toBeUndefined();
        expect(await storage.length(t.id, '')).toBe(1);
        await storage.deleteDevice(t.deviceId);
        expect(await storage.getStreamById(t.id)).toBeUndefined();
        expect(await storage.length(t.id, '')).toBe(0);
      });
    });

    describe('datapoints', () => {
      it('appends in order and reads back by index and by time', async () => {
        const { stream } = await makeStream();
        const result = await storage.insert(
          stream.id,
          '',
          [dp(1, 'a'), dp(2, { x: [1, 2] }), dp(2, null), dp(3.5, true, 'bob/user')],
          'append',
        );
        expect(result.ok).toBe(true);
        expect(await storage.length(stream.id, '')).toBe(4);
        expect(await storage.readByIndex(stream.id, '', 0, 4)).toEqual([
          dp(1, 'a'),
          dp(2, { x: [1, 2] }),
          dp(2, null),
          dp(3.5, true, 'bob/user'),
        ]);
        expect(await storage.readByIndex(stream.id, '', 1, 3)).toEqual([dp(2, { x: [1, 2] }), dp(2, null)]);
        expect(await storage.readByIndex(stream.id, '', 3, 3)).toEqual([]);
        // (t1, t2]: start exclusive, end inclusive.
        expect((await storage.readByTime(stream.id, '', 1, 3.5, 0)).map((p) => p.t)).toEqual([2, 2, 3.5]);
        expect((await storage.readByTime(stream.id, '', 0, 2, 0)).map((p) => p.t)).toEqual([1, 2, 2]);
        expect((await storage.readByTime(stream.id, '', 1, undefined, 2)).map((p) => p.d)).toEqual([
          { x: [1, 2] },
          null,
        ]);
      });

      it('append refuses a batch older than the last datapoint but accepts an equal timestamp', async () => {
        const { stream } = await makeStream();
        await storage.insert(stream.id, '', [dp(10, 1)], 'append');
        expect(await storage.insert(stream.id, '', [dp(9, 2), dp(11, 3)], 'append')).toEqual({
          ok: false,
          reason: 'older',
        });
        expect(await storage.length(stream.id, '')).toBe(1);
        expect((await storage.insert(stream.id, '', [dp(10, 4)], 'append')).ok).toBe(true);
        expect(await storage.length(stream.id, '')).toBe(2);
      });

      it('append and restamp refuse an unordered batch and store nothing of it', async () => {
        const { stream } = await makeStream();
        for (const mode of ['append', 'restamp'] as const) {
          expect(await storage.insert(stream.id, '', [dp(2, 1), dp(1, 2)], mode)).toEqual({
            ok: false,
            reason: 'unordered',
          });
        }
        expect(await storage.length(stream.id, '')).toBe(0);
      });

      it('restamp moves datapoints at or before a whole last timestamp to just after it', async () => {
        const { stream } = await makeStream();
        await storage.insert(stream.id, '', [dp(10, 1)], 'append');
        const result = await storage.insert(stream.id, '', [dp(5, 2), dp(10, 3), dp(12, 4)], 'restamp');
        expect(result).toEqual({ ok: true, points: [dp(10.00001, 2), dp(10.00001, 3), dp(12, 4)] });
        expect((await storage.readByIndex(stream.id, '', 0, 4)).map((p) => [p.t, p.d])).toEqual([
          [10, 1],
          [10.00001, 2],
          [10.00001, 3],
          [12, 4],
        ]);
      });

      it('insert mode stores any order in time order, keeping arrival order for ties', async () => {
        const { stream } = await makeStream();
        await storage.insert(stream.id, '', [dp(10, 'a'), dp(20, 'b')], 'append');
        const result = await storage.insert(
          stream.id,
          '',
          [dp(15, 'c'), dp(5, 'd'), dp(15, 'e'), dp(25, 'f')],
          'insert',
        );
        expect(result.ok && result.points.map((p) => p.d)).toEqual(['d', 'c', 'e', 'f']);
        expect((await storage.readByIndex(stream.id, '', 0, 10)).map((p) => p.d)).toEqual([
          'd',
          'a',
          'c',
          'e',
          'b',
          'f',
        ]);
        expect(await storage.timeToIndex(stream.id, '', 15)).toBe(4);
        expect(await storage.timeToIndex(stream.id, '', 0)).toBe(0);
        expect(await storage.timeToIndex(stream.id, '', 100)).toBe(6);
        // An append after an insert into the past is checked against the latest timestamp.
        expect(await storage.insert(stream.id, '', [dp(24, 'g')], 'append')).toEqual({
          ok: false,
          reason: 'older',
        });
      });

      it('keeps the downlink substream apart from the stream', async () => {
        const { stream } = await makeStream();
        await storage.insert(stream.id, 'downlink', [dp(1, 'cmd', 'alice/user')], 'append');
        expect(await storage.length(stream.id, '')).toBe(0);
        expect(await storage.length(stream.id, 'downlink')).toBe(1);
        expect(await storage.readByIndex(stream.id, 'downlink', 0, 1)).toEqual([dp(1, 'cmd', 'alice/user')]);
        // The substream has its own ordering.
        expect((await storage.insert(stream.id, '', [dp(0.5, 'ack')], 'append')).ok).toBe(true);
        await storage.clearData(stream.id, 'downlink');
        expect(await storage.length(stream.id, 'downlink')).toBe(0);
        expect(await storage.length(stream.id, '')).toBe(1);
      });

      it('round-trips fractional, negative and large timestamps and every kind of value exactly', async () => {
        const { stream } = await makeStream();
        const points = [
          dp(-5.25, -0.000001),
          dp(0.1, 1e308),
          dp(1490000000.123456, 'ünïcødé ✓'),
          dp(1700000000.1234567, [1, 'two', { three: 3 }]),
          dp(1700000000.1234567, false),
          dp(4102444800, 42),
        ];
        await storage.insert(stream.id, '', points, 'append');
        expect(await storage.readByIndex(stream.id, '', 0, points.length)).toEqual(points);
      });

      it('handles a batch of 100,000 datapoints atomically', async () => {
        const { stream } = await makeStream();
        const points = Array.from({ length: 100_000 }, (_, i) => dp(1_600_000_000 + i, i % 7));
        expect((await storage.insert(stream.id, '', points, 'append')).ok).toBe(true);
        expect(await storage.length(stream.id, '')).toBe(100_000);
        expect(await storage.readByIndex(stream.id, '', 99_998, 100_000)).toEqual(points.slice(99_998));
        expect(
          (await storage.readByTime(stream.id, '', 1_600_050_000, 1_600_050_002, 0)).map((p) => p.d),
        ).toEqual([0, 1]);
      });

      it('records an idempotency claim with the insert and reports a replay as a duplicate', async () => {
        const { stream } = await makeStream();
        const claim = { scope: '7', key: 'k1', requestHash: 'h', status: 200, body: 'ok' };
        expect((await storage.insert(stream.id, '', [dp(1, 1)], 'insert', claim)).ok).toBe(true);
        const again = await storage.insert(stream.id, '', [dp(1, 1)], 'insert', claim);
        expect(again).toMatchObject({
          ok: false,
          reason: 'duplicate',
          record: { requestHash: 'h', status: 200, body: 'ok' },
        });
        expect(await storage.length(stream.id, '')).toBe(1);
        // A refused insert records no claim.
        const refused = await storage.insert(stream.id, '', [dp(3, 1), dp(2, 1)], 'append', {
          ...claim,
          key: 'k2',
        });
        expect(refused.ok).toBe(false);
        expect(await storage.getIdempotency('7', 'k2')).toBeUndefined();
      });
    });

    describe('datapoints against a reference model', () => {
      /** Mulberry32: a small seeded PRNG, so a failure can be replayed. */
      function prng(seed: number) {
        return () => {
          seed = (seed + 0x6d2b79f5) | 0;
          let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
          x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
          return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
        };
      }

      /** Inserting into the model: each point goes after every point with a smaller or equal time. */
      function modelInsert(model: Datapoint[], points: readonly Datapoint[]): void {
        for (const p of points) {
          let lo = 0;
          let hi = model.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (model[mid]!.t <= p.t) lo = mid + 1;
            else hi = mid;
          }
          model.splice(lo, 0, p);
        }
      }

      it(
        'matches the model through random appends, restamps, inserts into the past and large batches',
        async () => {
          const { stream } = await makeStream();
          const random = prng(7);
          const int = (n: number) => Math.floor(random() * n);
          const models: Record<Substream, Datapoint[]> = { '': [], downlink: [] };
          let clock = 1_000_000;
          let value = 0;
          const makePoints = (n: number, past: boolean, model: Datapoint[]) =>
            Array.from({ length: n }, () => {
              const earliest = model[0]?.t ?? clock;
              // Whole, fractional and repeated times; values of mixed kinds, some with a writer.
              const t = past
                ? earliest + int(Math.max(1, clock - earliest)) + (int(2) ? 0.5 : 0)
                : (clock += int(3));
              const d = int(10) === 0 ? { v: value++ } : int(10) === 0 ? int(2) === 1 : value++;
              return int(5) === 0 ? { t, d, o: 'someone/else' } : { t, d };
            });

          for (let step = 0; step < 160; step++) {
            const substream: Substream = int(8) === 0 ? 'downlink' : '';
            const model = models[substream];
            const roll = int(10);
            const size = roll < 6 ? 1 + int(4) : roll < 8 ? 200 + int(600) : 3000 + int(3000);
            const mode: InsertMode = int(4) === 0 ? 'insert' : int(3) === 0 ? 'restamp' : 'append';
            const past = mode !== 'append' && int(2) === 0;
            let points = makePoints(size, past, model);
            if (mode !== 'insert') points = points.slice().sort((a, b) => a.t - b.t);
            const expected = planInsert(
              points,
              model.length
                ? Math.max(...model.slice(-50).map((p) => p.t), model[model.length - 1]!.t)
                : undefined,
              mode,
            );
            const result = await storage.insert(stream.id, substream, points, mode);
            expect(result.ok, `step ${step}`).toBe(expected.ok);
            if (expected.ok) modelInsert(model, expected.points);

            expect(await storage.length(stream.id, substream)).toBe(model.length);
            const a = int(model.length + 1);
            const b = a + int(model.length + 1 - a);
            expect(
              await storage.readByIndex(stream.id, substream, a, b),
              `index [${a},${b}) at step ${step}`,
            ).toEqual(model.slice(a, b));
            expect(
              sampleDifference(
                await storage.readSamples(stream.id, substream, a, b),
                numericSamples(model.slice(a, b)),
              ),
              `samples [${a},${b}) at step ${step}`,
            ).toBe('');
            if (model.length > 0) {
              const t1 = model[int(model.length)]!.t - 0.25;
              const t2 = t1 + int(5000);
              const limit = int(3) === 0 ? 1 + int(50) : 0;
              const inRange = model.filter((p) => p.t > t1 && p.t <= t2);
              expect(
                await storage.readByTime(stream.id, substream, t1, t2, limit),
                `time (${t1},${t2}]`,
              ).toEqual(limit ? inRange.slice(0, limit) : inRange);
              const t = model[int(model.length)]!.t + (int(2) ? 0 : 0.25);
              expect(await storage.timeToIndex(stream.id, substream, t)).toBe(
                model.filter((p) => p.t <= t).length,
              );
            }
          }
          for (const substream of ['', 'downlink'] as const) {
            const model = models[substream];
            expect(await storage.readByIndex(stream.id, substream, 0, model.length)).toEqual(model);
            // Every rollup level equals the rollup of the raw points.
            const samples = numericSamples(model);
            const t0 = model[0]?.t ?? 0;
            const t1 = (model[model.length - 1]?.t ?? 0) + 1;
            for (const level of ROLLUP_LEVELS) {
              const stored = await storage.readRollup(stream.id, substream, level, t0, t1);
              const reference = buildRollup(samples.t, samples.v, level);
              expect(stored.length, `level ${level}`).toBe(reference.length);
              for (const field of [
                'start',
                'count',
                'first',
                'last',
                'min',
                'max',
                'tFirst',
                'tLast',
              ] as const) {
                expect(Array.from(stored[field]), `${field} at level ${level}`).toEqual(
                  Array.from(reference[field]),
                );
              }
              // A plot gives the M4 of the raw points, over columns of three buckets.
              const columns = { level, t0: bucketStart(t0, level), columnWidth: 3 * level };
              const plan = { ...columns, width: Math.ceil((t1 - columns.t0) / columns.columnWidth) };
              expect(await storage.plotRollup(stream.id, substream, plan), `plot at level ${level}`).toEqual(
                m4FromPoints(samples.t, samples.v, plan),
              );
              // Sums are added in another order after inserts into the past: equal up to rounding.
              for (const field of ['sum', 'sumSquares', 'tSum'] as const) {
                for (let i = 0; i < reference.length; i++) {
                  const expected = reference[field][i]!;
                  expect(
                    Math.abs(stored[field][i]! - expected),
                    `${field}[${i}] at level ${level}`,
                  ).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
                }
              }
            }
          }
        },
        MODEL_TEST_TIMEOUT_MS,
      );

      it('reads rollups of a window, including points not yet folded', async () => {
        const { stream } = await makeStream();
        await storage.insert(
          stream.id,
          '',
          [
            { t: 5, d: 1 },
            { t: 15, d: 3 },
            { t: 16, d: true },
            { t: 17, d: 'text' },
          ],
          'append',
        );
        const rollup = await storage.readRollup(stream.id, '', 10, 10, 20);
        expect(Array.from(rollup.start)).toEqual([10]);
        expect(Array.from(rollup.count)).toEqual([2]);
        expect(Array.from(rollup.max)).toEqual([3]);
        expect(Array.from(rollup.last)).toEqual([1]);
        expect((await storage.readRollup(stream.id, '', 10, 100, 200)).length).toBe(0);
      });

      it('counts every not-yet-folded point of the bucket a window ends in, as stored buckets do', async () => {
        const { stream } = await makeStream();
        for (const t of [11, 14, 18]) await storage.insert(stream.id, '', [{ t, d: t }], 'append');
        const rollup = await storage.readRollup(stream.id, '', 10, 0, 12);
        expect(Array.from(rollup.count)).toEqual([3]);
        expect(Array.from(rollup.last)).toEqual([18]);
        const plot = await storage.plotRollup(stream.id, '', { level: 10, t0: 0, columnWidth: 10, width: 2 });
        expect([Array.from(plot.column), Array.from(plot.max), Array.from(plot.last)]).toEqual([
          [1],
          [18],
          [18],
        ]);
      });

      it('plots what is stored now after the periods a plot read were rewritten, into a given scratch', async () => {
        const { stream } = await makeStream();
        const points = Array.from({ length: 20_000 }, (_, i) => dp(1000 + 2 * i, Math.sin(i / 50)));
        await storage.insert(stream.id, '', points, 'append');
        const plan = { level: 10, t0: 1000, columnWidth: 60, width: 700 };
        const plotNow = async (scratch?: ArrayBuffer) => {
          const length = await storage.length(stream.id, '');
          const all = numericSamples(await storage.readByIndex(stream.id, '', 0, length));
          expect(await storage.plotRollup(stream.id, '', plan, scratch)).toEqual(
            m4FromPoints(all.t, all.v, plan),
          );
        };
        await plotNow();
        // Into the past (every period it spans is rewritten), then past the end through the tail.
        const past = Array.from({ length: 3000 }, (_, i) => dp(1001 + 13 * i, 5 + (i % 7)));
        await storage.insert(stream.id, '', past, 'insert');
        await plotNow();
        for (let i = 0; i < 50; i++) await storage.insert(stream.id, '', [dp(41_000 + i, -3 - i)], 'append');
        const scratch = new ArrayBuffer(m4BinaryBytes(plan.width));
        await plotNow(scratch);
        const inScratch = await storage.plotRollup(stream.id, '', plan, scratch);
        expect(inScratch.first.buffer).toBe(scratch);
      });
    });

    it('reads the plottable values of positions from number, boolean and mixed chunks and the tail', async () => {
      const { stream } = await makeStream();
      const numbers = Array.from({ length: 5000 }, (_, i) => dp(1000 + i, i / 4));
      const booleans = Array.from({ length: 5000 }, (_, i) => dp(6000 + i, i % 3 === 0));
      const mixed = Array.from({ length: 5000 }, (_, i) => dp(11_000 + i, i % 2 ? 'text' : i));
      const tail = [dp(20_000, 7), dp(20_001, null), dp(20_002, false)];
      for (const batch of [numbers, booleans, mixed]) await storage.insert(stream.id, '', batch, 'append');
      for (const p of tail) await storage.insert(stream.id, '', [p], 'append');
      const all = [...numbers, ...booleans, ...mixed, ...tail];
      for (const [a, b] of [
        [0, all.length],
        [4000, 4100],
        [4990, 6010],
        [12_000, 15_002],
        [14_999, all.length],
        [3, 3],
      ] as const) {
        expect(await storage.readSamples(stream.id, '', a, b), `[${a}, ${b})`).toEqual(
          numericSamples(all.slice(a, b)),
        );
      }
    });

    it('reads the rollups of new data after a substream was cleared and written again', async () => {
      const { stream } = await makeStream();
      const batch = (v: number) => Array.from({ length: 300 }, (_, i) => dp(1000 + i, v));
      for (const substream of ['downlink', ''] as const) {
        await storage.insert(stream.id, substream, batch(1), 'append');
        expect((await storage.readRollup(stream.id, substream, 86_400, 0, 1e6)).max[0]).toBe(1);
        await storage.clearData(stream.id, substream);
        await storage.insert(stream.id, substream, batch(5), 'append');
        expect((await storage.readRollup(stream.id, substream, 86_400, 0, 1e6)).max[0]).toBe(5);
      }
    });

    describe('idempotency, sessions and login failures', () => {
      it('keeps the first claim of a key and prunes old ones', async () => {
        const claim = { scope: '1', key: 'k', requestHash: 'a', status: 200, body: '{"x":1}' };
        expect(await storage.putIdempotency(claim)).toBeUndefined();
        expect(await storage.putIdempotency({ ...claim, requestHash: 'b' })).toMatchObject({
          requestHash: 'a',
        });
        expect(await storage.getIdempotency('2', 'k')).toBeUndefined();
        expect(await storage.getIdempotency('1', 'k')).toMatchObject({
          requestHash: 'a',
          status: 200,
          body: '{"x":1}',
        });
        await storage.pruneIdempotency(Date.now() / 1000 + 10);
        expect(await storage.getIdempotency('1', 'k')).toBeUndefined();
      });

      it('stores, finds, expires and deletes sessions', async () => {
        const u = await storage.createUser(userInput('alice'), [deviceTree('user')]);
        const device = (await storage.listDevices(u.id))[0]!;
        await storage.createSession('a', device.id, 100);
        await storage.createSession('b', device.id, 200);
        expect(await storage.getSession('a')).toEqual({ deviceId: device.id, expiresAt: 100 });
        await storage.pruneSessions(150);
        expect(await storage.getSession('a')).toBeUndefined();
        expect(await storage.getSession('b')).toBeDefined();
        await storage.deleteSession('b');
        expect(await storage.getSession('b')).toBeUndefined();
      });

      it("deletes all sessions of one device and only that device's", async () => {
        const u = await storage.createUser(userInput('alice'), [deviceTree('user'), deviceTree('phone')]);
        const [first, second] = await storage.listDevices(u.id);
        await storage.createSession('a1', first!.id, 1e12);
        await storage.createSession('a2', first!.id, 1e12);
        await storage.createSession('b1', second!.id, 1e12);
        await storage.deleteDeviceSessions(first!.id);
        expect(await storage.getSession('a1')).toBeUndefined();
        expect(await storage.getSession('a2')).toBeUndefined();
        expect(await storage.getSession('b1')).toEqual({ deviceId: second!.id, expiresAt: 1e12 });
      });

      it('counts login failures per address within a window', async () => {
        await storage.recordLoginFailure('1.2.3.4', 100);
        await storage.recordLoginFailure('1.2.3.4', 200);
        await storage.recordLoginFailure('5.6.7.8', 200);
        expect(await storage.countLoginFailures('1.2.3.4', 150)).toBe(1);
        expect(await storage.countLoginFailures('1.2.3.4', 0)).toBe(2);
        await storage.clearLoginFailures('1.2.3.4');
        expect(await storage.countLoginFailures('1.2.3.4', 0)).toBe(0);
        expect(await storage.countLoginFailures('5.6.7.8', 0)).toBe(1);
      });
    });
  });
}
