/**
 * The tail of the chunked layout: recent small writes, one row each in the `tail` table, until they
 * are folded into chunks. The table is append-only by row id and has no index of its own; each
 * substream's rows, in order by time then id, are kept here in memory (values as the JSON the
 * table holds) and loaded from the table when the adapter opens. Reads of the tail and folds do
 * not query it: fetching a full tail's rows, spread over the table's pages among other streams'
 * rows, was half the cost of a fold. Memory is bounded by TAIL_MAX_POINTS rows, and about
 * TAIL_MAX_BYTES of values, per substream.
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
import { TAIL_FOLD_BYTES, TAIL_FOLD_POINTS, TAIL_MAX_BYTES, TAIL_MAX_POINTS } from '../series/chunking';
import { rowToDatapoint, type SqliteHandle, type SubstreamCode } from './SqliteSeries';

/** One substream's tail rows in position order (by time, equal times by id: insertion order), as columns. */
interface TailRows {
  ts: number[];
  /** Each row's `d` as stored: JSON text. */
  ds: string[];
  os: (string | null)[];
  /** The length of the `ds` and `os` together (characters: about bytes). */
  bytes: number;
  /** The smallest and largest ids (rows arrive in id order). */
  oldestId: number;
  newestId: number;
}

export class SqliteTail {
  /** By `streamId * 2 + sub`; a substream without tail rows has no entry. */
  private readonly bySubstream = new Map<number, TailRows>();
  /** The keys of the tails to fold (full, or stale: see `collect`), the longest-waiting first. */
  private readonly due = new Set<number>();
  /** The largest id the table has held; every row below `collectedBelow` is deleted. */
  private newestId = 0;
  private collectedBelow = 0;
  /** How many rows the tails hold, all substreams together. */
  private liveRows = 0;

  constructor(private readonly h: SqliteHandle) {
    this.reload();
  }

  /** Loads every substream's rows that are not folded from the table (on open, and after a rollback). */
  reload(): void {
    this.bySubstream.clear();
    this.due.clear();
    this.liveRows = 0;
    const folded = new Map<number, number>();
    const marks = this.h
      .stmt('SELECT stream_id, substream, through_id FROM tail_folded')
      .raw()
      .iterate() as IterableIterator<[number, number, number]>;
    for (const [streamId, sub, throughId] of marks) folded.set(streamId * 2 + sub, throughId);
    const rows = this.h
      .stmt('SELECT stream_id, substream, id, t, d, o FROM tail ORDER BY id')
      .raw()
      .iterate() as IterableIterator<[number, number, number, number, string, string | null]>;
    this.newestId = 0;
    this.collectedBelow = 0;
    for (const [streamId, sub, id, t, d, o] of rows) {
      const key = streamId * 2 + sub;
      if (this.newestId === 0) this.collectedBelow = id;
      this.newestId = id;
      if (id > (folded.get(key) ?? 0)) this.place(key, id, t, d, o);
    }
  }

  length(streamId: number, sub: SubstreamCode): number {
    return this.bySubstream.get(streamId * 2 + sub)?.ts.length ?? 0;
  }

  /**
   * Whether `count` more points may join the tail. Past TAIL_MAX_POINTS (or TAIL_MAX_BYTES) the
   * folds have fallen behind the writes, and the write folds the tail itself.
   */
  hasRoomFor(streamId: number, sub: SubstreamCode, count: number): boolean {
    const rows = this.bySubstream.get(streamId * 2 + sub);
    return (rows?.ts.length ?? 0) + count < TAIL_MAX_POINTS && (rows?.bytes ?? 0) < TAIL_MAX_BYTES;
  }

  /** The latest time in the tail, or -Infinity when it is empty. */
  lastT(streamId: number, sub: SubstreamCode): number {
    const ts = this.bySubstream.get(streamId * 2 + sub)?.ts;
    return ts ? ts[ts.length - 1]! : -Infinity;
  }

  append(streamId: number, sub: SubstreamCode, points: readonly Datapoint[]): void {
    const insert = this.h.stmt('INSERT INTO tail (stream_id, substream, t, d, o) VALUES (?, ?, ?, ?, ?)');
    const key = streamId * 2 + sub;
    for (const p of points) {
      const d = JSON.stringify(p.d ?? null);
      const o = p.o || null;
      const id = Number(insert.run(streamId, sub, p.t, d, o).lastInsertRowid);
      this.newestId = id;
      this.place(key, id, p.t, d, o);
    }
  }

  /** A substream whose tail is to be folded, if any. */
  nextDue(): { streamId: number; sub: SubstreamCode } | undefined {
    for (const key of this.due) return { streamId: Math.floor(key / 2), sub: (key % 2) as SubstreamCode };
    return undefined;
  }

  /** The points at tail positions [from, to). */
  read(streamId: number, sub: SubstreamCode, from = 0, to = Infinity): Datapoint[] {
    const rows = this.bySubstream.get(streamId * 2 + sub);
    return rows ? points(rows, from, Math.min(to, rows.ts.length)) : [];
  }

  /** How many tail points are at or before `t`. */
  countAtOrBefore(streamId: number, sub: SubstreamCode, t: number): number {
    const rows = this.bySubstream.get(streamId * 2 + sub);
    return rows ? upperBound(rows.ts, t) : 0;
  }

  /** The points with `from <= t < before`. */
  from(streamId: number, sub: SubstreamCode, from: number, before: number): Datapoint[] {
    const rows = this.bySubstream.get(streamId * 2 + sub);
    if (!rows) return [];
    return points(rows, lowerBound(rows.ts, from), lowerBound(rows.ts, before));
  }

  /** At most `limit` points with `t1 < t <= t2`, the earliest first. */
  after(streamId: number, sub: SubstreamCode, t1: number, t2: number, limit: number): Datapoint[] {
    const rows = this.bySubstream.get(streamId * 2 + sub);
    if (!rows) return [];
    const start = upperBound(rows.ts, t1);
    return points(rows, start, Math.min(upperBound(rows.ts, t2), start + limit));
  }

  /**
   * Empties the substream's tail and returns its points, for a fold to move into chunks. Its rows
   * are marked folded and left in the table: deleting them one by one wrote a page for nearly
   * every row (other streams' rows lie between them), half the cost of a fold.
   */
  take(streamId: number, sub: SubstreamCode): Datapoint[] {
    const key = streamId * 2 + sub;
    const rows = this.bySubstream.get(key);
    if (!rows) return [];
    this.h
      .stmt(
        `INSERT INTO tail_folded (stream_id, substream, through_id) VALUES (?, ?, ?)
         ON CONFLICT (stream_id, substream) DO UPDATE SET through_id = excluded.through_id`,
      )
      .run(streamId, sub, rows.newestId);
    this.bySubstream.delete(key);
    this.due.delete(key);
    this.liveRows -= rows.ts.length;
    this.collect();
    return points(rows, 0, rows.ts.length);
  }

  /**
   * Deletes the folded rows that come before every row still in a tail: a prefix of the table,
   * which frees whole pages. A tail left behind (a stream written rarely) holds the prefix back, so
   * the oldest tail is due for folding, however short, once the rows behind it outnumber the live
   * rows four to one (plus four folds' worth). Streams written in step stay well under that (their
   * oldest tail is about as many rows behind as all tails hold) and are folded only when full.
   */
  private collect(): void {
    let oldestKey: number | undefined;
    let oldestId = this.newestId + 1;
    for (const [key, rows] of this.bySubstream) {
      if (rows.oldestId < oldestId) {
        oldestId = rows.oldestId;
        oldestKey = key;
      }
    }
    // A few folds' worth at a time: rows folded in step (streams written at one pace) are freed
    // together, and deleting a hundred thousand at once held up a commit for ~17 ms.
    const below = Math.min(oldestId, this.collectedBelow + 4 * TAIL_FOLD_POINTS);
    if (below > this.collectedBelow) {
      this.h.stmt('DELETE FROM tail WHERE id < ?').run(below);
      this.collectedBelow = below;
    }
    const stale = this.newestId - oldestId >= 4 * (this.liveRows + TAIL_FOLD_POINTS);
    if (oldestKey !== undefined && stale) this.due.add(oldestKey);
  }

  /** Deletes the tails matched by `where` (rare: streams, devices or users deleted). */
  deleteWhere(where: string, param: number): void {
    this.h.stmt(`DELETE FROM tail WHERE ${where}`).run(param);
    this.h.stmt(`DELETE FROM tail_folded WHERE ${where}`).run(param);
    this.reload();
  }

  /** Adds row `id` (larger than any before it) at its place: after every point at or before `t`. */
  private place(key: number, id: number, t: number, d: string, o: string | null): void {
    let rows = this.bySubstream.get(key);
    if (!rows) {
      rows = { ts: [], ds: [], os: [], bytes: 0, oldestId: id, newestId: id };
      this.bySubstream.set(key, rows);
    }
    rows.newestId = id;
    this.liveRows++;
    rows.bytes += d.length + (o?.length ?? 0);
    const { ts, ds, os } = rows;
    if (ts.length === 0 || t >= ts[ts.length - 1]!) {
      ts.push(t);
      ds.push(d);
      os.push(o);
    } else {
      const at = upperBound(ts, t);
      ts.splice(at, 0, t);
      ds.splice(at, 0, d);
      os.splice(at, 0, o);
    }
    if (ts.length >= TAIL_FOLD_POINTS || rows.bytes >= TAIL_FOLD_BYTES) this.due.add(key);
  }
}

/** The points at positions [from, to) of a substream's rows, new objects as a read from SQLite gives. */
function points(rows: TailRows, from: number, to: number): Datapoint[] {
  const out: Datapoint[] = [];
  for (let i = from; i < to; i++)
    out.push(rowToDatapoint({ t: rows.ts[i]!, d: rows.ds[i]!, o: rows.os[i]! }));
  return out;
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
