import { describe, expect, it } from 'vitest';
import { parsePipeScript } from '../../../core/pipescript';
import { transformPresets } from './transformPresets';

const script = (zone: string, label: string) => transformPresets(zone).find((p) => p.label === label)!.script;

describe('transform presets', () => {
  it('groups daily by the calendar of the given zone, not UTC', () => {
    // 2026-03-10 in New York (UTC-4 after the DST change on the 8th): 23:30 local is 03:30 UTC next day.
    const local = (iso: string) => Date.parse(iso) / 1000;
    const points = [
      { t: local('2026-03-10T12:00:00-04:00'), d: 2 },
      { t: local('2026-03-10T23:30:00-04:00'), d: 4 },
      { t: local('2026-03-11T08:00:00-04:00'), d: 10 },
    ];
    const daily = parsePipeScript(script('America/New_York', 'Daily mean')).run(points);
    expect(daily.map((p) => p.d)).toEqual([3, 10]);
    const utc = parsePipeScript(script('UTC', 'Daily mean')).run(points);
    expect(utc.map((p) => p.d)).toEqual([2, 7]);
  });

  it('sums per hour and counts per day', () => {
    const points = [0, 600, 3599, 3600, 7300].map((s, i) => ({ t: 1_800_000_000 + s, d: i + 1 }));
    expect(
      parsePipeScript(script('UTC', 'Hourly sum'))
        .run(points)
        .map((p) => p.d),
    ).toEqual([6, 4, 5]);
    expect(
      parsePipeScript(script('UTC', 'Values per day'))
        .run(points)
        .map((p) => p.d),
    ).toEqual([5]);
  });

  it('makes valid scripts for any zone name, quotes and all', () => {
    for (const preset of transformPresets('Europe/Paris'))
      expect(() => parsePipeScript(preset.script)).not.toThrow();
    expect(transformPresets("Evil'); drop")[0]!.script).not.toContain("');");
  });
});
