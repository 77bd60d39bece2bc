import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from './GroupCommit';

function database() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (x INTEGER UNIQUE)');
  return db;
}

describe('GroupCommit', () => {
  it('commits the writes of one event-loop turn in one transaction', async () => {
    const db = database();
    const commits = new GroupCommit(db);
    let transactions = 0;
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    const write = (x: number) =>
      commits.submit(() => {
        if (!db.inTransaction) throw new Error('outside a transaction');
        transactions += x === 0 ? 1 : 0;
        return insert.run(x).changes;
      });
    const results = await Promise.all([0, 1, 2, 3].map(write));
    expect(results).toEqual([1, 1, 1, 1]);
    expect(transactions).toBe(1);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 4 });
  });

  it('resolves only after the group is committed', async () => {
    const db = database();
    const commits = new GroupCommit(db);
    const done = commits.submit(() => db.prepare('INSERT INTO t (x) VALUES (1)').run());
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    await done;
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
  });

  it('fails only the write that throws; its neighbours are stored', async () => {
    const db = database();
    const commits = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    const outcomes = await Promise.allSettled([
      commits.submit(() => insert.run(1)),
      commits.submit(() => insert.run(1)), // violates UNIQUE
      commits.submit(() => insert.run(2)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT x FROM t ORDER BY x').all()).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('reports every rollback, so caches of rolled-back rows can be dropped', async () => {
    const db = database();
    let rollbacks = 0;
    const commits = new GroupCommit(db, () => rollbacks++);
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    await commits.submit(() => insert.run(1));
    expect(rollbacks).toBe(0);
    await Promise.allSettled([commits.submit(() => insert.run(1)), commits.submit(() => insert.run(2))]);
    // The group rolled back once, then the write that throws rolled back alone.
    expect(rollbacks).toBe(2);
  });

  it('drains pending writes', async () => {
    const db = database();
    const commits = new GroupCommit(db);
    void commits.submit(() => db.prepare('INSERT INTO t (x) VALUES (5)').run());
    await commits.drain();
    expect(db.prepare('SELECT x FROM t').all()).toEqual([{ x: 5 }]);
  });
});
