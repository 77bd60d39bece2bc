import { describe, expect, it } from 'vitest';
import { STREAM_DEFAULTS } from '../../../core/model';
import type { OutboxRecord } from '../../store';
import { countQueue, MAX_SHOWN_POINTS, queueItemView } from './queueView';

const record = (patch: Partial<OutboxRecord> = {}): OutboxRecord => {
  const points = patch.points ?? [
    { t: 20, d: 5 },
    { t: 10, d: 3 },
  ];
  return {
    id: 7,
    clientId: 'c7',
    user: 'ann',
    path: 'ann/user/mood',
    points,
    pointCount: points.length,
    state: 'queued',
    attempts: 0,
    serverErrors: 0,
    createdAt: 0,
    updatedAt: 0,
    ...patch,
  };
};

const streams = { 'ann/user/mood': { ...STREAM_DEFAULTS, name: 'mood', nickname: 'Mood' } };

describe('queueItemView', () => {
  it('lists a waiting record’s points by time, with their positions for discarding one', () => {
    const view = queueItemView(record(), streams);
    expect(view).toMatchObject({
      label: 'Mood',
      stateText: 'Waiting',
      canDiscardPoints: true,
      canDiscard: true,
    });
    expect(view.points).toEqual([
      { index: 1, t: 10, d: 3 },
      { index: 0, t: 20, d: 5 },
    ]);
    expect(view.retryLabel).toBeUndefined();
  });

  it('offers Retry for a refused record with the server’s reason', () => {
    const view = queueItemView(
      record({ state: 'rejected', attempts: 1, error: { status: 400, msg: 'Not under the schema' } }),
      streams,
    );
    expect(view).toMatchObject({
      stateText: 'Refused',
      reason: 'Not under the schema.',
      retryLabel: 'Retry',
      canDiscardPoints: true,
    });
  });

  it('says in plain words that the stream is gone or no longer writable, for the server’s 403', () => {
    const view = queueItemView(
      record({ state: 'rejected', attempts: 1, error: { status: 403, msg: "Can't access this resource." } }),
      streams,
    );
    expect(view.reason).toBe('the stream no longer exists, or you may no longer add values to it.');
  });

  it('offers Send now for a record waiting after a failure, and single discards only before any send', () => {
    const view = queueItemView(
      record({ attempts: 2, error: { status: 0, msg: 'fetch failed' }, nextAttemptAt: 5_000 }),
      streams,
    );
    expect(view).toMatchObject({ retryLabel: 'Send now', nextAttemptAt: 5_000, canDiscardPoints: false });
    // A batch refused after many server errors may be on the server: only discarded whole.
    const tired = queueItemView(
      record({ state: 'rejected', attempts: 10, error: { status: 503, msg: 'x' } }),
      {},
    );
    expect(tired).toMatchObject({ canDiscardPoints: false, canDiscard: true, label: 'mood' });
  });

  it('offers nothing while a record is being sent', () => {
    const view = queueItemView(record({ state: 'sending', attempts: 1 }), streams);
    expect(view).toMatchObject({ stateText: 'Sending', canDiscard: false, canDiscardPoints: false });
    expect(view.retryLabel).toBeUndefined();
  });

  it('shows the first points of a large record and counts the rest', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ t: i, d: i }));
    const view = queueItemView(record({ points, pointCount: 1000 }), streams);
    expect(view.points).toHaveLength(MAX_SHOWN_POINTS);
    expect(view.hiddenCount).toBe(1000 - MAX_SHOWN_POINTS);
  });
});

describe('countQueue', () => {
  it('counts pending (queued and sending) and rejected points', () => {
    expect(
      countQueue([record(), record({ state: 'sending' }), record({ state: 'rejected', pointCount: 1 })]),
    ).toEqual({ pending: 4, rejected: 1 });
  });
});
