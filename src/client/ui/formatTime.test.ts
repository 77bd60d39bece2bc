import { describe, expect, it } from 'vitest';
import {
  formatRelativeTime,
  formatShortTime,
  formatValue,
  fromDateTimeLocalValue,
  toDateTimeLocalValue,
} from './formatTime';

// Vitest runs with TZ=UTC (vitest.config.ts), so local time equals UTC here.
describe('datetime-local values', () => {
  it('round-trips a time through the input’s local format, to the second', () => {
    const t = Date.UTC(2025, 2, 14, 8, 30, 15) / 1000;
    expect(toDateTimeLocalValue(t)).toBe('2025-03-14T08:30:15');
    expect(fromDateTimeLocalValue('2025-03-14T08:30:15')).toBe(t);
    expect(fromDateTimeLocalValue('2025-03-14T08:30')).toBe(t - 15);
  });

  it('refuses incomplete input', () => {
    expect(fromDateTimeLocalValue('')).toBeUndefined();
    expect(fromDateTimeLocalValue('2025-03-14')).toBeUndefined();
  });
});

describe('formatRelativeTime', () => {
  const now = 1_700_000_000;
  it('says how long ago in words', () => {
    expect(formatRelativeTime(now - 10, now)).toBe('just now');
    expect(formatRelativeTime(now - 5 * 60, now)).toBe('5 minutes ago');
    expect(formatRelativeTime(now - 3 * 3600, now)).toBe('3 hours ago');
    expect(formatRelativeTime(now - 86_400, now)).toBe('yesterday');
    expect(formatRelativeTime(now + 2 * 3600, now)).toBe('in 2 hours');
    expect(formatRelativeTime(now - 400 * 86_400, now)).toBe('last year');
  });
});

describe('formatShortTime', () => {
  it('shows only the time for today, the date otherwise', () => {
    const now = Date.UTC(2025, 2, 14, 18, 0) / 1000;
    expect(formatShortTime(Date.UTC(2025, 2, 14, 8, 5) / 1000, now)).toMatch(/^8:05/);
    expect(formatShortTime(Date.UTC(2025, 2, 10, 8, 5) / 1000, now)).toMatch(/Mar 10, 2025/);
  });
});

describe('formatValue', () => {
  it('formats each kind of value for reading', () => {
    expect(formatValue(1234.5)).toBe('1,234.5');
    expect(formatValue(true)).toBe('On');
    expect(formatValue(false)).toBe('Off');
    expect(formatValue('text')).toBe('text');
    expect(formatValue(null)).toBe('—');
    expect(formatValue({ hours: 7.5, quality: 'good' })).toBe('hours 7.5 · quality good');
    expect(formatValue({ a: { b: 1 } })).toBe('{"a":{"b":1}}');
    expect(formatValue([1, 2])).toBe('[1,2]');
  });
});
