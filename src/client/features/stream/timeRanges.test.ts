import { describe, expect, it } from 'vitest';
import { presetWindow, RANGE_PRESETS, visibleRange } from './timeRanges';

const now = 1_700_000_000;

describe('time range presets', () => {
  it('offers 1 h, 24 h, 7 d, 30 d, 1 y and All', () => {
    expect(RANGE_PRESETS.map((p) => p.label)).toEqual(['1 h', '24 h', '7 d', '30 d', '1 y', 'All']);
  });

  it('reads from the start of the preset with no end, so live values belong to it', () => {
    expect(presetWindow('1h', now)).toEqual({ t1: now - 3600 });
    expect(presetWindow('7d', now)).toEqual({ t1: now - 7 * 86_400 });
    expect(presetWindow('all', now)).toEqual({});
  });

  it('shows a preset’s span ending now', () => {
    expect(visibleRange('24h', now, undefined, undefined)).toEqual([now - 86_400, now]);
  });

  it('fits "All" to the data, centring a single point', () => {
    expect(visibleRange('all', now, now - 100, now - 100)).toEqual([now - 100 - 3600, now - 100 + 3600]);
    const [min, max] = visibleRange('all', now, 1000, 2000);
    expect(min).toBeLessThan(1000);
    expect(max).toBeGreaterThan(2000);
  });
});
