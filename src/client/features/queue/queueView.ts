/**
 * What the queue view shows of each outbox record, and which actions it offers — the same rules
 * the outbox applies (`Outbox.retry` / `Outbox.discard`), so a button never promises what the
 * outbox would refuse.
 */
import type { Stream } from '../../../core/model';
import { describeRefusal, type OutboxRecord } from '../../store';

/** Points of one record listed before "and N more". */
export const MAX_SHOWN_POINTS = 50;

export interface QueuePointView {
  /** Position in the record (what `discard(id, pointIndex)` takes). */
  index: number;
  t: number;
  d: unknown;
}

export interface QueueItemView {
  id: number;
  key: string;
  path: string;
  /** The stream's display name (nickname, else its name). */
  label: string;
  state: OutboxRecord['state'];
  /** `Waiting`, `Sending`, `Refused`. */
  stateText: string;
  /** The server's reason for a refusal, or what went wrong with the last attempt. */
  reason?: string;
  /** Unix ms of the next automatic attempt after a failure. */
  nextAttemptAt?: number;
  pointCount: number;
  /** The first points by time, with their positions in the record. */
  points: QueuePointView[];
  hiddenCount: number;
  /** `Retry` (refused) or `Send now` (waiting after a failure); undefined: nothing to retry. */
  retryLabel?: 'Retry' | 'Send now';
  /** Single points may be removed: the server certainly holds none of this record. */
  canDiscardPoints: boolean;
  /** The whole record may be removed (not while it is being sent). */
  canDiscard: boolean;
}

const isClientError = (status: number | undefined) => status !== undefined && status >= 400 && status < 500;

export function queueItemView(
  record: OutboxRecord,
  streams: Readonly<Record<string, Stream>>,
): QueueItemView {
  const stream = streams[record.path];
  const name = record.path.split('/').slice(2).join('/');
  const isSending = record.state === 'sending';
  const isRefused = record.state === 'rejected';
  const wasRefusedWhole = isRefused && isClientError(record.error?.status);
  const sorted = record.points
    .map((point, index) => ({ index, t: point.t, d: point.d }))
    .sort((a, b) => a.t - b.t || a.index - b.index);
  const view: QueueItemView = {
    id: record.id!,
    key: record.clientId,
    path: record.path,
    label: stream?.nickname || stream?.name || name,
    state: record.state,
    stateText: isSending ? 'Sending' : isRefused ? 'Refused' : 'Waiting',
    pointCount: record.pointCount,
    points: sorted.slice(0, MAX_SHOWN_POINTS),
    hiddenCount: Math.max(0, sorted.length - MAX_SHOWN_POINTS),
    canDiscardPoints: !isSending && record.pointCount > 1 && (record.attempts === 0 || wasRefusedWhole),
    canDiscard: !isSending,
  };
  if (record.error) view.reason = isRefused ? describeRefusal(record.error) : record.error.msg;
  if (record.nextAttemptAt !== undefined && record.state === 'queued')
    view.nextAttemptAt = record.nextAttemptAt;
  if (isRefused) view.retryLabel = 'Retry';
  else if (record.state === 'queued' && (record.error || record.nextAttemptAt !== undefined)) {
    view.retryLabel = 'Send now';
  }
  return view;
}

/** Points by state over all records: what the page's summary counts. */
export function countQueue(records: readonly OutboxRecord[]): { pending: number; rejected: number } {
  let pending = 0;
  let rejected = 0;
  for (const record of records) {
    if (record.state === 'rejected') rejected += record.pointCount;
    else pending += record.pointCount;
  }
  return { pending, rejected };
}
