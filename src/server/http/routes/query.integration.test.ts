import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, basic, startTestServer, type TestServer } from '../../testing/testServer';

/** The values are those of ConnectorDB's own Python tests (query_test.py, connectordb-v1.md §2.6, §5.1). */
describe('merge and dataset queries', () => {
  let t: TestServer;
  let device: ReturnType<typeof api>;
  const p = (s: string) => `query_test/mydevice/${s}`;

  beforeAll(async () => {
    t = await startTestServer();
    const admin = api(t.url, basic('test', 'test'));
    await admin.post('crud/query_test', { email: 'q@localhost', password: 'pw' });
    const key = (await api(t.url, basic('query_test', 'pw')).post('crud/query_test/mydevice')).json.apikey;
    device = api(t.url, basic('', key));
    const streams: Record<string, [number, number][]> = {
      stream1: [1, 2, 3, 4, 5].map((x) => [x, 1]),
      stream2: [1.1, 2.1, 3.1, 4.1, 5.1].map((x) => [x, 2]),
      stream3: [1.2, 2.2, 3.3, 4.4, 5.5].map((x) => [x, 3]),
      temperature: [
        [2, 73],
        [5, 84],
        [8, 81],
        [11, 79],
      ],
      mood_rating: [
        [1, 7],
        [4, 3],
        [11, 5],
      ],
    };
    for (const [name, points] of Object.entries(streams)) {
      await device.post(`crud/${p(name)}`, { schema: '{"type":"number"}' });
      await device.post(
        `crud/${p(name)}/data`,
        points.map(([t, d]) => ({ t, d })),
      );
    }
  });
  afterAll(() => t.close());

  it('merges streams by time, each with its own range', async () => {
    const result = await device.post('query/merge', [
      { stream: p('stream1'), i1: 0, i2: 0 },
      { stream: p('stream2'), t1: 3.0 },
      { stream: p('stream3'), i1: 1, i2: 2 },
    ]);
    expect(result.status).toBe(200);
    expect(result.json).toEqual([
      { t: 1, d: 1 },
      { t: 2, d: 1 },
      { t: 2.2, d: 3 },
      { t: 3, d: 1 },
      { t: 3.1, d: 2 },
      { t: 4, d: 1 },
      { t: 4.1, d: 2 },
      { t: 5, d: 1 },
      { t: 5.1, d: 2 },
    ]);
  });

  it('keeps input order for equal timestamps, applies transforms, and drops o', async () => {
    const result = await device.post('query/merge', [
      { stream: p('stream1'), transform: 'if $ > 0 | 10' },
      { stream: p('stream1') },
    ]);
    expect(result.json.slice(0, 2)).toEqual([
      { t: 1, d: 10 },
      { t: 1, d: 1 },
    ]);
  });

  it('refuses more than 10 streams, bad paths and bad transforms with 400; unreadable streams with 403', async () => {
    const eleven = Array.from({ length: 11 }, () => ({ stream: p('stream1') }));
    expect((await device.post('query/merge', eleven)).status).toBe(400);
    expect((await device.post('query/merge', [{ stream: 'nope' }])).status).toBe(400);
    expect((await device.post('query/merge', [{ stream: p('stream1'), transform: 'if $ >' }])).status).toBe(
      400,
    );
    expect((await device.post('query/merge', { stream: p('stream1') })).status).toBe(400);
    expect((await api(t.url).post('query/merge', [{ stream: p('stream1') }])).status).toBe(403);
  });

  it('builds a T-dataset with the closest interpolator (row at t=0 has no t)', async () => {
    const result = await device.post('query/dataset', {
      t1: 0,
      t2: 8.1,
      dt: 2,
      dataset: { temperature: { stream: p('temperature'), interpolator: 'closest', i1: 0, i2: 0 } },
    });
    expect(result.status).toBe(200);
    expect(result.json).toEqual([
      { d: { temperature: 73 } },
      { t: 2, d: { temperature: 73 } },
      { t: 4, d: { temperature: 84 } },
      { t: 6, d: { temperature: 84 } },
      { t: 8, d: { temperature: 81 } },
    ]);
  });

  it('builds an X-dataset on another stream, with the X value in column x', async () => {
    const result = await device.post('query/dataset', {
      stream: p('mood_rating'),
      i1: 0,
      i2: 0,
      dataset: { temperature: { stream: p('temperature'), interpolator: 'closest' } },
    });
    expect(result.json).toEqual([
      { t: 1, d: { temperature: 73, x: 7 } },
      { t: 4, d: { temperature: 84, x: 3 } },
      { t: 11, d: { temperature: 79, x: 5 } },
    ]);
  });

  it('supports the other interpolators, allownil, merged elements and a posttransform', async () => {
    const result = await device.post('query/dataset', {
      t1: 1,
      t2: 12,
      dt: 5,
      posttransform: 'd("sum") + d("count")',
      dataset: {
        sum: { stream: p('temperature'), interpolator: 'sum' },
        count: {
          merge: [{ stream: p('stream1') }, { stream: p('stream2') }],
          interpolator: 'count',
          allownil: true,
        },
      },
    });
    expect(result.status).toBe(200);
    // Rows at 1, 6, 11 over the windows (-4, 1], (1, 6], (6, 11] (§5.2): sum of temperature
    // 0, 73 + 84, 81 + 79; count of stream1 + stream2 1, 4 + 5, 0.
    expect(result.json).toEqual([
      { t: 1, d: 0 + 1 },
      { t: 6, d: 157 + 9 },
      { t: 11, d: 160 + 0 },
    ]);
  });

  it('gives every interpolator its value at each row (§5.2), the first row aggregating only (t1 - dt, t1]', async () => {
    const names = ['closest', 'before', 'after', 'sum', 'count', 'mean', '$ + 1'];
    const result = await device.post('query/dataset', {
      t1: 6,
      t2: 12,
      dt: 3,
      dataset: Object.fromEntries(
        names.map((name) => [name, { stream: p('temperature'), interpolator: name }]),
      ),
    });
    expect(result.status).toBe(200);
    // temperature (2,73) (5,84) (8,81) (11,79); rows at 6 and 9. The point at 2 is read (the
    // back-track), but it is before the first window (3, 6].
    expect(result.json).toEqual([
      { t: 6, d: { closest: 84, before: 84, after: 81, sum: 84, count: 1, mean: 84, '$ + 1': 85 } },
      { t: 9, d: { closest: 81, before: 81, after: 79, sum: 81, count: 1, mean: 81, '$ + 1': 82 } },
    ]);
  });

  it('reads an element from a few datapoints before t1 up to one datapoint after t2, not to the end', async () => {
    await device.post(`crud/${p('hundred')}`, { schema: '{"type":"number"}' });
    await device.post(
      `crud/${p('hundred')}/data`,
      Array.from({ length: 100 }, (_, i) => ({ t: i + 1, d: i + 1 })),
    );
    const result = await device.post('query/dataset', {
      t1: 30,
      t2: 40,
      dt: 5,
      dataset: {
        // What the element's transform saw: how many datapoints, and the first one.
        read: { stream: p('hundred'), transform: 'count | if last' },
        first: { stream: p('hundred'), transform: 'if first' },
      },
    });
    expect(result.status).toBe(200);
    // 10 datapoints back from the first after t1 (31) is 21; the first after t2 (40) is 41.
    expect(result.json).toEqual([
      { t: 30, d: { read: 21, first: 21 } },
      { t: 35, d: { read: 21, first: 21 } },
    ]);
  });

  it('streams a large dataset as it is computed, without holding it in memory', async () => {
    const rows = 1_000_000;
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const response = await fetch(`${t.url}/api/v1/query/dataset`, {
      method: 'POST',
      headers: { authorization: basic('query_test', 'pw') },
      body: JSON.stringify({
        t1: 0,
        t2: rows,
        dt: 1,
        dataset: {
          a: { stream: p('temperature'), interpolator: 'closest' },
          b: { stream: p('mood_rating'), interpolator: 'before', allownil: true },
        },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const decoder = new TextDecoder();
    let text = '';
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    const data = JSON.parse(text) as { t?: number; d: { a: number; b: number | null } }[];
    expect(data).toHaveLength(rows);
    expect(data[0]).toEqual({ d: { a: 73, b: null } });
    expect(data[rows - 1]).toEqual({ t: rows - 1, d: { a: 79, b: 5 } });
    // Built whole, a million rows take some 250 MB; streamed, the server holds a few chunks (the
    // test itself holds the 30 MB text).
    expect((heapPeak - heapBefore) / 1e6).toBeLessThan(150);
  });

  it('streams a merge larger than one chunk in order', async () => {
    const many = (offset: number) => Array.from({ length: 20_000 }, (_, i) => ({ t: 2 * i + offset, d: i }));
    await device.post(`crud/${p('even')}`, { schema: '{"type":"number"}' });
    await device.post(`crud/${p('odd')}`, { schema: '{"type":"number"}' });
    await device.post(`crud/${p('even')}/data`, many(2));
    await device.post(`crud/${p('odd')}/data`, many(3));
    const result = await device.post('query/merge', [{ stream: p('odd') }, { stream: p('even') }]);
    expect(result.status).toBe(200);
    expect(result.headers.get('transfer-encoding')).toBe('chunked');
    expect(result.json).toHaveLength(40_000);
    expect(result.json.map((dp: { t: number }) => dp.t)).toEqual(
      Array.from({ length: 40_000 }, (_, i) => i + 2),
    );
  });

  it('refuses invalid datasets with 400 and a message', async () => {
    const cases = [
      { t1: 0, t2: 10, dt: 0.0001, dataset: { a: { stream: p('temperature') } } },
      { t1: 10, t2: 5, dt: 1, dataset: { a: { stream: p('temperature') } } },
      { t1: 0, t2: 10, dt: 1, dataset: {} },
      { stream: p('mood_rating'), dataset: { x: { stream: p('temperature') } } },
      { t1: 0, t2: 10, dt: 1, dataset: { a: { stream: p('temperature'), interpolator: 'if $ >' } } },
    ];
    for (const body of cases) {
      const response = await device.post('query/dataset', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json.msg.length).toBeGreaterThan(5);
    }
  });
});
