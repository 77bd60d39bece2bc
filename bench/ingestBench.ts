/** Batched HTTP ingest: the year stream, and many streams at once. */
import { Worker } from 'node:worker_threads';
import { YEAR_POINTS } from './datasets';
import { request, type BenchServer } from './serverProcess';

/**
 * Worker code that loads a TypeScript module: on Node 20, `--import tsx` in a worker's execArgv
 * does not install the loader, so the worker registers it itself.
 */
function typeScriptWorker(module: URL): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })`;
}

export interface IngestResult {
  points: number;
  seconds: number;
  pointsPerSecond: number;
}

/**
 * Inserts `points` of the year dataset into `stream` (u/d/s) in batches, in order. A worker thread
 * generates the JSON bodies a few batches ahead, so the server is never waiting for us.
 */
export async function ingestYear(
  server: BenchServer,
  stream: string,
  points = YEAR_POINTS,
  batchSize = 100_000,
  onProgress?: (done: number) => void,
): Promise<IngestResult> {
  const worker = new Worker(typeScriptWorker(new URL('./yearBatchWorker.ts', import.meta.url)), {
    eval: true,
    workerData: { points, batchSize },
  });
  // The worker answers in order, one body per request.
  const ready: Promise<ArrayBuffer | null>[] = [];
  const waiting: ((body: ArrayBuffer | null) => void)[] = [];
  worker.on('message', (body: ArrayBuffer | null) => waiting.shift()!(body));
  const requestBody = () => {
    ready.push(new Promise((resolve) => waiting.push(resolve)));
    worker.postMessage('next');
  };
  try {
    for (let i = 0; i < 3; i++) requestBody();
    // Let the worker fill its queue before the clock starts.
    await ready[0];
    const started = performance.now();
    for (let done = 0; ;) {
      const body = await ready.shift()!;
      if (body === null) break;
      requestBody();
      await request(server, 'POST', `crud/${stream}/data`, Buffer.from(body));
      done = Math.min(done + batchSize, points);
      onProgress?.(done);
    }
    const seconds = (performance.now() - started) / 1000;
    return { points, seconds, pointsPerSecond: points / seconds };
  } finally {
    await worker.terminate();
  }
}

/** `streams` streams of one device, each receiving `perStream` points in one request, `concurrency` at a time. */
export async function ingestManyStreams(
  server: BenchServer,
  user: string,
  streams = 1000,
  perStream = 5000,
  concurrency = 4,
): Promise<IngestResult> {
  const definitions: Record<string, { schema: string }> = {};
  for (let i = 0; i < streams; i++) definitions[`s${i}`] = { schema: '{"type":"number"}' };
  await request(server, 'POST', `crud/${user}/many`, { streams: definitions });
  // The device's own key: only a stream's owner writes its data.
  const device = (await (await request(server, 'GET', `crud/${user}/many`)).json()) as { apikey: string };
  const deviceServer = { ...server, auth: `Basic ${Buffer.from(`:${device.apikey}`).toString('base64')}` };
  const body = (i: number) => {
    const parts = new Array<string>(perStream);
    for (let k = 0; k < perStream; k++) parts[k] = `{"t":${1_600_000_000 + k},"d":${(i * 31 + k) % 1000}}`;
    return `[${parts.join(',')}]`;
  };
  let nextStream = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextStream < streams) {
        const i = nextStream++;
        await request(deviceServer, 'POST', `crud/${user}/many/s${i}/data`, body(i));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { points: streams * perStream, seconds, pointsPerSecond: (streams * perStream) / seconds };
}
