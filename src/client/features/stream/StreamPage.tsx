import { CloudOff, Pencil, Trash2, Waves } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAppStore, withPendingPoints } from '../../store';
import { Breadcrumbs } from '../../ui/Breadcrumbs';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { ObjectIcon } from '../../ui/ObjectIcon';
import { PageHeader } from '../../ui/PageHeader';
import { Skeleton } from '../../ui/Skeleton';
import { usePageTitle } from '../../ui/usePageTitle';
import { iconKindOf } from '../devices/iconKindOf';
import { StreamFormDialog } from '../devices/StreamFormDialog';
import { DownlinkPanel } from '../downlinks/DownlinkPanel';
import { sendsCommands } from '../downlinks/sendsCommands';
import { StreamInput } from '../entry/StreamInput';
import { CachedNotice } from '../sync/CachedNotice';
import { TransformCard } from '../transform/TransformCard';
import { canWriteStream } from './canWriteStream';
import { DataTable } from './DataTable';
import { PlotCard } from './PlotCard';
import { DEFAULT_PRESET, presetWindow, type RangePresetId } from './timeRanges';
import './stream.css';

/**
 * `/{user}/{device}/{stream}`: the stream's header, its input when allowed, the plot, the table and
 * a PipeScript transform of the same window.
 */
export function StreamPage() {
  const { user = '', device = '', stream: name = '' } = useParams();
  const path = `${user}/${device}/${name}`;
  const navigate = useNavigate();
  const session = useAppStore((s) => s.session);
  const stream = useAppStore((s) => s.streams[path]);
  const error = useAppStore((s) => s.objectErrors[path]);
  const series = useAppStore((s) => s.series[path]);
  const isEmpty = useAppStore((s) => s.latest[path]?.status === 'ready' && s.latest[path]?.value === null);
  const loadLatest = useAppStore((s) => s.loadLatest);
  const loadStream = useAppStore((s) => s.loadStream);
  const loadSeries = useAppStore((s) => s.loadSeries);
  const subscribeLive = useAppStore((s) => s.subscribeLive);
  const pending = useAppStore((s) => s.pendingPoints[path]);
  const isOnline = useAppStore((s) => s.sync.online);
  const watchPendingPoints = useAppStore((s) => s.watchPendingPoints);
  const deleteStream = useAppStore((s) => s.deleteStream);
  const notify = useAppStore((s) => s.notify);
  const [preset, setPreset] = useState<RangePresetId>(DEFAULT_PRESET);
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const label = stream ? stream.nickname || stream.name : name;
  usePageTitle(label);

  useEffect(() => {
    void loadStream(path);
    void loadLatest(path);
    return subscribeLive(path);
  }, [path, loadStream, loadLatest, subscribeLive]);

  useEffect(() => {
    void loadSeries(path, presetWindow(preset, Date.now() / 1000));
  }, [path, preset, loadSeries]);

  // Values still on this device show at once (issue #4): in the table among the server's,
  // marked; in the plot as its pending layer. Refused ones only in the table (and the queue).
  useEffect(() => watchPendingPoints(path), [path, watchPendingPoints]);
  const serverPoints = useMemo(() => series?.points ?? [], [series?.points]);
  const points = useMemo(
    () => withPendingPoints(serverPoints, pending, series?.window),
    [serverPoints, series?.window, pending],
  );
  const queued = useMemo(
    () => (pending ?? []).flatMap((p) => (p.state === 'rejected' ? [] : [{ t: p.t, d: p.d }])),
    [pending],
  );
  // The right edge of a preset moves on with each new value, so live values stay in view. Read
  // the clock only when the data or the preset change, not on every render.
  const nowSeconds = useMemo(
    () => Math.max(Date.now() / 1000, points.at(-1)?.t ?? 0),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `preset` is a reason to read the clock again
    [points, preset],
  );

  const crumbs = (
    <Breadcrumbs
      items={[{ label: user, to: `/${user}` }, { label: device, to: `/${user}/${device}` }, { label: name }]}
    />
  );

  if (error && !stream) {
    return (
      <div className="stack-lg">
        {crumbs}
        <div className="card">
          <EmptyState
            icon={<Waves size={28} />}
            title={isOnline ? `No stream “${name}”` : `“${name}” is not on this device`}
            action={
              <Link to={`/${user}/${device}`} className="btn btn-primary">
                See the streams of {device}
              </Link>
            }
          >
            {error}
          </EmptyState>
        </div>
      </div>
    );
  }

  const canEdit = session?.user === user || session?.isAdmin === true;
  const isLoading = !series || series.status === 'loading';
  const isRangeMissingOffline = series?.status === 'error' && !isOnline;

  return (
    <div className="stack-lg">
      <PageHeader
        breadcrumbs={crumbs}
        icon={
          <ObjectIcon icon={stream?.icon ?? ''} kind={stream ? iconKindOf(stream) : 'stream'} size="lg" />
        }
        title={label}
        description={stream ? stream.description || path : <Skeleton height="1rem" width="12rem" />}
        actions={
          stream &&
          canEdit && (
            <>
              <button type="button" className="btn" onClick={() => setDialog('edit')}>
                <Pencil size={16} aria-hidden />
                Edit
              </button>
              <button type="button" className="btn" onClick={() => setDialog('delete')}>
                <Trash2 size={16} aria-hidden />
                Delete
              </button>
            </>
          )
        }
      />
      {stream && (
        <ul className="stream-facts" aria-label="About this stream">
          {stream.datatype && (
            <li className="badge badge-accent" title="Datatype">
              {stream.datatype}
            </li>
          )}
          {stream.downlink && <li className="badge">downlink</li>}
          {stream.ephemeral && <li className="badge">ephemeral: not stored</li>}
          {stream.tags.map((tag) => (
            <li key={tag} className="badge">
              #{tag}
            </li>
          ))}
          <li className="stream-details-item">
            <details className="stream-details">
              <summary>Details</summary>
              <dl className="stream-details-list">
                <dt>Path</dt>
                <dd className="mono">{path}</dd>
                <dt>Schema</dt>
                <dd>
                  <code className="mono">{stream.schema}</code>
                </dd>
              </dl>
            </details>
          </li>
        </ul>
      )}

      {stream && sendsCommands(session, path, stream) && (
        <DownlinkPanel path={path} stream={stream} variant="section" />
      )}
      {stream && canWriteStream(session, path, stream) && !sendsCommands(session, path, stream) && (
        <section className="card section" aria-labelledby="input-title">
          <h2 id="input-title">
            {stream.downlink && !path.startsWith(`${session?.user}/${session?.device}/`)
              ? 'Send to the device'
              : 'Add a value'}
          </h2>
          <StreamInput path={path} stream={stream} isLabelVisible />
        </section>
      )}

      {isRangeMissingOffline ? (
        // One note, not two: the stream may be cached, but what matters is that its values are not.
        <p className="alert alert-info cache-notice" role="note">
          <CloudOff size={16} aria-hidden />
          <span>
            You are offline, and this range has not been opened on this device yet.{' '}
            {queued.length > 0
              ? `Only the ${queued.length === 1 ? 'value' : `${queued.length} values`} waiting to be sent ${queued.length === 1 ? 'is' : 'are'} shown.`
              : 'Its values are shown once you are back online.'}
          </span>
        </p>
      ) : (
        <CachedNotice keys={[`stream/${path}`, `data/${path}`]} />
      )}
      {series?.status === 'error' && isOnline && (
        <p className="alert alert-error" role="alert">
          Could not read the values: {series.error}
        </p>
      )}

      <PlotCard
        path={path}
        schema={stream?.schema}
        label={label}
        points={serverPoints}
        pending={queued}
        isLoading={isLoading}
        isStreamEmpty={isEmpty}
        preset={preset}
        onPreset={setPreset}
        nowSeconds={nowSeconds}
      />
      <DataTable label={label} path={path} points={points} isLoading={isLoading} />
      <TransformCard path={path} label={label} window={series?.window ?? presetWindow(preset, nowSeconds)} />

      {stream && (
        <StreamFormDialog
          open={dialog === 'edit'}
          onClose={() => setDialog(undefined)}
          owner={`${user}/${device}`}
          stream={stream}
        />
      )}
      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete ${label}?`}
        confirmLabel="Delete stream"
        onClose={() => setDialog(undefined)}
        onConfirm={async () => {
          const result = await deleteStream(path);
          if (!result.ok) return result.error;
          notify(`Deleted ${label}`);
          void navigate(device === 'user' ? '/' : `/${user}/${device}`);
          return undefined;
        }}
      >
        All of its values are deleted with it. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}
