/**
 * Ready-made transforms. Daily and hourly buckets follow the viewer's own calendar: `day(zone)`
 * and `hour(zone)` count days and hours in that zone, and `while(not …:changed, …)` closes a
 * bucket when the count changes. (ConnectorDB's own `while(day==next:day, …)` preset put each
 * day's last value in the next day; see core/pipescript/QUIRKS.md.)
 */
export interface TransformPreset {
  label: string;
  script: string;
}

/** The browser's IANA time zone, e.g. `Europe/Paris` (falls back to UTC). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function transformPresets(zone: string): TransformPreset[] {
  const quoted = `'${zone.replace(/'/g, '')}'`;
  return [
    { label: 'Daily mean', script: `while(not day(${quoted}):changed, mean)` },
    { label: 'Daily sum', script: `while(not day(${quoted}):changed, sum)` },
    { label: 'Hourly mean', script: `while(not hour(${quoted}):changed, mean)` },
    { label: 'Hourly sum', script: `while(not hour(${quoted}):changed, sum)` },
    { label: 'Values per day', script: `while(not day(${quoted}):changed, count)` },
    { label: 'Only values above 5', script: 'if $ > 5' },
  ];
}
