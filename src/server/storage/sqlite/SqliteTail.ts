/**
 * The tail of the chunked layout: recent small writes, one row each in the `tail` table, until they
 * are folded into chunks. The table is append-only by row id and has no index of its own; the
 * order of each substream's rows, by time then id, is kept here in memory and rebuilt from the
 * table when the adapter opens.
 *
 * Why: an index by stream and time put the rows of a hundred streams on a hundred different index
 * pages, and every commit wrote each page it touched to the WAL. A single-datapoint insert cost
 * about 20 µs of SQLite time with it and 2 µs without (bench: 100 streams, groups of 10–30).
 *
 * The memory must match the database. It changes only after the SQL it mirrors succeeded, and the
 * adapter calls `reload` after any rollback of a transaction that wrote the tail or deleted data
 * (GroupCommit's `onRollback`, SqliteStorage's data transactions). One connection writes the file,
 * as the adapter's other caches assume.
 */
import type { Datapoint } from '../../../core/model';
import { rowToDatapoint, type SqliteHandle, type SubstreamCode } from './SqliteSeries';

/** One substream's tail rows in position order: by time, equal times by id (insertion order). */
interface TailOrder {
  ids: number[];
  ts: number[];
}

type TailRow = { id: number; t: number; d: string; o: string | null };

export class SqliteTail {
  /** By `streamId * 2 + sub`; a substream without tail rows has no entry. */
  private readonly orders = new Map<number, TailOrder>();

  constructor(private readonly h: SqliteHandle) {
    this.reload();
  }

  /** Rebuilds the order of every substream from the table (on open, and after a rollback). */
  reload(): void {
    this.orders.clear();
    const rows = this.h
      .stmt('SELECT stream_id, substream, id, t FROM tail ORDER BY id')
      .raw()
      .iterate() as IterableIterator<[number, number, number, number]>;
    for (const [streamId, sub, id, t] of rows) this.place(streamId * 2 + sub, id, t);
  }

  length(streamId: number, sub: SubstreamCode): number {
    return this.orders.get(streamId * 2 + sub)?.ids.length ?? 0;
  }

  /** The latest time in the tail, or -Infinity when it is empty. */
  lastT(streamId: number, sub: SubstreamCode): number {
    const ts = this.orders.get(streamId * 2 + sub)?.ts;
    return ts ? ts[ts.length - 1]! : -Infinity;
  }

  append(streamId: number, sub: SubstreamCode, points: readonly Datapoint[]): void {
    const insert = this.h.stmt('INSERT INTO tail (stream_id, substream, t, d, o) VALUES (?, ?, ?, ?, ?)');
    const key = streamId * 2 + sub;
    for (const p of points) {
      const { lastInsertRowid } = insert.run(streamId, sub, p.t, JSON.stringify(p.d ?? null), p.o || null);
      this.place(key, Number(lastInsertRowid), p.t);
    }
  }

  /** The points at tail positions [from, to). */
  read(streamId: number, sub: SubstreamCode, from = 0, to = Infinity): Datapoint[] {
    const order = this.orders.get(streamId * 2 + sub);
    return order ? this.fetch(order.ids.slice(from, to)) : [];
  }

  /** How many tail points are at or before `t`. */
  countAtOrBefore(streamId: number, sub: SubstreamCode, t: number): number {
    const order = this.orders.get(streamId * 2 + sub);
    return order ? upperBound(order.ts, t) : 0;
  }

  /** The points with `from <= t < before`. */
  from(streamId: number, sub: SubstreamCode, from: number, before: number): Datapoint[] {
    const order = this.orders.get(streamId * 2 + sub);
    if (!order) return [];
    return this.fetch(order.ids.slice(lowerBound(order.ts, from), lowerBound(order.ts, before)));
  }

  /** At most `limit` points with `t1 < t <= t2`, the earliest first. */
  after(streamId: number, sub: SubstreamCode, t1: number, t2: number, limit: number): Datapoint[] {
    const order = this.orders.get(streamId * 2 + sub);
    if (!order) return [];
    const start = upperBound(order.ts, t1);
    const end = Math.min(upperBound(order.ts, t2), start + limit);
    return this.fetch(order.ids.slice(start, end));
  }

  /** Removes the substream's tail and returns its points (a fold moves them into chunks). */
  take(streamId: number, sub: SubstreamCode): Datapoint[] {
    const key = streamId * 2 + sub;
    const order = this.orders.get(key);
    if (!order) return [];
    const points = this.fetch(order.ids);
    this.h.stmt('DELETE FROM tail WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(order.ids));
    this.orders.delete(key);
    return points;
  }

  /** Deletes the tail rows matched by `where` (rare: streams, devices or users deleted). */
  deleteWhere(where: string, param: number): void {
    this.h.stmt(`DELETE FROM tail WHERE ${where}`).run(param);
    this.reload();
  }

  /** Adds row `id` (larger than any before it) at its place: after every point at or before `t`. */
  private place(key: number, id: number, t: number): void {
    let order = this.orders.get(key);
    if (!order) {
      order = { ids: [], ts: [] };
      this.orders.set(key, order);
    }
    const { ids, ts } = order;
    if (ts.length === 0 || t >= ts[ts.length - 1]!) {
      ids.push(id);
      ts.push(t);
      return;
    }
    const at = upperBound(ts, t);
    ids.splice(at, 0, id);
    ts.splice(at, 0, t);
  }

  /** The rows of `ids`, in that order. */
  private fetch(ids: readonly number[]): Datapoint[] {
    if (ids.length === 0) return [];
    if (ids.length === 1) {
      const row = this.h.stmt('SELECT t, d, o FROM tail WHERE id = ?').get(ids[0]) as TailRow;
      return [rowToDatapoint(row)];
    }
    const rows = this.h
      .stmt('SELECT id, t, d, o FROM tail WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids)) as TailRow[];
    const byId = new Map<number, TailRow>();
    for (const row of rows) byId.set(row.id, row);
    return ids.map((id) => rowToDatapoint(byId.get(id)!));
  }
}

/** The first index whose value is greater than `t` (values ascending). */
function upperBound(values: readonly number[], t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose value is at least `t` (values ascending). */
function lowerBound(values: readonly number[], t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
