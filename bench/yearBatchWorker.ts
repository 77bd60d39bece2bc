/**
 * Generates the year stream's batch bodies on a worker thread, a few ahead of the sender, so the
 * benchmark measures the server's ingest rather than the client's JSON generation.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { yearBatch } from './datasets';

const { points, batchSize } = workerData as { points: number; batchSize: number };
let nextFrom = 0;

parentPort!.on('message', () => {
  if (nextFrom >= points) return parentPort!.postMessage(null);
  const body = yearBatch(nextFrom, Math.min(nextFrom + batchSize, points));
  nextFrom += batchSize;
  const bytes = (body.buffer as ArrayBuffer).slice(body.byteOffset, body.byteOffset + body.byteLength);
  parentPort!.postMessage(bytes, [bytes]);
});
