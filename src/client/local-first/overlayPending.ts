/** Shows outbox points among the server's points, marked, for the plot and the table. */
import type { Datapoint } from '../../core/model';
import type { OutboxState } from './localDb';
import type { PendingPoint } from './outbox';

/** A point to display: from the server (`outboxState` absent) or still in the outbox. */
export interface DisplayPoint extends Datapoint {
  /** `queued`/`sending`: pending, show it marked as such; `rejected`: refused by the server. */
  outboxState?: OutboxState;
}

/**
 * Merges outbox points into server points by time (server points first at equal times). A pending
 * point that the server data already holds (same `t` and `d`: it was saved and arrived over the
 * websocket before the outbox let go of it) is shown once, unmarked.
 */
export function overlayPending(
  points: readonly Datapoint[],
  pending: readonly PendingPoint[],
): DisplayPoint[] {
  if (pending.length === 0) return points.slice();
  const pendingTimes = new Set(pending.map((p) => p.t));
  const known = new Set<string>();
  for (const p of points) if (pendingTimes.has(p.t)) known.add(identity(p.t, p.d));

  const extra: DisplayPoint[] = [];
  for (const p of pending) {
    if (!known.has(identity(p.t, p.d))) extra.push({ t: p.t, d: p.d, outboxState: p.state });
  }
  extra.sort((a, b) => a.t - b.t);

  const out: DisplayPoint[] = [];
  let i = 0;
  for (const p of extra) {
    while (i < points.length && points[i]!.t <= p.t) out.push(points[i++]!);
    out.push(p);
  }
  while (i < points.length) out.push(points[i++]!);
  return out;
}

function identity(t: number, d: unknown): string {
  return `${t}\u0000${JSON.stringify(d)}`;
}
