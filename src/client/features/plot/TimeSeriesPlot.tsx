/**
 * The uPlot chart, loaded on demand (uPlot is the largest dependency and only stream pages need it).
 * It draws layers (lines, a min/max band, queued points) and reports what the person does: a drag
 * zooms, the toolbar pans and zooms out, a double click resets. The view is controlled by the
 * caller, which fetches data for it (the server's plot data is exact for each window and width).
 */
import { ChevronLeft, ChevronRight, RotateCcw, ZoomOut } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDateTime, formatValue } from '../../ui/formatTime';
import type { PlotLayers } from './plotLayers';
import { timeAxisLabels } from './timeAxisLabels';
import './plot.css';

export interface TimeSeriesPlotProps {
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
    plotRef.current = plot;
    return () => {
      plot.over.removeEventListener('dblclick', reset);
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

  // Data and the visible range: new live values are drawn without moving a zoomed view.
  const [viewMin, viewMax] = view;
  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    plot.batch(() => {
      plot.setData(aligned.data, false);
      plot.setScale('x', { min: viewMin, max: viewMax });
    });
  }, [aligned, viewMin, viewMax, width, themeKey, shapeKey, height]);

  const span = viewMax - viewMin;
  const pan = (fraction: number) => onViewChange([viewMin + span * fraction, viewMax + span * fraction]);

  return (
    <div className="plot">
      <div ref={containerRef} className="plot-canvas" style={{ height }} />
      {layers.lines.length > 1 && (
        <ul className="plot-legend">
          {layers.lines.map((line, i) => (
            <li key={line.label}>
              <span className="plot-swatch" style={{ background: `var(${PALETTE[i % PALETTE.length]})` }} />
              {line.label}
            </li>
          ))}
        </ul>
      )}
      <div className="plot-toolbar" role="group" aria-label="Zoom and pan">
        <button type="button" className="btn btn-ghost btn-small" onClick={() => pan(-0.5)}>
          <ChevronLeft size={16} aria-hidden />
          Earlier
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => pan(0.5)}>
          Later
          <ChevronRight size={16} aria-hidden />
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => onViewChange([viewMin - span / 2, viewMax + span / 2])}
        >
          <ZoomOut size={16} aria-hidden />
          Zoom out
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          disabled={!isZoomed}
          onClick={() => onViewChange(null)}
        >
          <RotateCcw size={16} aria-hidden />
          Reset zoom
        </button>
        <span className="plot-hint muted">Drag across the plot to zoom in.</span>
      </div>
    </div>
  );
}
