/**
 * Calendar transforms without a zone use the server process's time zone (`TZ`), as the original
 * did. The other tests run with TZ=UTC, where that cannot be told apart from UTC, so this file
 * (a process of its own) switches the zone before the server starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, basic, startTestServer, type TestServer } from '../testing/testServer';

const ZONE = 'Asia/Tokyo';

describe(`calendar transforms under TZ=${ZONE}`, () => {
  const previousZone = process.env.TZ;
  let t: TestServer;
  let user: ReturnType<typeof api>;

  beforeAll(async () => {
    process.env.TZ = ZONE;
    t = await startTestServer();
    await api(t.url, basic('test', 'test')).post('crud/tz', { email: 'tz@localhost', password: 'pw' });
    user = api(t.url, basic('tz', 'pw'));
    await user.post('crud/tz/user/n', { schema: '{"type":"number"}' });
    await user.post('crud/tz/user/n/data', [{ t: 1, d: 1 }]);
  });
  afterAll(async () => {
    await t.close();
    process.env.TZ = previousZone;
  });

  it('runs in a zone that is not UTC (Tokyo: 09:00 at t=0)', () => {
    expect(new Date(0).getHours()).toBe(9);
  });

  it('gives the local hour without a zone, and the UTC hour with one', async () => {
    const read = async (transform: string) =>
      (await user.get(`crud/tz/user/n/data?i1=0&i2=0&transform=${encodeURIComponent(transform)}`)).json;
    expect(await read('dayhour')).toEqual([{ t: 1, d: 9 }]);
    expect(await read("dayhour('UTC')")).toEqual([{ t: 1, d: 0 }]);
    expect(await read('hour')).toEqual([{ t: 1, d: 9 }]);
  });

  it('uses the local zone at t=0 in a dataset posttransform', async () => {
    const result = await user.post('query/dataset', {
      t1: 0,
      t2: 1,
      dt: 1,
      posttransform: '{"hour": hour, "dayhour": dayhour, "utc": hour("UTC")}',
      dataset: { n: { stream: 'tz/user/n', interpolator: 'count' } },
    });
    expect(result.status, result.text).toBe(200);
    expect(result.json).toEqual([{ d: { hour: 9, dayhour: 9, utc: 0 } }]);
  });
});
