import type { Datapoint } from '../../core/model';

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

/**
 * Adds `incoming` to `existing` (ascending in `t`) and returns a new ascending array. A point equal
 * in `t` and `d` to one already there is skipped: a value the person just saved comes back over the
 * websocket, and must not be drawn twice. Equal times with different values are kept, later last.
 * One pass over both (a window switch merges two reads of 100,000s of points each).
 */
export function mergePoints(existing: readonly Datapoint[], incoming: readonly Datapoint[]): Datapoint[] {
  if (incoming.length === 0) return existing as Datapoint[];
  const sorted = isAscending(incoming) ? incoming : [...incoming].sort((a, b) => a.t - b.t);
  const out: Datapoint[] = [];
  let i = 0;
  for (const point of sorted) {
    while (i < existing.length && existing[i]!.t <= point.t) out.push(existing[i++]!);
    if (!hasEqualAtEnd(out, point)) out.push(point);
  }
  while (i < existing.length) out.push(existing[i++]!);
  return out;
}

function isAscending(points: readonly Datapoint[]): boolean {
  for (let i = 1; i < points.length; i++) if (points[i]!.t < points[i - 1]!.t) return false;
  return true;
}

/** Whether the run of points at `point.t` that ends `out` holds one with the same value. */
function hasEqualAtEnd(out: readonly Datapoint[], point: Datapoint): boolean {
  for (let j = out.length - 1; j >= 0 && out[j]!.t === point.t; j--) {
    if (sameValue(out[j]!.d, point.d)) return true;
  }
  return false;
}

/** The later of two datapoints (by `t`; on a tie the second, which arrived later). */
export function laterPoint(
  a: Datapoint | null | undefined,
  b: Datapoint | null | undefined,
): Datapoint | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return b.t >= a.t ? b : a;
}
