import { beforeEach, describe, expect, it } from 'vitest';
import { STREAM_DEFAULTS, type Device, type Stream, type User } from '../../core/model';
import { createLocalCache, type LocalCache } from './cache';
import type { LocalDb } from './localDb';
import { openTestDb, type TestDb } from './testing/testDb';

const NOW = 1_700_000_000_000;
let test: TestDb;
let db: LocalDb;
let cache: LocalCache;

const user = (name: string, nickname = ''): User => ({
  name,
  nickname,
  email: `${name}@localhost`,
  description: '',
  icon: '',
  role: 'user',
  public: false,
});
const device = (name: string, nickname = ''): Device => ({
  name,
  nickname,
  description: '',
  icon: '',
  apikey: '',
  enabled: true,
  public: false,
  role: '',
  visible: true,
  user_editable: true,
});
const stream = (name: string, nickname = ''): Stream => ({ ...STREAM_DEFAULTS, name, nickname });

beforeEach(async () => {
  test = await openTestDb();
  db = test.db;
  cache = createLocalCache({ db, viewer: 'alice', now: () => NOW });
});

describe('objects', () => {
  it('returns nothing before the first fetch, then the value with its age, after a reload too', async () => {
    expect(await cache.readUsers()).toBeUndefined();
    await cache.mergeUsers([user('alice'), user('bob')], NOW - 60_000);
    const reopened = createLocalCache({ db: await test.reopen(), viewer: 'alice' });
    expect(await reopened.readUsers()).toEqual({
      value: [user('alice'), user('bob')],
      fetchedAt: NOW - 60_000,
    });
    // A page opened from the list renders at once.
    expect(await reopened.readUser('bob')).toEqual({ value: user('bob'), fetchedAt: NOW - 60_000 });
  });

  it('keeps lists and objects in agreement on merge and forget', async () => {
    await cache.mergeDevices('alice', [device('user'), device('phone')]);
    await cache.mergeDevice('alice', device('phone', 'My phone'));
    await cache.mergeDevice('alice', device('watch'));
    expect((await cache.readDevices('alice'))!.value.map((d) => [d.name, d.nickname])).toEqual([
      ['user', ''],
      ['phone', 'My phone'],
      ['watch', ''],
    ]);

    await cache.mergeStreams('alice', 'phone', [stream('steps')]);
    await cache.mergeUserStreams('alice', [{ ...stream('steps'), device: 'phone' }]);
    await cache.mergeStream('alice/phone/steps', stream('steps', 'Steps'));
    expect((await cache.readUserStreams('alice'))!.value[0]).toMatchObject({
      device: 'phone',
      nickname: 'Steps',
    });
    expect((await cache.readStreams('alice', 'phone'))!.value[0]!.nickname).toBe('Steps');

    await cache.mergeRange('alice/phone/steps', 0, 10, [{ t: 5, d: 1 }]);
    await cache.forgetDevice('alice', 'phone');
    expect((await cache.readDevices('alice'))!.value.map((d) => d.name)).toEqual(['user', 'watch']);
    expect(await cache.readStream('alice/phone/steps')).toBeUndefined();
    expect(await cache.readStreams('alice', 'phone')).toBeUndefined();
    expect((await cache.readUserStreams('alice'))!.value).toEqual([]);
    expect(await cache.readRange('alice/phone/steps', 0, 10)).toBeUndefined();
  });

  it('keeps viewers apart, and forgetting a user leaves a similarly named one alone', async () => {
    await cache.mergeUser(user('al'));
    await cache.mergeUser(user('alex'));
    await cache.mergeDevices('alex', [device('phone')]);
    const bobsView = createLocalCache({ db, viewer: 'bob' });
    expect(await bobsView.readUser('al')).toBeUndefined();
    await cache.forgetUser('al');
    expect(await cache.readUser('al')).toBeUndefined();
    expect(await cache.readDevices('alex')).toBeDefined();
    await cache.clear();
    expect(await cache.readUser('alex')).toBeUndefined();
  });
});

describe('data windows', () => {
  const mood = 'alice/user/mood';

  it('answers a viewed range at once and says whether it is all there', async () => {
    await cache.mergeRange(mood, 100, 200, [
      { t: 150, d: 2 },
      { t: 120, d: 1 },
    ]);
    expect(await cache.readRange(mood, 100, 200)).toEqual({
      points: [
        { t: 120, d: 1 },
        { t: 150, d: 2 },
      ],
      fetchedAt: NOW,
      isComplete: true,
    });
    expect((await cache.readRange(mood, 100, 300))!.isComplete).toBe(false);
  });

  it('serves the latest points of the table and knows when it has the whole stream', async () => {
    await cache.mergeLatest(
      mood,
      [
        { t: 10, d: 1 },
        { t: 20, d: 2 },
        { t: 30, d: 3 },
      ],
      3,
    );
    expect(await cache.readLatest(mood, 2)).toMatchObject({
      points: [{ t: 20 }, { t: 30 }],
      isComplete: true,
    });
    expect((await cache.readLatest(mood, 5))!.isComplete).toBe(false);
    expect((await cache.readRange(mood, 9, NOW / 1000))!.isComplete).toBe(false);
    expect((await cache.readRange(mood, 10, NOW / 1000))!.points.map((p) => p.t)).toEqual([20, 30]);

    await cache.mergeLatest(mood, [{ t: 10, d: 1 }], 50);
    expect((await cache.readRange(mood, 0, NOW / 1000))!.isComplete).toBe(true);
  });

  it('serves the latest points across a zoom window that ends the cached range', async () => {
    await cache.mergeRange(
      mood,
      0,
      100,
      [
        { t: 50, d: 1 },
        { t: 60, d: 2 },
      ],
      NOW - 1000,
    );
    await cache.mergeRange(mood, 100, 200, [{ t: 150, d: 3 }]);
    expect(await cache.readLatest(mood, 2)).toEqual({
      points: [
        { t: 60, d: 2 },
        { t: 150, d: 3 },
      ],
      fetchedAt: NOW - 1000,
      isComplete: true,
    });
    expect((await cache.readLatest(mood, 5))!.isComplete).toBe(false);
  });

  it('stays bounded per stream and in the number of streams', async () => {
    const small = createLocalCache({ db, viewer: 'alice', maxPointsPerStream: 100, maxStreams: 2 });
    const many = Array.from({ length: 250 }, (_, i) => ({ t: i + 1, d: i }));
    await small.mergeRange(mood, 0, 250, many);
    const kept = await small.readRange(mood, 0, 250);
    expect(kept!.points).toHaveLength(100);
    expect(kept!.points[0]!.t).toBe(151);
    expect(kept!.isComplete).toBe(false);

    await small.mergeRange('alice/user/a', 0, 1, []);
    await small.mergeRange('alice/user/b', 0, 1, []);
    expect(await db.ranges.count()).toBe(2);
  });
});
