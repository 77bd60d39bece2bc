/**
 * WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside the commit that
 * crosses the threshold, on our only thread: every few hundred small commits one of them copies
 * ~4 MB into the database file and every request waiting on the event loop waits 3–8 ms with it.
 * A worker with its own connection runs PASSIVE checkpoints instead, which never block the writer
 * (WAL mode lets a checkpoint copy frames while new ones are appended). Checkpoints only move
 * committed pages from the WAL into the database file, so durability is the same either way.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints. */
const INTERVAL_MS = 500;
/**
 * The main connection still checkpoints by itself when the WAL reaches this many pages (SQLite's
 * default is 1,000), so a stalled worker cannot let the WAL grow without bound.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 20_000;

// Plain JavaScript (the worker is not run through the TypeScript loader).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 1000');
const checkpoint = (id) => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (id !== undefined) parentPort.postMessage({ id, log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.type === 'checkpoint') return checkpoint(message.id);
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointResult {
  /** Frames in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (result: CheckpointResult) => void>();
  private nextId = 0;

  constructor(filename: string, intervalMs = INTERVAL_MS) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { filename, driver, intervalMs } });
    // The server must be able to exit while the worker idles between checkpoints.
    this.worker.unref();
    this.worker.on('message', (message: { id?: number; error?: string } & CheckpointResult) => {
      if (message.error !== undefined) console.error(`WAL checkpoint failed: ${message.error}`);
      if (message.id === undefined) return;
      this.waiting.get(message.id)?.(message);
      this.waiting.delete(message.id);
    });
    this.worker.on('error', (error) => console.error(`WAL checkpoint worker stopped: ${error.message}`));
  }

  /** Runs a checkpoint now (tests use this; the worker also runs them on its own). */
  checkpointNow(): Promise<CheckpointResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ type: 'checkpoint', id });
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // Unreferenced, the worker would let the process end before it has closed its connection.
    this.worker.ref();
    this.worker.postMessage({ type: 'close' });
    await exited;
  }
}
