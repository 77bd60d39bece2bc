import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, getZone } from './calendar';

describe('getZone', () => {
  it('knows UTC, the local zone and IANA names, and rejects others', () => {
    expect(getZone('UTC')!.offsetAt(1e9)).toBe(0);
    expect(getZone('')!.offsetAt(1e9)).toBe(0);
    expect(getZone('Local')!.offsetAt(1e9)).toBe(-new Date(1e12).getTimezoneOffset() * 60);
    expect(getZone('Asia/Kolkata')!.offsetAt(1e9)).toBe(19800);
    expect(getZone('lol')).toBeUndefined();
    expect(getZone('Europe/Atlantis')).toBeUndefined();
  });

  it('resolves an hour that contains a transition datapoint by datapoint', () => {
    // Lord Howe Island moves from +10:30 to +11:00 at 15:30 UTC on 2021-10-02, inside an hour.
    const zone = getZone('Australia/Lord_Howe')!;
    const at = (minutes: number) => zone.offsetAt(Date.UTC(2021, 9, 2, 15, minutes) / 1000);
    expect([at(0), at(20), at(40), at(59)]).toEqual([37800, 37800, 39600, 39600]);
  });

  it('knows when each zone read 1970-01-01 00:00', () => {
    expect(getZone('UTC')!.midnight1970).toBe(0);
    expect(getZone('Asia/Tokyo')!.midnight1970).toBe(-9 * 3600);
    expect(getZone('America/New_York')!.midnight1970).toBe(5 * 3600);
  });

  it('treats timestamps outside the range of Date as UTC instead of failing', () => {
    expect(getZone('Europe/Paris')!.offsetAt(1e20)).toBe(0);
    expect(getZone('Local')!.offsetAt(-1e20)).toBe(0);
  });
});

describe('civil dates', () => {
  it('agrees with Date over four centuries', () => {
    for (let days = -200_000; days <= 200_000; days += 997) {
      const date = new Date(days * 86_400_000);
      expect(civilFromDays(days)).toEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]);
      expect(daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(days);
    }
  });
});
