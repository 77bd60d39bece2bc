/**
 * Pure arithmetic on a stream's cached time windows: half-open `(t1, t2]` intervals in seconds,
 * as the API reads them, kept sorted and never overlapping so that each point has one owner and
 * one age (`fetchedAt`).
 */
import type { Datapoint } from '../../core/model';
import type { CachedWindow } from './localDb';

/** What the windows know about `(t1, t2]`. */
export interface WindowRead {
  /** The cached points with `t1 < t <= t2`, sorted by time. */
  points: Datapoint[];
  /** The oldest fetch among the windows that contributed (ms): how old the answer may be. */
  fetchedAt: number;
  /** Whether the windows cover all of `(t1, t2]`; false means points may be missing. */
  isComplete: boolean;
}

/** Replaces whatever the windows held in `(w.t1, w.t2]` with `w` (the newer fetch wins). */
export function insertWindow(windows: readonly CachedWindow[], w: CachedWindow): CachedWindow[] {
  const out: CachedWindow[] = [];
  for (const old of windows) {
    if (old.t2 <= w.t1 || old.t1 >= w.t2) {
      out.push(old);
      continue;
    }
    if (old.t1 < w.t1) {
      out.push({ ...old, t2: w.t1, points: old.points.filter((p) => p.t <= w.t1) });
    }
    if (old.t2 > w.t2) {
      out.push({ ...old, t1: w.t2, points: old.points.filter((p) => p.t > w.t2) });
    }
  }
  out.push(w);
  return out.sort((a, b) => a.t1 - b.t1);
}

/** Reads `(t1, t2]`; undefined when no window touches it. */
export function readWindows(
  windows: readonly CachedWindow[],
  t1: number,
  t2: number,
): WindowRead | undefined {
  let coveredTo = t1;
  let isComplete = true;
  let fetchedAt = Infinity;
  const points: Datapoint[] = [];
  for (const w of windows) {
    if (w.t2 <= t1 || w.t1 >= t2) continue;
    if (w.t1 > coveredTo) isComplete = false;
    coveredTo = Math.max(coveredTo, w.t2);
    fetchedAt = Math.min(fetchedAt, w.fetchedAt);
    for (const p of w.points) if (p.t > t1 && p.t <= t2) points.push(p);
  }
  if (fetchedAt === Infinity) return undefined;
  return { points, fetchedAt, isComplete: isComplete && coveredTo >= t2 };
}

/**
 * Adds points the server confirmed (saved from the outbox) to the windows that cover their time,
 * after any equal timestamps; points outside every window are not cached. Returns whether any
 * window changed; the windows are changed in place.
 */
export function addPointsToWindows(windows: CachedWindow[], points: readonly Datapoint[]): boolean {
  let changed = false;
  for (const point of points) {
    const w = windows.find((x) => point.t > x.t1 && point.t <= x.t2);
    if (!w) continue;
    w.points.splice(upperBound(w.points, point.t), 0, { t: point.t, d: point.d });
    changed = true;
  }
  return changed;
}

/**
 * Bounds the cache of one stream: drops the least recently fetched windows (never `keep`) until
 * at most `maxWindows` remain holding at most `maxPoints`; if `keep` alone is still too large,
 * its oldest points go (recent data is what a person looks at).
 */
export function capWindows(
  windows: readonly CachedWindow[],
  keep: CachedWindow | undefined,
  maxPoints: number,
  maxWindows: number,
): CachedWindow[] {
  const out = windows.slice();
  let total = out.reduce((sum, w) => sum + w.points.length, 0);
  while (out.length > 1 && (total > maxPoints || out.length > maxWindows)) {
    let oldest = -1;
    for (let i = 0; i < out.length; i++) {
      if (out[i] === keep) continue;
      if (oldest < 0 || out[i]!.fetchedAt < out[oldest]!.fetchedAt) oldest = i;
    }
    if (oldest < 0) break;
    total -= out[oldest]!.points.length;
    out.splice(oldest, 1);
  }
  if (total > maxPoints && out.length === 1) {
    const only = out[0]!;
    // Cut at a time boundary so that the window's range still holds exactly its points.
    const cutT = only.points[only.points.length - maxPoints - 1]!.t;
    out[0] = { ...only, t1: cutT, points: only.points.filter((p) => p.t > cutT) };
  }
  return out;
}

/** The largest double below `x`: `(nextDown(t), …]` is the half-open range that includes `t`. */
export function nextDown(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] = x > 0 ? bits[0]! - 1n : bits[0]! + 1n;
  return new Float64Array(bits.buffer)[0]!;
}

/** The index after the last point with `t <= time` (points sorted by time). */
function upperBound(points: readonly Datapoint[], time: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.t <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
