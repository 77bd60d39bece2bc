/**
 * `npm run bench`: fixed, generated datasets against real servers started here, a table of the
 * results against DESIGN.md §7's budgets, and `bench/results.json`. `--quick` runs a month instead
 * of a year (for development; the numbers in notes come from the full run).
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchPipeScript } from './pipescriptBench';
import { criticalJsKbGzip } from './bundleBench';
import { YEAR_POINTS, YEAR_START } from './datasets';
import { ingestManyStreams, ingestYear } from './ingestBench';
import { pixelIdentity, plotQueriesFromClient, windowQueryMs } from './plotBench';
import { benchPostgres } from './postgresBench';
import { BENCH_ADMIN, request, startBenchServer, type BenchServer } from './serverProcess';
import { singlePostsFromClient } from './singlePostBench';
import { uplotRedraw } from './redrawBench';
import { websocketLatencyFromClient } from './websocketBench';

const quick = process.argv.includes('--quick');
const yearPoints = quick ? 30 * 86_400 : YEAR_POINTS;
const MONTH = 30 * 86_400;
const user = BENCH_ADMIN.name;

type Results = Record<string, number | string | boolean | null>;
const results: Results = { dataset_points: yearPoints, quick };

const log = (message: string) => console.log(`[bench] ${message}`);

/** A part that could not run is written into the results and fails the run at the end. */
const failures: string[] = [];
function failed(part: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  results[`${part}_error`] = message;
  failures.push(part);
  log(`${part} FAILED: ${message}`);
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    total += stat.isDirectory() ? directoryBytes(path) : stat.size;
  }
  return total;
}

async function withServer<T>(
  env: Record<string, string>,
  run: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const server = await startBenchServer(env);
  try {
    return await run(server);
  } finally {
    await server.stop();
    server.remove();
  }
}

async function yearServer(): Promise<void> {
  await withServer({}, async (server) => {
    await request(server, 'POST', `crud/${user}/user/year`, { schema: '{"type":"number"}' });
    log(`ingesting ${yearPoints.toLocaleString()} points into one stream (batches of 100,000)…`);
    let lastReport = 0;
    const ingest = await ingestYear(server, `${user}/user/year`, yearPoints, 100_000, (done) => {
      if (done - lastReport >= 5_000_000) {
        lastReport = done;
        log(`  ${done.toLocaleString()} points`);
      }
    });
    results.ingest_points_per_s = Math.round(ingest.pointsPerSecond);
    results.year_ingest_seconds = Number(ingest.seconds.toFixed(1));

    log('plot queries over random windows (2,000 px)…');
    const plots = await plotQueriesFromClient(server, `${user}/user/year`, yearPoints, quick ? 100 : 300);
    results.plot_query_p50_ms = Number(plots.p50Ms.toFixed(2));
    results.plot_query_p99_ms = Number(plots.p99Ms.toFixed(2));
    results.plot_query_rollup_share = Number(plots.rollupShare.toFixed(2));

    log('pixel identity of M4 plots against raw points…');
    const identity = await pixelIdentity(server, `${user}/user/year`, yearPoints, quick ? 8 : 24);
    results.m4_pixel_identical = identity.identical === identity.windows;
    results.m4_windows_checked = identity.windows;
    results.m4_sources_checked = identity.levels.map((l) => (l === 0 ? 'raw' : `${l}s`)).join(' ');

    await server.stop();
    results.storage_bytes_per_point = Number((directoryBytes(server.dataDir) / yearPoints).toFixed(2));
  });
}

async function loadServer(): Promise<void> {
  await withServer({}, async (server) => {
    log('ingesting 1,000 streams × 5,000 points…');
    const many = await ingestManyStreams(server, user, 1000, 5000);
    results.ingest_1000_streams_points_per_s = Math.round(many.pointsPerSecond);

    log('single-datapoint POSTs from 64 connections for 10 s…');
    const posts = await singlePostsFromClient(server, user, quick ? 5 : 10);
    results.single_post_per_s = Math.round(posts.requestsPerSecond);
    results.single_post_p50_ms = posts.p50Ms;
    results.single_post_p99_ms = posts.p99Ms;
    results.single_post_errors = posts.errors;

    log('insert → websocket latency with 100 subscribers…');
    const ws = await websocketLatencyFromClient(server, user, 100, quick ? 100 : 200);
    results.ws_latency_p50_ms = Number(ws.p50Ms.toFixed(2));
    results.ws_latency_p99_ms = Number(ws.p99Ms.toFixed(2));
    results.ws_deliveries = `${ws.deliveries}/${ws.expected}`;
  });
}

/** The same month of data in both layouts, for ratios measured in the same run. */
async function baseline(): Promise<void> {
  for (const layout of ['chunked', 'rows'] as const) {
    await withServer({ TRIBUTARY_STORAGE_LAYOUT: layout }, async (server) => {
      await request(server, 'POST', `crud/${user}/user/month`, { schema: '{"type":"number"}' });
      log(`baseline: a month (${MONTH.toLocaleString()} points) in the ${layout} layout…`);
      const ingest = await ingestYear(server, `${user}/user/month`, MONTH, 100_000);
      const times: number[] = [];
      for (let i = 0; i < 3; i++)
        times.push(await windowQueryMs(server, `${user}/user/month`, YEAR_START, YEAR_START + MONTH));
      await server.stop();
      results[`${layout}_month_ingest_points_per_s`] = Math.round(ingest.pointsPerSecond);
      results[`${layout}_month_plot_ms`] = Number(Math.min(...times).toFixed(2));
      results[`${layout}_bytes_per_point`] = Number((directoryBytes(server.dataDir) / MONTH).toFixed(2));
    });
  }
  results.ingest_ratio_to_rows = Number(
    (
      (results.chunked_month_ingest_points_per_s as number) /
      (results.rows_month_ingest_points_per_s as number)
    ).toFixed(1),
  );
  results.plot_speedup_over_rows = Math.round(
    (results.rows_month_plot_ms as number) / (results.chunked_month_plot_ms as number),
  );
}

/** The month again on PostgreSQL (DATABASE_URL, else an embedded server), beside SQLite's figures. */
async function postgres(): Promise<void> {
  try {
    const pg = await benchPostgres(MONTH, { quick, log });
    results.postgres_server = pg.server;
    results.postgres_ingest_points_per_s = Math.round(pg.ingestPointsPerSecond);
    results.postgres_plot_query_p50_ms = Number(pg.plotP50Ms.toFixed(2));
    results.postgres_plot_query_p99_ms = Number(pg.plotP99Ms.toFixed(2));
    results.postgres_month_plot_ms = Number(pg.fullWindowPlotMs.toFixed(2));
    results.postgres_single_post_per_s = Math.round(pg.singlePostPerSecond);
    results.postgres_single_post_p99_ms = pg.singlePostP99Ms;
    results.postgres_bytes_per_point = Number(pg.bytesPerPoint.toFixed(2));
  } catch (err) {
    failed('postgres', err);
  }
}

async function clientSide(): Promise<void> {
  log('PipeScript throughput over 1,000,000 points…');
  const pipescript = await benchPipeScript();
  results.pipescript_mean_if_last_points_per_s = Math.round(pipescript.mean_if_last_points_per_s);
  results.pipescript_while_daily_points_per_s = Math.round(pipescript.while_daily_points_per_s);
  try {
    const { benchLocalFirst } = (await import('./localFirstBench')) as {
      benchLocalFirst: () => Promise<{ queue_100k_ms: number; sync_100k_ms: number }>;
    };
    log('offline queue: 100,000 points queued and synced…');
    const local = await benchLocalFirst();
    results.queue_100k_ms = Number(local.queue_100k_ms.toFixed(1));
    results.sync_100k_ms = Number(local.sync_100k_ms.toFixed(1));
  } catch (err) {
    failed('offline_queue', err);
  }
  log('uPlot redraw after zoom, 2,000-column M4 series, in Chromium…');
  try {
    const redraw = await uplotRedraw(quick ? 60 : 200);
    results.plot_redraw_p50_ms = Number(redraw.p50Ms.toFixed(1));
    results.plot_redraw_p99_ms = Number(redraw.p99Ms.toFixed(1));
  } catch (err) {
    failed('plot_redraw', err);
  }
  try {
    results.critical_js_kb_gz = Number(criticalJsKbGzip().toFixed(1));
  } catch (err) {
    failed('critical_js', err);
  }
}

const BUDGETS: [string, '>=' | '<=', number][] = [
  ['ingest_points_per_s', '>=', 1_000_000],
  ['single_post_per_s', '>=', 15_000],
  ['single_post_p99_ms', '<=', 10],
  ['plot_query_p99_ms', '<=', 10],
  ['ws_latency_p99_ms', '<=', 10],
  ['queue_100k_ms', '<=', 250],
  ['sync_100k_ms', '<=', 1000],
  ['critical_js_kb_gz', '<=', 150],
  ['plot_redraw_p99_ms', '<=', 16],
  ['storage_bytes_per_point', '<=', 4],
];

function printTable(): void {
  const missing = BUDGETS.filter(([key]) => typeof results[key] !== 'number').map(([key]) => key);
  const rows = [...Object.entries(results), ...missing.map((key) => [key, 'NOT MEASURED'] as const)].map(
    ([key, value]) => {
      const budget = BUDGETS.find(([k]) => k === key);
      const verdict =
        budget && typeof value === 'number'
          ? (budget[1] === '>=' ? value >= budget[2] : value <= budget[2])
            ? `ok (${budget[1]} ${budget[2].toLocaleString()})`
            : `OVER BUDGET (${budget[1]} ${budget[2].toLocaleString()})`
          : '';
      return [key, typeof value === 'number' ? value.toLocaleString() : String(value), verdict];
    },
  );
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
}

async function main(): Promise<void> {
  const started = performance.now();
  await yearServer();
  await loadServer();
  await baseline();
  await postgres();
  await clientSide();
  results.total_seconds = Math.round((performance.now() - started) / 1000);
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  printTable();
  log('written to bench/results.json');
  if (failures.length > 0) {
    log(`parts that failed: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
