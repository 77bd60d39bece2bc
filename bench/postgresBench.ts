/**
 * The same ingest, plot and single-post measurements on PostgreSQL, beside SQLite's: a server
 * process with TRIBUTARY_DATABASE_URL, against `DATABASE_URL` or a throwaway embedded PostgreSQL
 * with its durable defaults (fsync and synchronous commit on). Each run uses a fresh schema.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPostgres } from '../src/server/storage/testing/throwawayPostgres';
import { YEAR_START } from './datasets';
import { ingestYear } from './ingestBench';
import { plotQueriesFromClient, windowQueryMs } from './plotBench';
import { BENCH_ADMIN, request, startBenchServer } from './serverProcess';
import { singlePostsFromClient } from './singlePostBench';

export interface PostgresBenchResult {
  /** Where PostgreSQL ran: `DATABASE_URL` or `embedded`. */
  server: string;
  ingestPointsPerSecond: number;
  plotP50Ms: number;
  plotP99Ms: number;
  /** One plot of the whole dataset (best of three), like the SQLite baseline's `month_plot_ms`. */
  fullWindowPlotMs: number;
  singlePostPerSecond: number;
  singlePostP99Ms: number;
  bytesPerPoint: number;
}

export interface PostgresBenchOptions {
  /** Fewer plot queries and a shorter single-post run. */
  quick?: boolean;
  log?: (message: string) => void;
}

export async function benchPostgres(
  points: number,
  { quick = false, log = () => undefined }: PostgresBenchOptions = {},
): Promise<PostgresBenchResult> {
  const database = await startPostgres({ durable: true });
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(database.url);
  url.searchParams.set('schema', schema);
  const admin = new pg.Client(database.url);
  try {
    await admin.connect();
    const server = await startBenchServer({ TRIBUTARY_DATABASE_URL: url.toString() });
    try {
      const user = BENCH_ADMIN.name;
      await request(server, 'POST', `crud/${user}/user/series`, { schema: '{"type":"number"}' });
      log(`postgres: ingesting ${points.toLocaleString()} points into one stream (batches of 100,000)…`);
      const ingest = await ingestYear(server, `${user}/user/series`, points, 100_000);
      log('postgres: plot queries over random windows (2,000 px)…');
      const plots = await plotQueriesFromClient(server, `${user}/user/series`, points, quick ? 100 : 300);
      const fullWindow: number[] = [];
      for (let i = 0; i < 3; i++) {
        fullWindow.push(await windowQueryMs(server, `${user}/user/series`, YEAR_START, YEAR_START + points));
      }
      log('postgres: single-datapoint POSTs from 64 connections…');
      const posts = await singlePostsFromClient(server, user, quick ? 5 : 10);
      const { rows } = await admin.query<{ bytes: string }>(
        `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname IN ('chunks', 'rollups') AND c.relkind = 'r'`,
        [schema],
      );
      return {
        server: database.embedded ? 'embedded' : 'DATABASE_URL',
        ingestPointsPerSecond: ingest.pointsPerSecond,
        plotP50Ms: plots.p50Ms,
        plotP99Ms: plots.p99Ms,
        fullWindowPlotMs: Math.min(...fullWindow),
        singlePostPerSecond: posts.requestsPerSecond,
        singlePostP99Ms: posts.p99Ms,
        bytesPerPoint: Number(rows[0]?.bytes ?? 0) / points,
      };
    } finally {
      await server.stop();
      server.remove();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await database.stop();
  }
}
