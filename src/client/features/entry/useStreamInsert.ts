import { useCallback, useEffect, useState } from 'react';
import type { Stream } from '../../../core/model';
import { useAppStore, type Entry } from '../../store';
import { checkAgainstSchema } from './checkAgainstSchema';

export type InsertStatus =
  | { state: 'idle' }
  | { state: 'sending'; value: unknown }
  /**
   * Accepted: kept in this device's outbox (the entry then goes on to saved or rejected) or, for a
   * command sent directly, saved. `entry` is the entry as `insertDatapoint` returned it; the store's
   * `entries[entry.id]` follows it from there.
   */
  | { state: 'entered'; value: unknown; entry: Entry }
  | { state: 'error'; message: string };

export interface StreamInsert {
  /** Validates against the schema, then inserts; resolves to an error for the field, or undefined. */
  submit(value: unknown): Promise<string | undefined>;
  status: InsertStatus;
  /** Unix seconds chosen with "Set time"; undefined means "now" at the moment of saving. */
  customTime: number | undefined;
  setCustomTime(t: number | undefined): void;
}

const CONFIRMATION_MS = 6_000;

/** The entry logic every input widget shares: time choice, schema check, insert and its outcome. */
export function useStreamInsert(path: string, stream: Stream): StreamInsert {
  const insertDatapoint = useAppStore((s) => s.insertDatapoint);
  const [status, setStatus] = useState<InsertStatus>({ state: 'idle' });
  const [customTime, setCustomTime] = useState<number>();
  const entryId = status.state === 'entered' ? status.entry.id : undefined;
  const entryState = useAppStore((s) => (entryId === undefined ? undefined : s.entries[entryId]?.state));

  // A confirmation stays a few seconds once it says where the value is, then the card shows the
  // last value again; a refusal stays until the next entry.
  useEffect(() => {
    if (status.state !== 'entered' || entryState === 'rejected' || entryState === 'sending') return;
    const timer = setTimeout(() => setStatus({ state: 'idle' }), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [status, entryState]);

  const submit = useCallback(
    async (value: unknown) => {
      const invalid = await checkAgainstSchema(stream.schema, value);
      if (invalid) {
        setStatus({ state: 'idle' });
        return invalid;
      }
      const t = customTime ?? Date.now() / 1000;
      setStatus({ state: 'sending', value });
      const entry = await insertDatapoint(path, t, value);
      if (entry.state === 'saved' || entry.state === 'queued') {
        setStatus({ state: 'entered', value, entry });
        // Back to "now": a backdated value is a deliberate, one-off choice.
        setCustomTime(undefined);
        return undefined;
      }
      const message = entry.error ?? 'Not saved.';
      setStatus({ state: 'error', message });
      return message;
    },
    [customTime, insertDatapoint, path, stream.schema],
  );

  return { submit, status, customTime, setCustomTime };
}
