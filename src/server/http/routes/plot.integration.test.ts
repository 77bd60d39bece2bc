import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeM4,
  m4FromPoints,
  m4ToPolyline,
  planPlot,
  rasterizeLine,
  ROLLUP_LEVELS,
} from '../../../core/timeseries';
import { api, basic, startTestServer, type TestServer } from '../../testing/testServer';

const START = 1_700_006_400; // a day boundary in UTC
const DAYS = 2;

/** A slowly varying, noisy series with spikes: the kind of data a plot must not smooth away. */
const value = (i: number) =>
  Math.round((20 + 5 * Math.sin(i / 3000) + ((i * 7919) % 13) / 10 + (i % 9973 === 0 ? 40 : 0)) * 100) / 100;

describe('plot and downsampling queries', () => {
  let t: TestServer;
  let alice: ReturnType<typeof api>;
  const s = 'crud/alice/user/temp';
  const raw: { t: number; v: number }[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    await api(t.url, basic('test', 'test')).post('crud/alice', { email: 'alice@localhost', password: 'pw' });
    alice = api(t.url, basic('alice', 'pw'));
    await alice.post(s, { schema: '{"type":"number"}' });
    const total = DAYS * 86_400;
    for (let from = 0; from < total; from += 20_000) {
      const batch = [];
      for (let i = from; i < Math.min(from + 20_000, total); i++) {
        batch.push({ t: START + i, d: value(i) });
        raw.push({ t: START + i, v: value(i) });
      }
      expect((await alice.post(`${s}/data`, batch)).status).toBe(200);
    }
    // A few single writes stay in the not-yet-folded tail.
    for (let i = 0; i < 5; i++) {
      await alice.post(`${s}/data`, [{ t: START + total + i, d: 30 + i }]);
      raw.push({ t: START + total + i, v: 30 + i });
    }
  });
  afterAll(() => t.close());

  const plot = (q: string) => alice.get(`${s}/data?q=plot&${q}`);

  it('answers a long window from the rollup pyramid, exactly equal to M4 of the raw points', async () => {
    const t1 = START;
    const t2 = START + DAYS * 86_400 + 10;
    const response = await plot(`t1=${t1}&t2=${t2}&width=400`);
    expect(response.status).toBe(200);
    const body = response.json;
    expect(body.source).toBe('rollup');
    expect(ROLLUP_LEVELS).toContain(body.level);
    const plan = planPlot({ t0: t1, t1: t2, width: 400, levels: ROLLUP_LEVELS });
    const expected = m4FromPoints(
      raw.map((p) => p.t),
      raw.map((p) => p.v),
      plan,
    );
    expect(body.t0).toBe(expected.t0);
    expect(body.columnWidth).toBe(expected.columnWidth);
    expect(body.column).toEqual(Array.from(expected.column));
    for (const key of ['first', 'min', 'max', 'last', 'tFirst', 'tLast'] as const) {
      expect(body[key], key).toEqual(Array.from(expected[key]));
    }
    // And so the drawing is pixel-identical to drawing every point.
    const view = {
      t0: plan.t0,
      columnWidth: plan.columnWidth,
      width: plan.width,
      height: 200,
      vMin: 10,
      vMax: 70,
    };
    const fromServer = rasterizeLine(
      m4ToPolyline({
        ...expected,
        column: Uint32Array.from(body.column),
        min: Float64Array.from(body.min),
        max: Float64Array.from(body.max),
      }),
      view,
    );
    const fromRaw = rasterizeLine({ t: raw.map((p) => p.t), v: raw.map((p) => p.v) }, view);
    expect(Buffer.from(fromServer).equals(Buffer.from(fromRaw))).toBe(true);
  });

  it('answers a zoomed-in window with the raw points and the neighbours outside it', async () => {
    const t1 = START + 1000;
    const response = await plot(`t1=${t1}&t2=${t1 + 100}&width=800`);
    const body = response.json;
    expect(body.source).toBe('raw');
    expect(body.raw.t).toEqual(raw.slice(1000, 1100).map((p) => p.t));
    expect(body.raw.v).toEqual(raw.slice(1000, 1100).map((p) => p.v));
    expect(body.before).toEqual({ t: START + 999, d: value(999) });
    expect(body.after).toEqual({ t: START + 1100, d: value(1100) });
  });

  it('includes points not yet folded into chunks', async () => {
    const end = START + DAYS * 86_400;
    const body = (await plot(`t1=${end - 2}&t2=${end + 10}&width=100`)).json;
    expect(body.raw.v).toEqual([value(DAYS * 86_400 - 2), value(DAYS * 86_400 - 1), 30, 31, 32, 33, 34]);
  });

  it('serves the same data in the compact binary form', async () => {
    const query = `t1=${START}&t2=${START + 86_400}&width=300`;
    const json = (await plot(query)).json;
    const response = await fetch(`${t.url}/api/v1/${s}/data?q=plot&${query}&format=binary`, {
      headers: { authorization: basic('alice', 'pw') },
    });
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-plot-source')).toBe('rollup');
    const m4 = decodeM4(new Uint8Array(await response.arrayBuffer()));
    expect(Array.from(m4.max)).toEqual(json.max);
    expect(JSON.parse(response.headers.get('x-plot-edges')!)).toEqual({ before: null, after: json.after });
  });

  it('answers binary plots in flight at once each with its own data (their buffers are reused)', async () => {
    const binary = async (query: string) => {
      const response = await fetch(`${t.url}/api/v1/${s}/data?q=plot&${query}&format=binary`, {
        headers: { authorization: basic('alice', 'pw') },
      });
      return decodeM4(new Uint8Array(await response.arrayBuffer()));
    };
    const queries = Array.from({ length: 24 }, (_, i) => {
      const t1 = START + i * 5000;
      return `t1=${t1}&t2=${t1 + 3600 * (1 + (i % 7))}&width=${[50, 300, 1200][i % 3]}`;
    });
    const expected = [];
    for (const query of queries) expected.push(await binary(query));
    for (let round = 0; round < 3; round++) {
      expect(await Promise.all(queries.map(binary))).toEqual(expected);
    }
  });

  it('downsamples per granularity with the Datastream value and time functions', async () => {
    const q = `q=downsample&t1=${START}&t2=${START + 7200}`;
    const mean = (await alice.get(`${s}/data?${q}&level=1h&value=mean&time=first`)).json;
    expect(mean).toHaveLength(2);
    const firstHour = raw.slice(0, 3600).map((p) => p.v);
    expect(mean[0].t).toBe(START);
    expect(mean[0].d).toBeCloseTo(firstHour.reduce((a, b) => a + b, 0) / 3600, 9);
    const max = (await alice.get(`${s}/data?${q}&level=3600&value=max&time=last`)).json;
    expect(max[0]).toEqual({ t: START + 3599, d: Math.max(...firstHour) });
    const count = (await alice.get(`${s}/data?${q}&level=10m&value=count&time=mean`)).json;
    expect(count).toHaveLength(12);
    expect(count[0]).toEqual({ t: START + 299.5, d: 600 });
    const spread = (await alice.get(`${s}/data?${q}&level=1d&value=std_dev`)).json;
    expect(spread[0].d).toBeGreaterThan(0);
  });

  it('refuses bad plot and downsampling requests with 400, and unreadable streams with 403', async () => {
    for (const q of [
      'q=plot&t1=10&t2=5&width=100',
      'q=plot&t1=0&t2=10&width=0',
      'q=plot&t2=10&width=10',
      'q=plot&t1=0&t2=10&width=100000',
      `q=downsample&t1=${START}&t2=${START + 10}&level=7s`,
      `q=downsample&t1=${START}&t2=${START + 10}&level=1h&value=median`,
    ]) {
      expect((await alice.get(`${s}/data?${q}`)).status, q).toBe(400);
    }
    expect((await api(t.url).get(`${s}/data?q=plot&t1=0&t2=10&width=10`)).status).toBe(403);
  });

  it('plots booleans as 0 and 1', async () => {
    await alice.post('crud/alice/user/lamp', { schema: '{"type":"boolean"}' });
    await alice.post('crud/alice/user/lamp/data', [
      { t: 10, d: true },
      { t: 20, d: false },
    ]);
    const body = (await alice.get('crud/alice/user/lamp/data?q=plot&t1=0&t2=30&width=30')).json;
    expect(body.raw.v).toEqual([1, 0]);
  });
});
