/**
 * Group commit for PostgreSQL: writes that queue up while the database is busy share one
 * transaction, so a hundred clients posting one datapoint each pay for a few round trips and one
 * commit, not a hundred. A write's promise settles only after its group commits.
 *
 * Several groups run at once on different connections, but never two groups holding writes to
 * the same substream (`key`): writes to one substream run one after another in the order they
 * were submitted, as with SQLite. Across servers, the row lock each write takes keeps the
 * substream consistent; this only keeps one server's own order.
 *
 * A group that fails before its commit changed nothing, so each of its writes runs again alone
 * (one bad write cannot fail its neighbours; deadlocks and serialization failures are retried).
 * A failure *during* the commit leaves the outcome unknown: those writes are rejected, never
 * re-run, so an acknowledged write is never doubled.
 */
import { isRetryable } from './pgConnection';

/** Thrown by a group runner when COMMIT itself failed: the group may or may not have committed. */
export class CommitOutcomeUnknown extends Error {
  override name = 'CommitOutcomeUnknown';
}

export interface GroupedWrite {
  /** Writes with the same key keep their order and never run in two groups at once. */
  readonly key: string;
}

interface Pending<W, R> {
  write: W;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export interface PgGroupCommitOptions {
  /** Groups in flight at once (each holds a pooled connection). */
  maxGroups: number;
  /** Writes per group. */
  maxGroupSize: number;
}

const RETRIES = 5;

export class PgGroupCommit<W extends GroupedWrite, R> {
  private queue: Pending<W, R>[] = [];
  private readonly busyKeys = new Set<string>();
  private running = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  /** `runGroup` runs the writes in order in one transaction and returns their results, or throws. */
  constructor(
    private readonly runGroup: (writes: readonly W[]) => Promise<R[]>,
    private readonly options: PgGroupCommitOptions = { maxGroups: 4, maxGroupSize: 256 },
  ) {}

  submit(write: W): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      // Wait a turn of the event loop so that writes arriving together share a group.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves once every submitted write has settled. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.running < this.options.maxGroups && this.queue.length > 0) {
      const group: Pending<W, R>[] = [];
      const waiting: Pending<W, R>[] = [];
      // Once a write of a key waits, every later write of that key waits too (order per key).
      const held = new Set(this.busyKeys);
      for (const pending of this.queue) {
        if (group.length < this.options.maxGroupSize && !held.has(pending.write.key)) group.push(pending);
        else {
          waiting.push(pending);
          held.add(pending.write.key);
        }
      }
      if (group.length === 0) break;
      this.queue = waiting;
      this.running++;
      const keys = new Set(group.map((p) => p.write.key));
      for (const key of keys) this.busyKeys.add(key);
      void this.run(group).finally(() => {
        for (const key of keys) this.busyKeys.delete(key);
        this.running--;
        this.pump();
        if (this.queue.length === 0 && this.running === 0 && !this.scheduled) {
          for (const resolve of this.idle.splice(0)) resolve();
        }
      });
    }
  }

  private async run(group: Pending<W, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.runGroup(group.map((p) => p.write));
    } catch (err) {
      if (err instanceof CommitOutcomeUnknown) {
        for (const pending of group) pending.reject(err);
        return;
      }
      for (const pending of group) await this.runAlone(pending);
      return;
    }
    group.forEach((pending, i) => pending.resolve(results[i]!));
  }

  private async runAlone(pending: Pending<W, R>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        pending.resolve((await this.runGroup([pending.write]))[0]!);
        return;
      } catch (err) {
        if (!isRetryable(err) || attempt >= RETRIES) {
          pending.reject(err);
          return;
        }
      }
    }
  }
}
