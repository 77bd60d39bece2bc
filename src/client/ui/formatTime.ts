/**
 * Times as a person reads them: in the browser's locale and time zone. Datapoint times are unix
 * seconds (floats); everything here takes seconds, never milliseconds.
 */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'long' });

/** "12 Mar 2025, 14:05" in the browser's locale. */
export function formatDateTime(tSeconds: number, withSeconds = false): string {
  return (withSeconds ? dateTimeSeconds : dateTime).format(new Date(tSeconds * 1000));
}

/** "14:05" today, the full date and time otherwise. */
export function formatShortTime(tSeconds: number, nowSeconds: number = Date.now() / 1000): string {
  const date = new Date(tSeconds * 1000);
  const now = new Date(nowSeconds * 1000);
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateTime.format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "just now", "5 minutes ago", "in 2 hours", "yesterday". */
export function formatRelativeTime(tSeconds: number, nowSeconds: number = Date.now() / 1000): string {
  const delta = tSeconds - nowSeconds;
  const size = Math.abs(delta);
  if (size < 45) return 'just now';
  for (const [unit, seconds] of UNITS) {
    if (size >= seconds || unit === 'minute') return relative.format(Math.round(delta / seconds), unit);
  }
  return 'just now';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The value of an `<input type="datetime-local">` for a time, in the browser's time zone. */
export function toDateTimeLocalValue(tSeconds: number): string {
  const d = new Date(Math.floor(tSeconds) * 1000);
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** Unix seconds from an `<input type="datetime-local">` value (local time); undefined when incomplete. */
export function fromDateTimeLocalValue(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const date = new Date(y!, mo! - 1, d!, h!, mi!, s ?? 0, ms ?? 0);
  return Number.isNaN(date.getTime()) ? undefined : date.getTime() / 1000;
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

/**
 * A datapoint value for display: numbers in the locale, booleans as On/Off, a flat object as
 * "hours 7.5 · quality 4", anything deeper as compact JSON.
 */
export function formatValue(d: unknown): string {
  if (typeof d === 'number') return numberFormat.format(d);
  if (typeof d === 'boolean') return d ? 'On' : 'Off';
  if (typeof d === 'string') return d;
  if (d === null || d === undefined) return '—';
  if (typeof d === 'object' && !Array.isArray(d)) {
    const entries = Object.entries(d as Record<string, unknown>);
    if (entries.length > 0 && entries.every(([, v]) => v === null || typeof v !== 'object')) {
      return entries.map(([key, value]) => `${key} ${formatValue(value)}`).join(' · ');
    }
  }
  return JSON.stringify(d);
}
