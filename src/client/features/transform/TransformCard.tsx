import { BookOpen, Download, Play, Wand2 } from 'lucide-react';
import { Suspense, useCallback, useMemo, useState, type FormEvent } from 'react';
import type { Datapoint } from '../../../core/model';
import { useAppStore } from '../../store';
import type { DataWindow } from '../../store/dataSlice';
import { formatDateTime, formatValue } from '../../ui/formatTime';
import { Skeleton } from '../../ui/Skeleton';
import { useTheme } from '../../ui/useTheme';
import { layersFromModel } from '../plot/plotLayers';
import { buildPlotModel } from '../plot/plotModel';
import { toCsv } from '../stream/toCsv';
import { TransformReference } from './TransformReference';
import { browserTimeZone, transformPresets } from './transformPresets';
import './transform.css';
import { lazyWithPreload } from '../../ui/lazyWithPreload';

const TimeSeriesPlot = lazyWithPreload(() => import('../plot/TimeSeriesPlot').then((m) => m.TimeSeriesPlot));

export interface TransformCardProps {
  path: string;
  label: string;
  /** The data window the page shows; the transform runs over the same one. */
  window: DataWindow;
}

const SHOWN_ROWS = 200;

/** A PipeScript box for a stream: presets, a reference one click away, the result plotted and tabled. */
export function TransformCard({ path, label, window }: TransformCardProps) {
  const result = useAppStore((s) => s.transformResults[path]);
  const runTransform = useAppStore((s) => s.runTransform);
  const clearTransform = useAppStore((s) => s.clearTransform);
  const [source, setSource] = useState('');
  const [isReferenceOpen, setReferenceOpen] = useState(false);
  const presets = useMemo(() => transformPresets(browserTimeZone()), []);
  const { isDark } = useTheme();
  const [zoom, setZoom] = useState<[number, number] | null>(null);

  const run = (script: string) => {
    setSource(script);
    setZoom(null);
    if (script.trim()) void runTransform(path, script.trim(), window);
    else clearTransform(path);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    run(source);
  };
  const onViewChange = useCallback((view: [number, number] | null) => setZoom(view), []);

  const points: Datapoint[] = useMemo(() => (result?.status === 'ready' ? result.points : []), [result]);
  const model = useMemo(() => buildPlotModel(points, `${label} (transformed)`), [points, label]);
  const range: [number, number] = useMemo(() => {
    const first = points[0]?.t ?? 0;
    const last = points.at(-1)?.t ?? 1;
    const margin = Math.max((last - first) * 0.02, 1800);
    return [first - margin, last + margin];
  }, [points]);
  const view = zoom ?? range;

  const download = () => {
    const url = URL.createObjectURL(new Blob([toCsv(points)], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${path.replace(/\//g, '-')}-transformed.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className="card section" aria-labelledby="transform-title">
      <div className="section-title">
        <h2 id="transform-title">Transform</h2>
        <button type="button" className="btn btn-small" onClick={() => setReferenceOpen(true)}>
          <BookOpen size={16} aria-hidden />
          Transform reference
        </button>
      </div>
      <form className="transform-form" onSubmit={onSubmit}>
        <label className="field transform-field">
          <span className="field-label">Transform</span>
          <input
            className="input mono"
            value={source}
            onChange={(event) => setSource(event.target.value)}
            placeholder="e.g. if $ > 5, or sum | if last"
            spellCheck={false}
            autoCapitalize="off"
            aria-invalid={result?.status === 'error'}
            aria-describedby="transform-status"
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={result?.status === 'running'}>
          <Play size={16} aria-hidden />
          Run
        </button>
      </form>
      <div className="transform-presets" role="group" aria-label="Transform presets">
        <Wand2 size={16} aria-hidden className="muted" />
        {presets.map((preset) => (
          <button
            key={preset.label}
            type="button"
            className="btn btn-small"
            onClick={() => run(preset.script)}
          >
            {preset.label}
          </button>
        ))}
      </div>

      <div id="transform-status" className="transform-status" aria-live="polite">
        {result?.status === 'running' && <span className="muted">Running…</span>}
        {result?.status === 'error' && (
          <p className="field-error" role="alert">
            {result.error}
          </p>
        )}
        {result?.status === 'ready' && (
          <p className="muted">
            {result.points.length} value{result.points.length === 1 ? '' : 's'}
            {result.ranOn === 'browser'
              ? ' — computed on this device from the values loaded here, because the server cannot be reached.'
              : '.'}
          </p>
        )}
      </div>

      {result?.status === 'ready' && (model.kind === 'numeric' || model.kind === 'boolean') && (
        <div className="plot-frame">
          <Suspense fallback={<Skeleton height="240px" />}>
            <TimeSeriesPlot
              label={`Plot of ${label} (transformed)`}
              layers={layersFromModel(model, view, 800)}
              view={view}
              isZoomed={zoom !== null}
              onViewChange={onViewChange}
              themeKey={isDark ? 'dark' : 'light'}
              height={220}
            />
          </Suspense>
        </div>
      )}

      {result?.status === 'ready' && points.length > 0 && (
        <>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">Result of the transform, newest first</caption>
              <thead>
                <tr>
                  <th scope="col" className="time-col">
                    Time
                  </th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {points
                  .slice(-SHOWN_ROWS)
                  .reverse()
                  .map((point, i) => (
                    <tr key={`${point.t}-${i}`}>
                      <td className="nowrap">{formatDateTime(point.t, true)}</td>
                      <td>{formatValue(point.d)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          <div className="transform-footer">
            {points.length > SHOWN_ROWS && (
              <span className="muted">
                Showing the newest {SHOWN_ROWS} of {points.length}.
              </span>
            )}
            <button type="button" className="btn btn-small" onClick={download}>
              <Download size={16} aria-hidden />
              Download result as CSV
            </button>
          </div>
        </>
      )}

      <TransformReference
        open={isReferenceOpen}
        onClose={() => setReferenceOpen(false)}
        onPick={(name) => {
          setSource((current) => (current ? `${current} | ${name}` : name));
          setReferenceOpen(false);
        }}
      />
    </section>
  );
}
