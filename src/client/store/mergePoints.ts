import type { Datapoint } from '../../core/model';

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

/**
 * Adds `incoming` to `existing` (ascending in `t`) and returns a new ascending array. A point equal
 * in `t` and `d` to one already there is skipped: a value the person just saved comes back over the
 * websocket, and must not be drawn twice. Equal times with different values are kept, later last.
 */
export function mergePoints(existing: readonly Datapoint[], incoming: readonly Datapoint[]): Datapoint[] {
  if (incoming.length === 0) return existing as Datapoint[];
  const out = existing.slice();
  for (const point of [...incoming].sort((a, b) => a.t - b.t)) {
    // Live data nearly always lands at the end: search backwards from there.
    let i = out.length;
    while (i > 0 && out[i - 1]!.t > point.t) i--;
    let isDuplicate = false;
    for (let j = i - 1; j >= 0 && out[j]!.t === point.t; j--) {
      if (sameValue(out[j]!.d, point.d)) {
        isDuplicate = true;
        break;
      }
    }
    if (!isDuplicate) out.splice(i, 0, point);
  }
  return out;
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
