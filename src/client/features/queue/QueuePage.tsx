import { CircleCheck, RotateCw, Send, Trash2, X } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { useAppStore, type QueueActionResult } from '../../store';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { formatDateTime, formatRelativeTime, formatValue } from '../../ui/formatTime';
import { PageHeader } from '../../ui/PageHeader';
import { CardSkeletons } from '../../ui/Skeleton';
import { useNow } from '../../ui/useNow';
import { usePageTitle } from '../../ui/usePageTitle';
import { syncStatusText } from '../sync/syncStatusText';
import { countQueue, queueItemView, type QueueItemView } from './queueView';
import '../stream/stream.css';
import './queue.css';

/** What a refused queue action means for the person. */
const ACTION_PROBLEMS: Partial<Record<QueueActionResult, string>> = {
  in_flight: 'It is being sent right now. Try again in a moment.',
  already_sent: 'Part of it may already be on the server, so it can only be discarded as a whole.',
};

interface Discarding {
  item: QueueItemView;
  pointIndex?: number;
  pointTime?: number;
}

/**
 * `/queue`: every value kept on this device that the server does not have yet — waiting, being
 * sent, or refused with the server's reason — with retry and discard.
 */
export function QueuePage() {
  usePageTitle('Queue');
  const records = useAppStore((s) => s.queue);
  const watchQueue = useAppStore((s) => s.watchQueue);
  const streams = useAppStore((s) => s.streams);
  const status = useAppStore((s) => s.sync);
  const unavailable = useAppStore((s) => s.localFirstError);
  const isPersistent = useAppStore((s) => s.isStoragePersistent);
  const syncNow = useAppStore((s) => s.syncNow);
  const retryQueued = useAppStore((s) => s.retryQueued);
  const discardQueued = useAppStore((s) => s.discardQueued);
  const notify = useAppStore((s) => s.notify);
  const [discarding, setDiscarding] = useState<Discarding>();

  useEffect(() => watchQueue(), [watchQueue]);

  const summary = syncStatusText(status, unavailable);
  const items = (records ?? []).map((record) => queueItemView(record, streams));
  const counts = countQueue(records ?? []);

  const retry = async (item: QueueItemView) => {
    const result = await retryQueued(item.id);
    const problem = ACTION_PROBLEMS[result];
    if (problem) notify(problem, 'info');
  };

  return (
    <div className="stack-lg">
      <PageHeader
        title="Queue"
        description={summary.detail.replace(' in the queue', ' below')}
        actions={
          status.online &&
          counts.pending > 0 && (
            <button type="button" className="btn" onClick={() => void syncNow()}>
              <Send size={16} aria-hidden />
              Send now
            </button>
          )
        }
      />

      {records === undefined ? (
        <CardSkeletons count={1} height="8rem" />
      ) : items.length === 0 ? (
        <div className="card">
          <EmptyState icon={<CircleCheck size={28} />} title="Nothing waits to be sent">
            Values you enter without a connection are kept on this device and wait here until the server has
            them.
          </EmptyState>
        </div>
      ) : (
        <>
          {isPersistent === false && (
            <p className="muted queue-note">
              This browser may delete what Tributary keeps on this device when space runs low. Installing
              Tributary as an app makes that less likely.
            </p>
          )}
          {items.map((item) => (
            <QueueItem
              key={item.key}
              item={item}
              onRetry={() => void retry(item)}
              onDiscard={(pointIndex, pointTime) => setDiscarding({ item, pointIndex, pointTime })}
            />
          ))}
        </>
      )}

      <ConfirmDialog
        open={discarding !== undefined}
        title={discardTitle(discarding)}
        confirmLabel="Discard"
        onClose={() => setDiscarding(undefined)}
        onConfirm={async () => {
          if (!discarding) return undefined;
          const result = await discardQueued(discarding.item.id, discarding.pointIndex);
          if (result === 'ok' || result === 'not_found') return undefined;
          return ACTION_PROBLEMS[result];
        }}
      >
        {discarding && discarding.pointIndex === undefined && discarding.item.state !== 'rejected'
          ? 'They are removed from this device and will not be sent. If an earlier attempt reached the server, it may already hold them.'
          : 'It is removed from this device and will never be saved.'}
      </ConfirmDialog>
    </div>
  );
}

function discardTitle(discarding: Discarding | undefined): string {
  if (!discarding) return 'Discard';
  const { item, pointIndex, pointTime } = discarding;
  if (pointIndex !== undefined && pointTime !== undefined) {
    return `Discard the value of ${formatDateTime(pointTime, true)}?`;
  }
  return item.pointCount === 1
    ? `Discard this value of ${item.label}?`
    : `Discard ${item.pointCount} values of ${item.label}?`;
}

function QueueItem({
  item,
  onRetry,
  onDiscard,
}: {
  item: QueueItemView;
  onRetry(): void;
  onDiscard(pointIndex?: number, pointTime?: number): void;
}) {
  const titleId = useId();
  const now = useNow(5_000);
  const badge =
    item.state === 'rejected' ? 'badge-danger' : item.state === 'sending' ? 'badge-accent' : 'badge-pending';
  return (
    <section className="card section queue-item" aria-labelledby={titleId}>
      <div className="queue-item-header">
        <h2 id={titleId}>
          <Link to={`/${item.path}`}>{item.label}</Link>
        </h2>
        <span className={`badge ${badge}`}>{item.stateText}</span>
        <span className="muted queue-item-count">
          {item.pointCount === 1 ? '1 value' : `${item.pointCount} values`}
        </span>
      </div>
      {item.state === 'rejected' ? (
        <p className="alert alert-error">
          The server refused {item.pointCount === 1 ? 'it' : 'them'}: {item.reason}
        </p>
      ) : (
        item.reason && (
          <p className="muted queue-item-reason">
            The last attempt failed: {item.reason}.
            {item.nextAttemptAt !== undefined &&
              ` Next attempt ${item.nextAttemptAt <= now * 1000 + 1500 ? 'now' : formatRelativeTime(item.nextAttemptAt / 1000, now)}.`}
          </p>
        )
      )}
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Values of {item.label} waiting to be saved</caption>
          <thead>
            <tr>
              <th scope="col" className="time-col">
                Time
              </th>
              <th scope="col">Value</th>
              {item.canDiscardPoints && (
                <th scope="col" className="queue-action-col">
                  <span className="visually-hidden">Discard</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {item.points.map((point) => (
              <tr key={point.index}>
                <td className="nowrap">{formatDateTime(point.t, true)}</td>
                <td>{formatValue(point.d)}</td>
                {item.canDiscardPoints && (
                  <td className="queue-action-col">
                    <button
                      type="button"
                      className="btn btn-ghost btn-icon btn-small"
                      aria-label={`Discard the value of ${formatDateTime(point.t, true)}`}
                      onClick={() => onDiscard(point.index, point.t)}
                    >
                      <X size={16} aria-hidden />
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {item.hiddenCount > 0 && <p className="muted">and {item.hiddenCount} more</p>}
      {(item.retryLabel || item.canDiscard) && (
        <div className="btn-group queue-item-actions">
          {item.retryLabel && (
            <button type="button" className="btn" onClick={onRetry}>
              <RotateCw size={16} aria-hidden />
              {item.retryLabel}
            </button>
          )}
          {item.canDiscard && (
            <button type="button" className="btn" onClick={() => onDiscard()}>
              <Trash2 size={16} aria-hidden />
              {item.pointCount === 1 ? 'Discard' : 'Discard all'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
