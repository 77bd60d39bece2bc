/** Datapoints as CSV, for spreadsheets: one row per datapoint, object values spread into columns. */
import type { Datapoint } from '../../../core/model';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Quotes a cell when needed (RFC 4180). Text starting with = + - @ is prefixed with ' so that a
 * spreadsheet shows it instead of running it as a formula (a diary entry is not a macro).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Columns: `time` (ISO 8601, UTC), `unix_time` (seconds), then `value` — or one column per key
 * when every value is an object — and `sent_by` when some datapoint was written by another device.
 */
export function toCsv(points: readonly Datapoint[]): string {
  const isObjects = points.length > 0 && points.every((p) => isPlainObject(p.d));
  const keys = isObjects ? [...new Set(points.flatMap((p) => Object.keys(p.d as object)))] : ['value'];
  const hasSender = points.some((p) => p.o);
  const header = ['time', 'unix_time', ...keys, ...(hasSender ? ['sent_by'] : [])];
  const rows = points.map((p) => {
    const values = isObjects ? keys.map((k) => (p.d as Record<string, unknown>)[k]) : [p.d];
    return [new Date(p.t * 1000).toISOString(), p.t, ...values, ...(hasSender ? [p.o ?? ''] : [])]
      .map(csvCell)
      .join(',');
  });
  return [header.map(csvCell).join(','), ...rows].join('\r\n') + '\r\n';
}
