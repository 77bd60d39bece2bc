/**
 * Group commit: writes that arrive in the same turn of the event loop share one transaction, so a
 * hundred clients posting one datapoint each pay for one commit, not a hundred. A write's promise
 * settles only after the commit, so an acknowledged write is on disk.
 *
 * Writes check their own rules before touching the database and return refusals as values, so a
 * write that throws is an unexpected failure (a full disk, a bug): then the group is rolled back
 * and each of its writes runs again alone, so one bad write cannot fail its neighbours.
 */
import type Database from 'better-sqlite3';

interface Pending<T> {
  run: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Pending<unknown>[] = [];
  private scheduled: Promise<void> | undefined;

  /**
   * `onRollback` runs after any rollback: what was cached from inside the rolled-back transaction
   * (row ids, versions) may be given to other rows later.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly onRollback: () => void = () => {},
  ) {}

  /** Runs `write` (synchronously, inside a transaction) in the next group; resolves after commit. */
  submit<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: write, resolve, reject } as Pending<unknown>);
      this.scheduled ??= new Promise<void>((done) =>
        setImmediate(() => {
          this.flush();
          done();
        }),
      );
    });
  }

  /** Waits until every submitted write has committed. */
  async drain(): Promise<void> {
    while (this.scheduled) await this.scheduled;
  }

  private flush(): void {
    const group = this.queue;
    this.queue = [];
    this.scheduled = undefined;
    let values: unknown[];
    try {
      values = this.db.transaction(() => group.map((write) => write.run()))();
    } catch {
      this.onRollback();
      for (const write of group) {
        try {
          write.resolve(this.db.transaction(write.run)());
        } catch (error) {
          this.onRollback();
          write.reject(error);
        }
      }
      return;
    }
    group.forEach((write, i) => write.resolve(values[i]));
  }
}
