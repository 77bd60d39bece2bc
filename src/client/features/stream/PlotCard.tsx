import { ChartLine, Radio } from 'lucide-react';
import { Suspense, useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { Datapoint } from '../../../core/model';
import { describeSchema } from '../../../core/schema/describeSchema';
import type { PlotData } from '../../../sdk';
import { useAppStore } from '../../store';
import { EmptyState } from '../../ui/EmptyState';
import { formatDateTime } from '../../ui/formatTime';
import { Skeleton } from '../../ui/Skeleton';
import { useTheme } from '../../ui/useTheme';
import { layersFromPlotData, layersFromPoints, type PlotLayers } from '../plot/plotLayers';
import { buildPlotModel } from '../plot/plotModel';
import { presetById, RANGE_PRESETS, visibleRange, type RangePresetId } from './timeRanges';
import { lazyWithPreload } from '../../ui/lazyWithPreload';

const TimeSeriesPlot = lazyWithPreload(() => import('../plot/TimeSeriesPlot').then((m) => m.TimeSeriesPlot));

export interface PlotCardProps {
  path: string;
  label: string;
  /** The stream's JSON Schema (a string): numbers and booleans are plotted from the server's rollups. */
  schema: string | undefined;
  /** The datapoints the page holds (the table's), including values that arrived live. */
  points: Datapoint[];
  /** Values queued on this device and not yet on the server, drawn as pending. */
  pending?: Datapoint[];
  isLoading: boolean;
  /** The stream has no value at all (not just none in this range). */
  isStreamEmpty: boolean;
  preset: RangePresetId;
  onPreset(preset: RangePresetId): void;
  /** Reading time of the data (unix seconds), the right edge of a preset's range. */
  nowSeconds: number;
}

const PLOT_HEIGHT = 260;
/** A new window is asked for once the view has moved by this fraction of its span. */
const REFETCH_FRACTION = 0.02;
const FETCH_DELAY_MS = 120;

/**
 * Whether the server can plot the stream from its rollups: streams of numbers or booleans (by
 * schema, or by their values when the schema does not say).
 */
export function serverPlotKind(
  schema: string | undefined,
  points: readonly Datapoint[],
): 'numeric' | 'boolean' | undefined {
  const shape = describeSchema(schema ?? '{}');
  if (shape.kind === 'number') return 'numeric';
  if (shape.kind === 'boolean') return 'boolean';
  if (shape.kind !== 'any' || points.length === 0) return undefined;
  if (points.every((p) => typeof p.d === 'number')) return 'numeric';
  if (points.every((p) => typeof p.d === 'boolean')) return 'boolean';
  return undefined;
}

/** The latest datapoint time the server's plot data includes (its last column, or the point after it). */
function lastTimeCovered(data: PlotData): number {
  const { tLast } = data.m4;
  return Math.max(tLast.length > 0 ? tLast[tLast.length - 1]! : -Infinity, data.after?.t ?? -Infinity);
}

/**
 * A short text alternative of the plot: how many values, over when, and how many of them wait on
 * this device (drawn as hollow markers).
 */
export function summarisePlot(points: readonly Datapoint[], pending: readonly Datapoint[] = []): string {
  const all = pending.length === 0 ? points : [...points, ...pending].sort((a, b) => a.t - b.t);
  const first = all[0];
  const last = all.at(-1);
  if (!first || !last) return 'No values in this range.';
  const queued =
    pending.length === 0
      ? ''
      : pending.length === all.length
        ? `, ${pending.length === 1 ? 'not' : 'none of them'} sent yet`
        : `, ${pending.length} of them not sent yet`;
  return `${all.length} value${all.length === 1 ? '' : 's'} from ${formatDateTime(first.t)} to ${formatDateTime(last.t)}${queued}. The table below lists them.`;
}

/** The y range a stream's schema sets (a rating from 0 to 10), when it bounds both ends. */
export function schemaYRange(schema: string | undefined): [number, number] | undefined {
  const shape = describeSchema(schema ?? '{}');
  if (shape.kind !== 'number' || shape.minimum === undefined || shape.maximum === undefined) return undefined;
  return shape.maximum > shape.minimum ? [shape.minimum, shape.maximum] : undefined;
}

/** The plot with its range presets; the chart itself loads with uPlot on first use. */
export function PlotCard({
  path,
  label,
  schema,
  points,
  pending,
  isLoading,
  isStreamEmpty: isServerEmpty,
  preset,
  onPreset,
  nowSeconds,
}: PlotCardProps) {
  const { isDark } = useTheme();
  const summaryId = useId();
  const liveState = useAppStore((s) => s.liveState);
  const isOnline = useAppStore((s) => s.sync.online);
  const plot = useAppStore((s) => s.plots[path]);
  const firstT = useAppStore((s) => s.firstTimes[path]);
  const loadPlot = useAppStore((s) => s.loadPlot);
  const loadFirstTime = useAppStore((s) => s.loadFirstTime);
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  const [widthPx, setWidthPx] = useState(0);
  const queued = useMemo(() => pending ?? [], [pending]);
  const serverKind = serverPlotKind(schema, points.length > 0 ? points : queued);
  const yRange = useMemo(() => schemaYRange(schema), [schema]);
  // Values queued here are values of the stream, even when the server has none yet.
  const isStreamEmpty = isServerEmpty && queued.length === 0;

  // A new preset shows the preset's range again.
  useEffect(() => setZoom(null), [preset, path]);
  useEffect(() => {
    if (serverKind && preset === 'all' && firstT === undefined) void loadFirstTime(path);
  }, [serverKind, preset, firstT, path, loadFirstTime]);

  const earliest = Math.min(points[0]?.t ?? Infinity, queued[0]?.t ?? Infinity);
  const latest = Math.max(points.at(-1)?.t ?? -Infinity, queued.at(-1)?.t ?? -Infinity);
  const presetRange = visibleRange(
    preset,
    nowSeconds,
    firstT ?? (Number.isFinite(earliest) ? earliest : undefined),
    Number.isFinite(latest) ? latest : (firstT ?? undefined),
  );
  const view = zoom ?? presetRange;

  // Ask the server for the view at the plot's width; round the window so a view that creeps
  // forward with live values does not ask again for every new value (those are drawn on top).
  const span = view[1] - view[0];
  const step = Math.max(span * REFETCH_FRACTION, 1e-3);
  const fetchFrom = zoom ? view[0] : Math.floor(view[0] / step) * step;
  const fetchTo = zoom ? view[1] : Math.ceil(view[1] / step) * step;
  useEffect(() => {
    if (!serverKind || widthPx === 0 || isServerEmpty || !(fetchTo > fetchFrom)) return;
    const timer = setTimeout(() => void loadPlot(path, [fetchFrom, fetchTo], widthPx), FETCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [serverKind, path, fetchFrom, fetchTo, widthPx, isServerEmpty, loadPlot]);

  // Offline (or if the server cannot plot) before any answer, draw what this device holds — the
  // cached points and the queued ones — in the browser instead.
  const hasLocalValues = points.length > 0 || queued.length > 0;
  const drawsServerData =
    serverKind !== undefined && !(plot?.status === 'error' && !plot.data && hasLocalValues);
  // The browser-side path reduces its points for the view; the server path got them reduced.
  const clientFrom = drawsServerData ? 0 : view[0];
  const clientTo = drawsServerData ? 0 : view[1];
  const layers = useMemo((): PlotLayers | undefined => {
    if (serverKind && drawsServerData) {
      // Until the first answer, an empty chart: it measures the width the request needs.
      if (!plot?.data) return { kind: serverKind, lines: [{ label, t: [], v: [] }] };
      // Values newer than anything the plot data holds arrived live after it was read.
      const covered = lastTimeCovered(plot.data);
      return layersFromPlotData(plot.data, {
        label,
        kind: serverKind,
        later: points.filter((p) => p.t > covered),
        pending: queued,
      });
    }
    return layersFromPoints(points, queued, {
      label,
      kind: serverKind,
      range: [clientFrom, clientTo],
      widthPx: widthPx || 800,
    });
  }, [serverKind, drawsServerData, plot, points, queued, label, clientFrom, clientTo, widthPx]);

  const onViewChange = useCallback((next: [number, number] | null) => setZoom(next), []);
  const model = drawsServerData || layers ? undefined : buildPlotModel(points, label);
  const hasPlotError = drawsServerData && plot?.status === 'error';

  let body;
  if (layers && !(drawsServerData && (isStreamEmpty || hasPlotError))) {
    body = (
      <Suspense
        fallback={
          <div role="img" aria-label={`Plot of ${label}`} aria-busy className="plot-drawing">
            <Skeleton height={`${PLOT_HEIGHT + 40}px`} />
          </div>
        }
      >
        <TimeSeriesPlot
          label={`Plot of ${label}`}
          describedBy={summaryId}
          isBusy={plot?.status === 'loading'}
          yRange={yRange}
          layers={layers}
          view={view}
          isZoomed={zoom !== null}
          onViewChange={onViewChange}
          onWidthChange={setWidthPx}
          themeKey={isDark ? 'dark' : 'light'}
          height={PLOT_HEIGHT}
        />
      </Suspense>
    );
  } else if (isLoading && !serverKind) {
    body = <Skeleton height={`${PLOT_HEIGHT + 40}px`} />;
  } else if (isStreamEmpty || model?.kind === 'empty' || hasPlotError) {
    const isAll = preset === 'all' || isStreamEmpty;
    const isError = hasPlotError && !isStreamEmpty;
    body = (
      <EmptyState
        icon={<ChartLine size={28} />}
        title={
          isError
            ? isOnline
              ? 'The plot could not be loaded'
              : 'Not on this device yet'
            : isAll
              ? 'No values yet'
              : `No values in the ${presetById(preset).title.toLowerCase()}`
        }
        action={
          isError ? (
            <button
              type="button"
              className="btn"
              onClick={() => void loadPlot(path, [fetchFrom, fetchTo], widthPx || 800)}
            >
              Try again
            </button>
          ) : (
            !isAll && (
              <button type="button" className="btn" onClick={() => onPreset('all')}>
                Show everything
              </button>
            )
          )
        }
      >
        {isError
          ? isOnline
            ? plot?.error
            : 'This range has not been opened on this device yet. It is plotted once you are online.'
          : isAll
            ? 'Values appear here as soon as they are saved, live.'
            : 'Try a longer range.'}
      </EmptyState>
    );
  } else {
    body = (
      <EmptyState icon={<ChartLine size={28} />} title="These values are not numbers">
        Text and other values are listed in the table below.
      </EmptyState>
    );
  }

  return (
    <section className="card section" aria-labelledby="plot-title">
      <div className="section-title plot-header">
        <h2 id="plot-title">Plot</h2>
        {liveState === 'open' && (
          <span className="badge live-badge" title="New values appear as they are saved">
            <Radio size={12} aria-hidden />
            Live
          </span>
        )}
        <div className="segmented" role="group" aria-label="Time range">
          {RANGE_PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              aria-pressed={preset === p.id}
              title={p.title}
              onClick={() => onPreset(p.id)}
            >
              {p.label}
            </button>
          ))}
        </div>
      </div>
      {/* Only the drawing is the img (TimeSeriesPlot); its controls, legend and empty states are
          beside it, where screen readers reach them. */}
      <div className="plot-frame">{body}</div>
      <p id={summaryId} className="visually-hidden">
        {summarisePlot(points, queued)}
      </p>
    </section>
  );
}
