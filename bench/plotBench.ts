/** Plot queries over random windows of the year, and the pixel-identity check of M4 against raw points. */
import { decodeM4, m4ToPolyline, rasterizeLine } from '../src/core/timeseries';
import { percentile, seeded, YEAR_POINTS, YEAR_START } from './datasets';
import {
  addressOf,
  inClientProcess,
  request,
  timedGet,
  type BenchServer,
  type ServerAddress,
} from './serverProcess';

/** A window of the data: random start, length log-uniform between `minSeconds` and `maxSeconds`. */
function randomWindow(
  random: () => number,
  spanSeconds: number,
  minSeconds: number,
  maxSeconds: number,
): [number, number] {
  const length = Math.exp(Math.log(minSeconds) + random() * (Math.log(maxSeconds) - Math.log(minSeconds)));
  const start = YEAR_START + random() * (spanSeconds - length);
  return [start, start + length];
}

export interface PlotQueryResult {
  queries: number;
  p50Ms: number;
  p99Ms: number;
  rollupShare: number;
}

export async function plotQueries(
  server: ServerAddress,
  stream: string,
  spanSeconds = YEAR_POINTS,
  queries = 300,
  width = 2000,
): Promise<PlotQueryResult> {
  const random = seeded(42);
  const times: number[] = [];
  let rollups = 0;
  for (let i = 0; i < queries + 20; i++) {
    const [t1, t2] = randomWindow(random, spanSeconds, 3600, spanSeconds);
    const { ms, headers } = await timedGet(
      server,
      `crud/${stream}/data?q=plot&format=binary&t1=${t1}&t2=${t2}&width=${width}`,
    );
    // The first 20 warm the server up (JIT, page cache) and are not counted.
    if (i >= 20) {
      times.push(ms);
      if (headers['x-plot-source'] === 'rollup') rollups++;
    }
  }
  return {
    queries,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    rollupShare: rollups / queries,
  };
}

/** `plotQueries` from a client process of its own (see `inClientProcess`). */
export function plotQueriesFromClient(
  server: BenchServer,
  stream: string,
  spanSeconds: number,
  queries: number,
): Promise<PlotQueryResult> {
  return inClientProcess('plotBench', 'plotQueries', addressOf(server), stream, spanSeconds, queries);
}

/** One full-window plot query (for the row-per-point baseline, where it takes seconds). */
export async function windowQueryMs(
  server: ServerAddress,
  stream: string,
  t1: number,
  t2: number,
  width = 2000,
): Promise<number> {
  return (await timedGet(server, `crud/${stream}/data?q=plot&format=binary&t1=${t1}&t2=${t2}&width=${width}`))
    .ms;
}

interface PlotJson {
  t0: number;
  columnWidth: number;
  width: number;
  source: string;
  level?: number;
}

/** Widths for the identity check: narrow plots of short windows reach every rollup level. */
const IDENTITY_WIDTHS = [2000, 300, 40, 8];

/**
 * Draws each window twice — from the server's M4 data and from every raw point — and compares the
 * bitmaps byte for byte, at the server's column grid. Windows of 1 hour to 10 days at the widths
 * above exercise raw reads and every rollup level (10 s to 1 d) without reading months of raw
 * points over HTTP.
 */
export async function pixelIdentity(
  server: ServerAddress,
  stream: string,
  spanSeconds = YEAR_POINTS,
  windows = 12,
) {
  const random = seeded(7);
  let identical = 0;
  /** The sources the windows were drawn from: 0 for raw points, else the rollup level. */
  const levels = new Set<number>();
  for (let i = 0; i < windows; i++) {
    const [t1, t2] = randomWindow(random, spanSeconds, 3600, 10 * 86_400);
    const width = IDENTITY_WIDTHS[i % IDENTITY_WIDTHS.length]!;
    const base = `crud/${stream}/data?t1=${t1}&t2=${t2}&width=${width}`;
    const plot = (await (await request(server, 'GET', `${base}&q=plot`)).json()) as PlotJson;
    levels.add(plot.source === 'rollup' ? plot.level! : 0);
    const m4 = decodeM4(
      new Uint8Array(await (await request(server, 'GET', `${base}&q=plot&format=binary`)).arrayBuffer()),
    );
    const end = plot.t0 + plot.width * plot.columnWidth;
    const raw = (await (
      await request(server, 'GET', `crud/${stream}/data?t1=${plot.t0 - 1}&t2=${end}`)
    ).json()) as {
      t: number;
      d: number;
    }[];
    const inWindow = raw.filter((p) => p.t >= plot.t0 && p.t < end);
    const values = inWindow.map((p) => p.d);
    const view = {
      t0: plot.t0,
      columnWidth: plot.columnWidth,
      width: plot.width,
      height: 400,
      vMin: values.reduce((a, b) => Math.min(a, b), Infinity),
      vMax: values.reduce((a, b) => Math.max(a, b), -Infinity),
    };
    const fromRaw = rasterizeLine({ t: inWindow.map((p) => p.t), v: values }, view);
    const fromM4 = rasterizeLine(m4ToPolyline(m4), view);
    if (Buffer.from(fromRaw).equals(Buffer.from(fromM4))) identical++;
  }
  return { windows, identical, levels: [...levels].sort((a, b) => a - b) };
}
