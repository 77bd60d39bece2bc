/**
 * What the chart draws, independent of where it came from: lines (one per series), an optional
 * min/max band around the first line, and queued points not yet on the server. Server plot data
 * (M4 columns), live values that arrived after it, and raw points all become layers.
 */
import type { Datapoint } from '../../../core/model';
import { m4FromPoints, m4ToPolyline, type M4Result } from '../../../core/timeseries';
import type { PlotData } from '../../../sdk';
import { buildPlotModel, type PlotModel } from './plotModel';

export interface PlotLine {
  label: string;
  t: ArrayLike<number>;
  v: ArrayLike<number | null>;
}

export interface PlotLayers {
  kind: 'numeric' | 'boolean';
  lines: PlotLine[];
  /** The per-pixel-column minimum and maximum of the first line, drawn as a shaded band. */
  band?: { t: ArrayLike<number>; min: ArrayLike<number>; max: ArrayLike<number> };
  /** Values queued on this device and not yet on the server (drawn as hollow markers). */
  pending?: { t: number[]; v: number[] };
}

/** A datapoint's value as a plot number: numbers as they are, booleans as 1 and 0. */
export function plotValue(d: unknown): number | undefined {
  if (typeof d === 'number' && Number.isFinite(d)) return d;
  if (typeof d === 'boolean') return d ? 1 : 0;
  return undefined;
}

function bandOf(m4: M4Result): PlotLayers['band'] {
  const n = m4.column.length;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = m4.t0 + (m4.column[i]! + 0.5) * m4.columnWidth;
  return { t, min: m4.min, max: m4.max };
}

/**
 * Layers from the server's plot data, plus the points it does not hold: `later` (live values
 * that arrived after it was read) and `pending` (queued here). The nearest stored points outside
 * the window join the line so it enters and leaves the plot at its edges.
 */
export function layersFromPlotData(
  data: PlotData,
  options: {
    label: string;
    kind: 'numeric' | 'boolean';
    later?: readonly Datapoint[];
    pending?: readonly Datapoint[];
  },
): PlotLayers {
  const line = m4ToPolyline(data.m4);
  const t: number[] = [];
  const v: number[] = [];
  const push = (time: number, value: number | undefined) => {
    if (value === undefined || (t.length > 0 && time < t[t.length - 1]!)) return;
    if (t.length > 0 && time === t[t.length - 1] && value === v[v.length - 1]) return;
    t.push(time);
    v.push(value);
  };
  if (data.before) push(data.before.t, plotValue(data.before.d));
  for (let i = 0; i < line.t.length; i++) push(line.t[i]!, line.v[i]!);
  const outside = [...(data.after ? [data.after] : []), ...(options.later ?? [])].sort((a, b) => a.t - b.t);
  for (const p of outside) push(p.t, plotValue(p.d));

  const layers: PlotLayers = { kind: options.kind, lines: [{ label: options.label, t, v }] };
  // A band only where a column spans a range; zoomed in to single points it would be noise.
  if (data.m4.min.some((low, i) => low < data.m4.max[i]!)) layers.band = bandOf(data.m4);
  const pending = pendingLayer(options.pending);
  if (pending) layers.pending = pending;
  return layers;
}

/** Queued values as the chart's pending layer (numbers, booleans as 1 and 0), or undefined. */
export function pendingLayer(points: readonly Datapoint[] | undefined): PlotLayers['pending'] {
  if (!points?.length) return undefined;
  const t: number[] = [];
  const v: number[] = [];
  for (const p of points) {
    const value = plotValue(p.d);
    if (value === undefined) continue;
    t.push(p.t);
    v.push(value);
  }
  return t.length > 0 ? { t, v } : undefined;
}

/** Points per pixel column above which a single line is reduced with M4 before drawing. */
const M4_THRESHOLD = 4;

/**
 * Layers from datapoints held in the browser (objects with numeric keys, or data the server has
 * no rollups for). A single numeric line with more than 4 points per pixel column of the visible
 * range is reduced with M4, which draws the same pixels from a few thousand points.
 */
export function layersFromModel(
  model: Extract<PlotModel, { kind: 'numeric' | 'boolean' }>,
  range: [number, number],
  widthPx: number,
  pending?: readonly Datapoint[],
): PlotLayers {
  const width = Math.max(1, Math.round(widthPx));
  const only = model.series.length === 1 ? model.series[0]! : undefined;
  let layers: PlotLayers;
  if (model.kind === 'numeric' && only && model.t.length > M4_THRESHOLD * width && range[1] > range[0]) {
    const columnWidth = (range[1] - range[0]) / width;
    // Columns start one column before the range so the line enters the plot from its left edge.
    const m4 = m4FromPoints(model.t, only.values as number[], {
      t0: range[0] - columnWidth,
      columnWidth,
      width: width + 2,
    });
    const line = m4ToPolyline(m4);
    layers = { kind: 'numeric', lines: [{ label: only.label, t: line.t, v: line.v }], band: bandOf(m4) };
  } else {
    layers = {
      kind: model.kind,
      lines: model.series.map((s) => ({ label: s.label, t: model.t, v: s.values })),
    };
  }
  const queued = pendingLayer(pending);
  if (queued) layers.pending = queued;
  return layers;
}

/**
 * Layers drawn in the browser from the points this device holds (cached, or none at all) and the
 * values queued here: a stream whose only values are queued still gets its plot, with the queued
 * values marked. `kind` is the server's judgement by schema, when it has one.
 */
export function layersFromPoints(
  points: readonly Datapoint[],
  pending: readonly Datapoint[] | undefined,
  options: { label: string; kind?: 'numeric' | 'boolean'; range: [number, number]; widthPx: number },
): PlotLayers | undefined {
  const model = buildPlotModel(points, options.label);
  if (model.kind === 'numeric' || model.kind === 'boolean') {
    return layersFromModel(model, options.range, options.widthPx, pending);
  }
  if (model.kind !== 'empty') return undefined;
  const queued = pendingLayer(pending);
  if (!queued) return undefined;
  const kind = options.kind ?? (pending!.every((p) => typeof p.d === 'boolean') ? 'boolean' : 'numeric');
  return { kind, lines: [{ label: options.label, t: [], v: [] }], pending: queued };
}
