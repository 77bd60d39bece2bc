/**
 * Points still in the outbox, shown among the server's: the table marks them, the plot can too
 * (`outboxState` on a `DisplayPoint`), and the last value of a stream may be one of them.
 */
import type { Datapoint } from '../../core/model';
import type { DisplayPoint, OutboxState, PendingPoint } from '../local-first';
import { overlayPending } from '../local-first/overlayPending';
import type { DataWindow } from './dataSlice';

/** A point that is not on the server yet: `queued`/`sending` (pending) or `rejected`. */
export function isPendingPoint(point: Datapoint): point is DisplayPoint & { outboxState: OutboxState } {
  return (point as DisplayPoint).outboxState !== undefined;
}

/**
 * The server's points of a window with the outbox's points of that window merged in by time and
 * marked (`outboxState`); a queued point the server already sent back is shown once, unmarked.
 */
export function withPendingPoints(
  points: readonly Datapoint[],
  pending: readonly PendingPoint[] | undefined,
  window: DataWindow | undefined,
): DisplayPoint[] {
  if (!pending || pending.length === 0) return points as DisplayPoint[];
  const t1 = window?.t1 ?? -Infinity;
  const t2 = window?.t2 ?? Infinity;
  return overlayPending(
    points,
    pending.filter((p) => p.t > t1 && p.t <= t2),
  );
}
