import { describe, expect, it } from 'vitest';
import { overlayPending } from './overlayPending';

describe('overlayPending', () => {
  it('merges outbox points by time, marked with their state', () => {
    const server = [
      { t: 1, d: 1 },
      { t: 3, d: 3 },
    ];
    const pending = [
      { t: 4, d: 4, state: 'queued' as const, recordId: 1 },
      { t: 2, d: 2, state: 'rejected' as const, recordId: 2 },
      { t: 3, d: 30, state: 'sending' as const, recordId: 1 },
    ];
    expect(overlayPending(server, pending)).toEqual([
      { t: 1, d: 1 },
      { t: 2, d: 2, outboxState: 'rejected' },
      { t: 3, d: 3 },
      { t: 3, d: 30, outboxState: 'sending' },
      { t: 4, d: 4, outboxState: 'queued' },
    ]);
  });

  it('shows a point once when the server data already holds it', () => {
    const server = [{ t: 5, d: { mood: 4 } }];
    const pending = [{ t: 5, d: { mood: 4 }, state: 'sending' as const, recordId: 1 }];
    expect(overlayPending(server, pending)).toEqual([{ t: 5, d: { mood: 4 } }]);
  });
});
