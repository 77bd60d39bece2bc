/**
 * How a command reads in the panel and its log: its time, its sender and what became of it.
 * Pure functions of the state machine's records, so the wording is tested without a browser.
 */
import type { CommandRecord } from '../../../core/downlink';
import { formatValue } from '../../ui/formatTime';

const timeWithSeconds = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const dateTimeWithSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** "14:05:09" today, with the date otherwise: commands seconds apart must be told apart. */
export function formatCommandTime(tSeconds: number, nowSeconds: number): string {
  const date = new Date(tSeconds * 1000);
  const sameDay = date.toDateString() === new Date(nowSeconds * 1000).toDateString();
  return (sameDay ? timeWithSeconds : dateTimeWithSeconds).format(date);
}

/** "0.4 s", "12 s", "3 min", "2 h": how long something took. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 10) return `${(Math.round(s * 10) / 10).toLocaleString()} s`;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/**
 * Who sent a command: "you" for the viewer's own device, the sender's device path otherwise. A
 * command without `o` was written by the stream's own device.
 */
export function commandSender(command: { o?: string }, viewer: string, streamPath: string): string {
  const sender = command.o ?? streamPath.split('/').slice(0, 2).join('/');
  return sender === viewer ? 'you' : sender;
}

/** "7 s left" until a pending command times out, in whole seconds (it counts down each second). */
export function timeLeftText(record: Pick<CommandRecord, 'deadline'>, nowSeconds: number): string {
  return `${formatDuration(Math.ceil(Math.max(0, record.deadline - nowSeconds)))} left`;
}

/** The detail beside a command's state: how fast it was acknowledged, what the device said instead. */
export function commandOutcomeDetail(record: CommandRecord, nowSeconds: number): string {
  const took = (record.endedAt ?? nowSeconds) - record.requestedAt;
  switch (record.state) {
    case 'requested':
      return `waiting for the device · ${timeLeftText(record, nowSeconds)}`;
    case 'mismatch':
      return `the device reports ${formatValue(record.report?.d)} · ${timeLeftText(record, nowSeconds)}`;
    case 'acknowledged':
      if (record.isLate) return `after ${formatDuration(took)}, past the timeout`;
      return took < 0.05 ? 'at once' : `in ${formatDuration(took)}`;
    case 'timed-out': {
      const waited = `no acknowledgement within ${formatDuration(record.deadline - record.requestedAt)}`;
      return record.report ? `${waited}; the device reports ${formatValue(record.report.d)}` : waited;
    }
    case 'superseded':
      return 'replaced by a newer command';
  }
}
