/**
 * What a stream's data looks like to a plot, judged by the values themselves (as ConnectorDB's
 * views were): numbers → a line, booleans → an on/off timeline, objects → a line per numeric key,
 * anything else → no plot (the table shows it).
 */
import type { Datapoint } from '../../../core/model';

export interface PlotSeries {
  label: string;
  /** One per timestamp; null where this series has no value. */
  values: (number | null)[];
}

export type PlotModel =
  | { kind: 'empty' }
  | { kind: 'unplottable' }
  | { kind: 'numeric'; t: number[]; series: PlotSeries[] }
  | { kind: 'boolean'; t: number[]; series: [PlotSeries] };

const isObject = (d: unknown): d is Record<string, unknown> =>
  typeof d === 'object' && d !== null && !Array.isArray(d);

/** Builds the model from datapoints ascending in `t`. */
export function buildPlotModel(points: readonly Datapoint[], label: string): PlotModel {
  if (points.length === 0) return { kind: 'empty' };
  const t = points.map((p) => p.t);
  if (points.every((p) => typeof p.d === 'number')) {
    return { kind: 'numeric', t, series: [{ label, values: points.map((p) => p.d as number) }] };
  }
  if (points.every((p) => typeof p.d === 'boolean')) {
    return { kind: 'boolean', t, series: [{ label, values: points.map((p) => (p.d ? 1 : 0)) }] };
  }
  if (points.every((p) => isObject(p.d))) {
    // A key is plotted when it is a number wherever it is present (and present somewhere).
    const keys = new Map<string, boolean>();
    for (const p of points) {
      for (const [key, value] of Object.entries(p.d as Record<string, unknown>)) {
        const isNumber = typeof value === 'number';
        keys.set(key, (keys.get(key) ?? true) && (isNumber || value === null || value === undefined));
      }
    }
    const numericKeys = [...keys]
      .filter(([, isNumeric]) => isNumeric)
      .map(([key]) => key)
      .sort();
    if (numericKeys.length === 0) return { kind: 'unplottable' };
    return {
      kind: 'numeric',
      t,
      series: numericKeys.map((key) => ({
        label: key,
        values: points.map((p) => {
          const value = (p.d as Record<string, unknown>)[key];
          return typeof value === 'number' ? value : null;
        }),
      })),
    };
  }
  return { kind: 'unplottable' };
}
