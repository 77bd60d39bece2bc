/**
 * The simulator's outgoing reports: written one at a time in order (the last command must also be
 * the last acknowledgement), each retried with backoff while the server is away, with one
 * idempotency key per report so a retry after a lost response never writes it twice.
 */
import { ApiError, createIdempotencyKey, NetworkError, type DatapointInput } from '../sdk';

/** What became of a report. */
export type WriteOutcome =
  | { kind: 'stored' }
  /** The server refused it for good (schema, permission): retrying would not help. */
  | { kind: 'refused'; error: unknown }
  /** Dropped unsent: the writer stopped or its queue overflowed. */
  | { kind: 'dropped' };

/** Options of a {@link ReportWriter}. */
export interface ReportWriterOptions {
  /** Writes one datapoint; rejects with the sdk's `ApiError` or `NetworkError`. */
  insert: (path: string, point: DatapointInput, idempotencyKey: string) => Promise<void>;
  /** Hears each failed attempt that will be retried, and the delay before the retry. */
  onRetry?: (path: string, error: unknown, delayMs: number) => void;
  /** First retry delay; doubles per failure up to `maxDelayMs`. Default 500 ms. */
  initialDelayMs?: number;
  /** Default 10 s: a restarted server hears from the device within seconds. */
  maxDelayMs?: number;
  /** Reports waiting beyond this drop the oldest; default 1,000. */
  maxQueued?: number;
}

interface Pending {
  path: string;
  point: DatapointInput;
  key: string;
  resolve: (outcome: WriteOutcome) => void;
}

/** Serial, retrying writer of reports. */
export class ReportWriter {
  private readonly options: Required<Omit<ReportWriterOptions, 'onRetry'>> &
    Pick<ReportWriterOptions, 'onRetry'>;
  private readonly queue: Pending[] = [];
  private isRunning = false;
  private isStopped = false;
  private wakeUp: (() => void) | undefined;
  private idle: Promise<void> = Promise.resolve();

  constructor(options: ReportWriterOptions) {
    this.options = { initialDelayMs: 500, maxDelayMs: 10_000, maxQueued: 1_000, ...options };
  }

  /** Number of reports not yet written. */
  get pendingCount(): number {
    return this.queue.length;
  }

  /** Queues a report; resolves once it is stored, refused or dropped (never rejects). */
  write(path: string, point: DatapointInput): Promise<WriteOutcome> {
    if (this.isStopped) return Promise.resolve({ kind: 'dropped' });
    return new Promise((resolve) => {
      this.queue.push({ path, point, key: createIdempotencyKey(), resolve });
      if (this.queue.length > this.options.maxQueued) {
        // The head may be in flight: drop the oldest one that is only waiting.
        this.queue.splice(this.isRunning ? 1 : 0, 1)[0]?.resolve({ kind: 'dropped' });
      }
      if (!this.isRunning) this.idle = this.drain();
    });
  }

  /** Waits until the queue is empty, or `timeoutMs` passed. */
  async flush(timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Stops retrying; every report not yet written resolves as dropped. */
  stop(): void {
    this.isStopped = true;
    for (const pending of this.queue.splice(0)) pending.resolve({ kind: 'dropped' });
    this.wakeUp?.();
  }

  private async drain(): Promise<void> {
    this.isRunning = true;
    let failures = 0;
    while (!this.isStopped) {
      const pending = this.queue[0];
      if (!pending) break;
      try {
        await this.options.insert(pending.path, pending.point, pending.key);
        failures = 0;
        this.settle(pending, { kind: 'stored' });
      } catch (error) {
        if (!isRetryable(error)) {
          this.settle(pending, { kind: 'refused', error });
          continue;
        }
        const delayMs = Math.min(this.options.initialDelayMs * 2 ** failures++, this.options.maxDelayMs);
        this.options.onRetry?.(pending.path, error, delayMs);
        await this.sleep(delayMs);
      }
    }
    this.isRunning = false;
  }

  /** Resolves the head of the queue, unless stop() or an overflow already took it out. */
  private settle(pending: Pending, outcome: WriteOutcome): void {
    if (this.queue[0] === pending) this.queue.shift();
    pending.resolve(outcome);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

/** Network failures and 5xx/408/429 may pass later; any other rejection will be repeated. */
function isRetryable(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && error.isRetryable);
}
