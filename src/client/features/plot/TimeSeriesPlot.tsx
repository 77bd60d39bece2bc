/**
 * The uPlot chart, loaded on demand (uPlot is the largest dependency and only stream pages need it).
 * It draws layers (lines, a min/max band, queued points) and reports what the person does: a mouse
 * drag zooms, a swipe pans and a pinch zooms on touch screens, the toolbar pans and zooms in and
 * out (keyboard and touch), a double click resets. The view is controlled by the caller, which
 * fetches data for it (the server's plot data is exact for each window and width).
 *
 * Only the drawing is the `img` (named by `label`): the legend and the toolbar sit beside it, so
 * screen readers reach them.
 */
import { ChevronLeft, ChevronRight, RotateCcw, ZoomIn, ZoomOut } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDateTime, formatValue } from '../../ui/formatTime';
import type { PlotLayers } from './plotLayers';
import { timeAxisLabels } from './timeAxisLabels';
import './plot.css';

export interface TimeSeriesPlotProps {
  /** The drawing's accessible name, e.g. "Plot of Mood". */
  label: string;
  /** The id of a text alternative (how many values, over when). */
  describedBy?: string;
  /** New data for the view is on its way. */
  isBusy?: boolean;
  /** Fixed y range, e.g. a rating's schema bounds (0–10); otherwise it fits the data. */
  yRange?: [number, number];
  layers: PlotLayers;
  /** The x range to show, in unix seconds. */
  view: [number, number];
  isZoomed: boolean;
  /** A new range chosen by the person, or null to go back to the preset's range. */
  onViewChange(view: [number, number] | null): void;
  /**
   * The width of the plotting area (without the axis) in device pixels, up to twice the CSS width,
   * so the caller can ask for data with one column per pixel actually drawn.
   */
  onWidthChange?(widthPx: number): void;
  /** Changes when the theme does, so colours are read again from the CSS variables. */
  themeKey: string;
  height: number;
}

const PALETTE = ['--plot-1', '--plot-2', '--plot-3', '--plot-4', '--plot-5'];

/** Zooming in stops at this span (seconds): closer than that there is nothing more to see. */
const MIN_SPAN_SECONDS = 2;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Where each layer sits among uPlot's series (index 0 is x). */
interface SeriesIndex {
  lines: number[];
  bandMin?: number;
  bandMax?: number;
  pending?: number;
}

/**
 * One columnar table for uPlot: every layer's own times joined into one x axis (nulls elsewhere).
 * A single line always gets band and queued-point slots, empty when unused, so that data arriving
 * with a band (or a first queued value) updates the chart instead of rebuilding it.
 */
function alignLayers(layers: PlotLayers): { data: uPlot.AlignedData; index: SeriesIndex } {
  const tables: uPlot.AlignedData[] = layers.lines.map((line) => [line.t as number[], line.v as number[]]);
  const index: SeriesIndex = { lines: layers.lines.map((_, i) => i + 1) };
  let next = layers.lines.length + 1;
  const single = layers.lines.length === 1;
  if (layers.band || single) {
    const band = layers.band ?? { t: [], min: [], max: [] };
    tables.push([band.t as number[], band.min as number[], band.max as number[]]);
    index.bandMin = next++;
    index.bandMax = next++;
  }
  if (layers.pending || single) {
    const pending = layers.pending ?? { t: [], v: [] };
    tables.push([pending.t, pending.v]);
    index.pending = next++;
  }
  if (tables.length === 1) return { data: tables[0]!, index };
  return { data: uPlot.join(tables), index };
}

/** The tooltip: the time and each value under the cursor. */
function tooltipPlugin(kind: PlotLayers['kind'], index: () => SeriesIndex): uPlot.Plugin {
  let tooltip: HTMLDivElement;
  return {
    hooks: {
      init: (u) => {
        tooltip = document.createElement('div');
        tooltip.className = 'plot-tooltip';
        tooltip.hidden = true;
        u.over.appendChild(tooltip);
      },
      setCursor: (u) => {
        const idx = u.cursor.idx;
        const left = u.cursor.left ?? -1;
        if (idx === null || idx === undefined || left < 0) {
          tooltip.hidden = true;
          return;
        }
        const t = u.data[0][idx];
        if (t === undefined) return;
        const show = (value: number) =>
          kind === 'boolean' ? (value >= 0.5 ? 'On' : 'Off') : formatValue(value);
        const { lines, bandMin, bandMax, pending } = index();
        const rows: string[] = [];
        for (const i of lines) {
          const value = nearestValue(u.data[i], idx);
          if (value === undefined) continue;
          const series = u.series[i]!;
          rows.push(
            `<div><span class="plot-swatch" style="background:${String(series.stroke)}"></span>${escapeHtml(String(series.label ?? ''))}: <strong>${escapeHtml(show(value))}</strong></div>`,
          );
        }
        const low = bandMin === undefined ? undefined : u.data[bandMin]?.[idx];
        const high = bandMax === undefined ? undefined : u.data[bandMax]?.[idx];
        if (typeof low === 'number' && typeof high === 'number' && low !== high) {
          rows.push(
            `<div class="muted">Range here: ${escapeHtml(show(low))} – ${escapeHtml(show(high))}</div>`,
          );
        }
        const queued = pending === undefined ? undefined : u.data[pending]?.[idx];
        if (typeof queued === 'number') {
          rows.push(`<div>Queued: <strong>${escapeHtml(show(queued))}</strong> (not yet saved)</div>`);
        }
        if (rows.length === 0) {
          tooltip.hidden = true;
          return;
        }
        tooltip.innerHTML = `<div class="plot-tooltip-time">${escapeHtml(formatDateTime(t, true))}</div>${rows.join('')}`;
        tooltip.hidden = false;
        const overWidth = u.over.clientWidth;
        const x = left + 12 + tooltip.offsetWidth > overWidth ? left - 12 - tooltip.offsetWidth : left + 12;
        tooltip.style.transform = `translate(${Math.max(0, x)}px, ${Math.max(0, (u.cursor.top ?? 0) - 10)}px)`;
      },
    },
  };
}

/**
 * The value of a series at or next to `idx`: series are joined on one x axis, so the index under
 * the cursor may belong to another layer (the band, a queued point) and hold null here.
 */
function nearestValue(
  values: uPlot.AlignedData[number] | undefined,
  idx: number,
  reach = 8,
): number | undefined {
  if (!values) return undefined;
  for (let d = 0; d <= reach; d++) {
    const before = values[idx - d];
    if (typeof before === 'number') return before;
    const after = values[idx + d];
    if (typeof after === 'number') return after;
  }
  return undefined;
}

/** The plotting area's width in device pixels (at most twice the CSS pixels, to bound the data). */
function plotAreaPixels(plot: uPlot): number {
  return Math.round((plot.bbox.width / uPlot.pxRatio) * Math.min(uPlot.pxRatio, 2));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function TimeSeriesPlot({
  label,
  describedBy,
  isBusy = false,
  yRange,
  layers,
  view,
  isZoomed,
  onViewChange,
  onWidthChange,
  themeKey,
  height,
}: TimeSeriesPlotProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const [width, setWidth] = useState(0);
  const aligned = useMemo(() => alignLayers(layers), [layers]);
  // Latest values for uPlot's hooks, which are created once per chart.
  const onViewChangeRef = useRef(onViewChange);
  onViewChangeRef.current = onViewChange;
  const indexRef = useRef(aligned.index);
  indexRef.current = aligned.index;
  const yRangeRef = useRef(yRange);
  yRangeRef.current = yRange;
  const viewRef = useRef(view);
  viewRef.current = view;

  // Follow the container's width: phones rotate, windows resize.
  useEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onWidthChangeRef = useRef(onWidthChange);
  onWidthChangeRef.current = onWidthChange;

  // (Re)create the chart when its shape or colours change; data updates go through setData.
  const { bandMin, bandMax, pending } = aligned.index;
  const shapeKey = [
    layers.kind,
    layers.lines.map((l) => l.label).join('\u0000'),
    bandMin ?? '-',
    pending ?? '-',
  ].join('|');
  useEffect(() => {
    const element = containerRef.current;
    if (!element || width === 0) return;
    const text = cssVar('--text-muted');
    const grid = cssVar('--plot-grid');
    const isBoolean = layers.kind === 'boolean';
    const axisFont = '12px system-ui, sans-serif';
    const first = cssVar(PALETTE[0]!);
    const series: uPlot.Series[] = [
      {},
      ...layers.lines.map((line, i): uPlot.Series => {
        const stroke = cssVar(PALETTE[i % PALETTE.length]!);
        return isBoolean
          ? {
              label: line.label,
              stroke,
              width: 2,
              fill: `${stroke}33`,
              spanGaps: true,
              paths: uPlot.paths.stepped?.({ align: 1 }),
              points: { show: false },
            }
          : {
              label: line.label,
              stroke,
              width: 2,
              spanGaps: true,
              points: {
                show: (u: uPlot) => (u.data[0]?.length ?? 0) < width / 8,
                size: 6,
                fill: stroke,
              },
            };
      }),
    ];
    const bands: uPlot.Band[] = [];
    if (bandMin !== undefined && bandMax !== undefined) {
      series.push(
        { label: 'minimum', stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } },
        { label: 'maximum', stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } },
      );
      bands.push({ series: [bandMax, bandMin], fill: `${first}26` });
    }
    if (pending !== undefined) {
      series.push({
        label: 'queued',
        stroke: cssVar('--warning'),
        width: 0,
        paths: () => null,
        points: { show: true, size: 9, width: 2, fill: cssVar('--surface'), stroke: cssVar('--warning') },
      });
    }
    const options: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      padding: [8, 8, 0, 0],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        points: { size: 8 },
      },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: true },
        y: isBoolean
          ? { range: [-0.1, 1.1] }
          : {
              range: (_u, min, max) => {
                // A schema's bounds when it has them (a rating from 0 to 10), unless values lie
                // outside (an older schema); else the data's own range.
                const fixed = yRangeRef.current;
                if (fixed && !(min < fixed[0] || max > fixed[1])) {
                  const pad = (fixed[1] - fixed[0]) * 0.04;
                  return [fixed[0] - pad, fixed[1] + pad];
                }
                if (min === max) return [min - 1, max + 1];
                const pad = (max - min) * 0.08;
                return [min - pad, max + pad];
              },
            },
      },
      axes: [
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          font: axisFont,
          size: 44,
          // Pixels between ticks at least: a label such as "12:00 AM" must not touch the next one.
          space: 90,
          values: (_u, splits, _axis, _space, step) => timeAxisLabels(splits, step),
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          font: axisFont,
          size: 52,
          ...(isBoolean && {
            splits: () => [0, 1],
            values: (_u: uPlot, splits: number[]) => splits.map((v) => (v >= 0.5 ? 'On' : 'Off')),
          }),
        },
      ],
      series,
      bands,
      hooks: {
        // The plotting area is known once uPlot has laid the chart out.
        ready: [(u) => onWidthChangeRef.current?.(plotAreaPixels(u))],
        setSize: [(u) => onWidthChangeRef.current?.(plotAreaPixels(u))],
        setSelect: [
          (u) => {
            if (u.select.width < 4) return;
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onViewChangeRef.current([min, max]);
          },
        ],
      },
      plugins: [tooltipPlugin(layers.kind, () => indexRef.current)],
    };
    const plot = new uPlot(options, [[]], element);
    // A double click resets the zoom, as in most charts (uPlot's own reset would fit the data).
    const reset = () => onViewChangeRef.current(null);
    plot.over.addEventListener('dblclick', reset);
    const stopGestures = touchGestures(
      plot.over,
      () => viewRef.current,
      (next) => onViewChangeRef.current(next),
    );
    plotRef.current = plot;
    return () => {
      plot.over.removeEventListener('dblclick', reset);
      stopGestures();
      plot.destroy();
      plotRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the chart is rebuilt for a new shape (shapeKey), not for new data, which setData below delivers
  }, [shapeKey, themeKey, height, width > 0]);

  useEffect(() => {
    const plot = plotRef.current;
    if (plot && width > 0 && plot.width !== width) {
      plot.setSize({ width, height });
    }
  }, [width, height]);

  // Data and the visible range: new live values are drawn without moving a zoomed view. (Setting
  // the x scale ranges y again, through yRangeRef when the schema bounds it.)
  const [viewMin, viewMax] = view;
  const [yLow, yHigh] = yRange ?? [];
  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    plot.batch(() => {
      plot.setData(aligned.data, false);
      plot.setScale('x', { min: viewMin, max: viewMax });
    });
  }, [aligned, viewMin, viewMax, width, themeKey, shapeKey, height, yLow, yHigh]);

  const span = viewMax - viewMin;
  const centre = (viewMin + viewMax) / 2;
  const pan = (fraction: number) => onViewChange([viewMin + span * fraction, viewMax + span * fraction]);
  const canZoomIn = span / 2 >= MIN_SPAN_SECONDS;
  const queuedCount = layers.pending?.t.length ?? 0;

  return (
    <div className="plot">
      <div
        role="img"
        aria-label={label}
        aria-describedby={describedBy}
        aria-busy={isBusy}
        className="plot-drawing"
      >
        <div ref={containerRef} className="plot-canvas" style={{ height }} />
      </div>
      {(layers.lines.length > 1 || queuedCount > 0) && (
        <div className="plot-keys">
          {layers.lines.length > 1 && (
            <ul className="plot-legend" aria-label="Lines">
              {layers.lines.map((line, i) => (
                <li key={line.label}>
                  <span
                    className="plot-swatch"
                    style={{ background: `var(${PALETTE[i % PALETTE.length]})` }}
                  />
                  {line.label}
                </li>
              ))}
            </ul>
          )}
          {queuedCount > 0 && (
            <p className="plot-pending-key">
              <span className="plot-pending-swatch" aria-hidden />
              {queuedCount === 1 ? '1 value' : `${queuedCount} values`} not sent yet
            </p>
          )}
        </div>
      )}
      <div className="plot-toolbar" role="group" aria-label="Zoom and pan">
        <PlotTool label="Earlier" icon={<ChevronLeft size={18} aria-hidden />} onClick={() => pan(-0.5)} />
        <PlotTool label="Later" icon={<ChevronRight size={18} aria-hidden />} onClick={() => pan(0.5)} />
        <PlotTool
          label="Zoom in"
          icon={<ZoomIn size={18} aria-hidden />}
          disabled={!canZoomIn}
          onClick={() => onViewChange([centre - span / 4, centre + span / 4])}
        />
        <PlotTool
          label="Zoom out"
          icon={<ZoomOut size={18} aria-hidden />}
          onClick={() => onViewChange([viewMin - span / 2, viewMax + span / 2])}
        />
        <PlotTool
          label="Reset zoom"
          icon={<RotateCcw size={18} aria-hidden />}
          disabled={!isZoomed}
          onClick={() => onViewChange(null)}
        />
        <span className="plot-hint plot-hint-mouse muted">Drag across the plot to zoom in.</span>
        <span className="plot-hint plot-hint-touch muted">Swipe to move, pinch to zoom.</span>
      </div>
    </div>
  );
}

/** A toolbar button: icon and word; on a phone the icon alone (the word stays its name). */
function PlotTool({
  label,
  icon,
  disabled = false,
  onClick,
}: {
  label: string;
  icon: ReactNode;
  disabled?: boolean;
  onClick(): void;
}) {
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small plot-tool"
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      {icon}
      <span className="plot-tool-label">{label}</span>
    </button>
  );
}

/**
 * Touch screens: one finger moving sideways pans, two fingers pinch to zoom around their middle.
 * Vertical swipes still scroll the page (`touch-action: pan-y` in plot.css); mice are left to
 * uPlot's drag-to-zoom. Returns the function that removes the listeners.
 */
function touchGestures(
  area: HTMLElement,
  currentView: () => [number, number],
  onView: (view: [number, number]) => void,
): () => void {
  const touches = new Map<number, number>();
  let start: { view: [number, number]; xs: number[] } | undefined;
  const toTime = (x: number, view: [number, number]) => {
    const rect = area.getBoundingClientRect();
    return view[0] + ((x - rect.left) / Math.max(1, rect.width)) * (view[1] - view[0]);
  };
  const begin = () => {
    start = { view: currentView(), xs: [...touches.values()] };
  };
  const onDown = (event: PointerEvent) => {
    if (event.pointerType !== 'touch') return;
    touches.set(event.pointerId, event.clientX);
    area.setPointerCapture?.(event.pointerId);
    begin();
  };
  const onMove = (event: PointerEvent) => {
    if (event.pointerType !== 'touch' || !touches.has(event.pointerId) || !start) return;
    touches.set(event.pointerId, event.clientX);
    const xs = [...touches.values()];
    const [from, to] = start.view;
    const width = Math.max(1, area.getBoundingClientRect().width);
    if (xs.length === 1 && start.xs.length === 1) {
      const shift = ((start.xs[0]! - xs[0]!) / width) * (to - from);
      onView([from + shift, to + shift]);
    } else if (xs.length >= 2 && start.xs.length >= 2) {
      const before = Math.abs(start.xs[1]! - start.xs[0]!);
      const after = Math.abs(xs[1]! - xs[0]!);
      if (before < 10 || after < 10) return;
      // The time under the fingers' first middle stays under their middle now.
      const anchor = toTime((start.xs[0]! + start.xs[1]!) / 2, start.view);
      const span = Math.max(MIN_SPAN_SECONDS, ((to - from) * before) / after);
      const rect = area.getBoundingClientRect();
      const middle = ((xs[0]! + xs[1]!) / 2 - rect.left) / width;
      onView([anchor - middle * span, anchor + (1 - middle) * span]);
    }
  };
  const onUp = (event: PointerEvent) => {
    if (!touches.delete(event.pointerId)) return;
    // The gesture goes on with the fingers left, from where the view is now.
    if (touches.size > 0) begin();
    else start = undefined;
  };
  area.addEventListener('pointerdown', onDown);
  area.addEventListener('pointermove', onMove);
  area.addEventListener('pointerup', onUp);
  area.addEventListener('pointercancel', onUp);
  return () => {
    area.removeEventListener('pointerdown', onDown);
    area.removeEventListener('pointermove', onMove);
    area.removeEventListener('pointerup', onUp);
    area.removeEventListener('pointercancel', onUp);
  };
}
