/** The plot's time-range presets and the data window each one reads. */
import type { DataWindow } from '../../store';

export type RangePresetId = '1h' | '24h' | '7d' | '30d' | '1y' | 'all';

export interface RangePreset {
  id: RangePresetId;
  /** What the button says. */
  label: string;
  /** A longer description for the tooltip. */
  title: string;
  /** Length in seconds; null for the whole stream. */
  seconds: number | null;
}

const HOUR = 3_600;
const DAY = 86_400;

export const RANGE_PRESETS: readonly RangePreset[] = [
  { id: '1h', label: '1 h', title: 'Last hour', seconds: HOUR },
  { id: '24h', label: '24 h', title: 'Last 24 hours', seconds: DAY },
  { id: '7d', label: '7 d', title: 'Last 7 days', seconds: 7 * DAY },
  { id: '30d', label: '30 d', title: 'Last 30 days', seconds: 30 * DAY },
  { id: '1y', label: '1 y', title: 'Last year', seconds: 365 * DAY },
  { id: 'all', label: 'All', title: 'Everything', seconds: null },
];

export const DEFAULT_PRESET: RangePresetId = '30d';

export function presetById(id: RangePresetId): RangePreset {
  return RANGE_PRESETS.find((p) => p.id === id) ?? RANGE_PRESETS[RANGE_PRESETS.length - 1]!;
}

/**
 * The data to read for a preset: `(now - length, ∞)`. No upper bound, so values arriving live
 * while the page is open still belong to the window.
 */
export function presetWindow(id: RangePresetId, nowSeconds: number): DataWindow {
  const { seconds } = presetById(id);
  return seconds === null ? {} : { t1: nowSeconds - seconds };
}

/**
 * The x-axis range to draw, in unix seconds: the preset's span ending now, or for "All" the data's
 * extent (an hour either side of a single point, so it sits in the middle of the plot).
 */
export function visibleRange(
  id: RangePresetId,
  nowSeconds: number,
  firstT: number | undefined,
  lastT: number | undefined,
): [number, number] {
  const { seconds } = presetById(id);
  if (seconds !== null) return [nowSeconds - seconds, nowSeconds];
  if (firstT === undefined || lastT === undefined) return [nowSeconds - DAY, nowSeconds];
  if (lastT - firstT < 1) return [firstT - HOUR, lastT + HOUR];
  const margin = (lastT - firstT) * 0.02;
  return [firstT - margin, lastT + margin];
}
