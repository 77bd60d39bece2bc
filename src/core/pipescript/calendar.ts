/**
 * Time zones for the calendar transforms. `Local` is the zone of the runtime (the server process's
 * `TZ`, as in the original), `UTC` and `''` are UTC, anything else is an IANA name.
 *
 * Offsets come from `Date` (Local) or `Intl.DateTimeFormat` (named zones), which cost about a
 * microsecond each, so they are cached per hour: an hour whose start and end have the same offset
 * has it throughout; only an hour containing a transition is resolved per datapoint.
 */

export interface Zone {
  /** Offset of local time from UTC, in seconds, at the instant `tSeconds`. */
  offsetAt(tSeconds: number): number;
  /** The instant at which the zone's clocks read 1970-01-01 00:00. */
  readonly midnight1970: number;
}

/** Outside this range `Date` is invalid; such timestamps are treated as UTC rather than failing. */
const MAX_MS = 8.64e15;

class CachedZone implements Zone {
  private readonly buckets = new Map<number, number>();
  private lastBucket = NaN;
  private lastOffset = 0;
  readonly midnight1970: number;

  constructor(private readonly exact: (ms: number) => number) {
    const first = -this.offsetAt(0);
    this.midnight1970 = -this.offsetAt(first);
  }

  private exactAt(ms: number): number {
    if (!(Math.abs(ms) <= MAX_MS)) return 0;
    const offset = this.exact(ms);
    return Number.isFinite(offset) ? offset : 0;
  }

  offsetAt(tSeconds: number): number {
    const bucket = Math.floor(tSeconds / 3600);
    if (bucket === this.lastBucket) return this.lastOffset;
    let offset = this.buckets.get(bucket);
    if (offset === undefined) {
      const start = this.exactAt(bucket * 3_600_000);
      offset = start === this.exactAt(bucket * 3_600_000 + 3_599_000) ? start : NaN;
      if (this.buckets.size >= 8192) this.buckets.clear();
      this.buckets.set(bucket, offset);
    }
    if (Number.isNaN(offset)) return this.exactAt(Math.floor(tSeconds) * 1000);
    this.lastBucket = bucket;
    this.lastOffset = offset;
    return offset;
  }
}

const UTC_ZONE: Zone = { offsetAt: () => 0, midnight1970: 0 };
const zones = new Map<string, Zone>();

function namedZone(name: string): Zone | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  return new CachedZone((ms) => {
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(ms)) fields[part.type] = Number(part.value);
    const wall = Date.UTC(
      fields.year!,
      fields.month! - 1,
      fields.day!,
      fields.hour!,
      fields.minute!,
      fields.second!,
    );
    return (wall - Math.floor(ms / 1000) * 1000) / 1000;
  });
}

/** The zone with the given name, or undefined when the name is not a known time zone. */
export function getZone(name: string): Zone | undefined {
  if (name === '' || name === 'UTC') return UTC_ZONE;
  let zone = zones.get(name);
  if (!zone) {
    zone =
      name === 'Local' ? new CachedZone((ms) => -new Date(ms).getTimezoneOffset() * 60) : namedZone(name);
    if (!zone) return undefined;
    zones.set(name, zone);
  }
  return zone;
}

/** Year, month (1-12) and day of month of a count of days since 1970-01-01 (proleptic Gregorian). */
export function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Days since 1970-01-01 of a civil date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}
