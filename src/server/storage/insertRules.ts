/**
 * The ordering rules of an insert, shared by every adapter so that they cannot drift apart.
 * (ConnectorDB enforced these in a Redis Lua script; see connectordb-v1.md §2.5 and §6.)
 */
import type { Datapoint } from '../../core/model';
import type { InsertMode } from './Storage';

export type InsertPlan = { ok: true; points: Datapoint[] } | { ok: false; reason: 'older' | 'unordered' };

/**
 * ConnectorDB's Redis script restamped to `last + 0.00001` when the last timestamp was a whole
 * number (a workaround for Lua's msgpack turning whole floats into integers); we keep the result.
 */
export const RESTAMP_STEP_SECONDS = 0.00001;

/** The timestamp that restamped points get after a stream's last timestamp `lastT`. */
export function restampTime(lastT: number): number {
  return Number.isInteger(lastT) ? lastT + RESTAMP_STEP_SECONDS : lastT;
}

/**
 * Applies `mode` to a batch given the stream's last stored timestamp (undefined when empty).
 * `append` and `restamp` need a non-decreasing batch; `append` refuses a batch that starts before
 * the last timestamp (equal is allowed); `restamp` rewrites every leading point with `t <= lastT`
 * to `restampTime(lastT)` (and any point after them still below that, so the batch stays
 * non-decreasing); `insert` accepts any order and sorts the batch by time, keeping arrival order
 * for equal timestamps.
 */
export function planInsert(
  points: readonly Datapoint[],
  lastT: number | undefined,
  mode: InsertMode,
): InsertPlan {
  if (mode === 'insert') {
    const sorted = isSorted(points) ? points.slice() : stableSortByTime(points);
    return { ok: true, points: sorted };
  }
  if (!isSorted(points)) return { ok: false, reason: 'unordered' };
  const first = points[0];
  if (first === undefined || lastT === undefined) return { ok: true, points: points.slice() };
  if (mode === 'append') {
    return first.t >= lastT ? { ok: true, points: points.slice() } : { ok: false, reason: 'older' };
  }
  if (first.t > lastT) return { ok: true, points: points.slice() };
  const restampT = restampTime(lastT);
  // The batch is sorted, so only a leading run is below restampT: t' = max(t, restampT).
  return { ok: true, points: points.map((p) => (p.t < restampT ? { ...p, t: restampT } : p)) };
}

function isSorted(points: readonly Datapoint[]): boolean {
  for (let i = 1; i < points.length; i++) if (points[i]!.t < points[i - 1]!.t) return false;
  return true;
}

function stableSortByTime(points: readonly Datapoint[]): Datapoint[] {
  // Array.prototype.sort is stable since ES2019, so equal timestamps keep arrival order.
  return points.slice().sort((a, b) => a.t - b.t);
}
