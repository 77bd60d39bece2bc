import { describe, expect, it } from 'vitest';
import { timeAxisLabels } from './timeAxisLabels';

const at = (iso: string) => Date.parse(iso) / 1000;

// TZ=UTC and the default (en-US) locale under Vitest.
describe('timeAxisLabels', () => {
  it('labels hourly ticks with times and names the day where it changes', () => {
    expect(
      timeAxisLabels([at('2025-03-14T22:00Z'), at('2025-03-14T23:00Z'), at('2025-03-15T00:00Z')], 3600),
    ).toEqual(['10:00 PM\nMar 14', '11:00 PM', '12:00 AM\nMar 15']);
  });

  it('labels daily, monthly and yearly ticks with less detail', () => {
    expect(timeAxisLabels([at('2025-03-14T00:00Z')], 86_400)).toEqual(['Mar 14']);
    expect(timeAxisLabels([at('2025-03-01T00:00Z')], 30 * 86_400)).toEqual(['Mar 2025']);
    expect(timeAxisLabels([at('2025-01-01T00:00Z')], 365 * 86_400)).toEqual(['2025']);
  });
});
