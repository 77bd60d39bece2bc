import { Cpu, Pencil, Plus, Trash2, Waves } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAppStore, useAppStoreShallow } from '../../store';
import { Breadcrumbs } from '../../ui/Breadcrumbs';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { ObjectIcon } from '../../ui/ObjectIcon';
import { PageHeader } from '../../ui/PageHeader';
import { CachedNotice } from '../sync/CachedNotice';
import { Skeleton } from '../../ui/Skeleton';
import { usePageTitle } from '../../ui/usePageTitle';
import { ApiKeyField } from './ApiKeyField';
import { DeviceFormDialog } from './DeviceFormDialog';
import { iconKindOf } from './iconKindOf';
import { StreamFormDialog } from './StreamFormDialog';
import './devices.css';

/** Devices every user has, which cannot be deleted. */
const BUILT_IN_DEVICES = new Set(['user', 'meta']);

const ROLE_NAMES: Record<string, string> = {
  '': 'None (only itself)',
  reader: 'Reader',
  writer: 'Writer',
  user: 'User (acts as its owner)',
};

/** `/{user}/{device}`: a device's details, its API key and its streams. */
export function DevicePage() {
  const { user = '', device: name = '' } = useParams();
  const key = `${user}/${name}`;
  const navigate = useNavigate();
  const session = useAppStore((s) => s.session);
  const device = useAppStore((s) => s.devices[key]);
  const error = useAppStore((s) => s.objectErrors[key]);
  const streamList = useAppStore((s) => s.streamLists[key]);
  const streams = useAppStoreShallow((s) =>
    (s.streamLists[key]?.value ?? []).flatMap((stream) => s.streams[`${key}/${stream}`] ?? []),
  );
  const loadDevice = useAppStore((s) => s.loadDevice);
  const loadStreams = useAppStore((s) => s.loadStreams);
  const isOnline = useAppStore((s) => s.sync.online);
  const deleteDevice = useAppStore((s) => s.deleteDevice);
  const notify = useAppStore((s) => s.notify);
  const [dialog, setDialog] = useState<'edit' | 'delete' | 'stream'>();
  usePageTitle(device?.nickname || name);

  useEffect(() => {
    void loadDevice(user, name);
    void loadStreams(user, name);
  }, [user, name, loadDevice, loadStreams]);

  const isAdmin = session?.isAdmin ?? false;
  const canEdit = (session?.user === user || isAdmin) && (device?.user_editable ?? true);
  const crumbs = <Breadcrumbs items={[{ label: user, to: `/${user}` }, { label: name }]} />;

  if (error && !device) {
    return (
      <div className="stack-lg">
        {crumbs}
        <div className="card">
          <EmptyState
            icon={<Cpu size={28} />}
            title={isOnline ? `No device “${name}”` : `“${name}” is not on this device`}
            action={
              <Link to={`/${user}`} className="btn btn-primary">
                See {user}&apos;s devices
              </Link>
            }
          >
            {error}
          </EmptyState>
        </div>
      </div>
    );
  }

  return (
    <div className="stack-lg">
      <PageHeader
        breadcrumbs={crumbs}
        icon={<ObjectIcon icon={device?.icon ?? ''} kind="device" size="lg" />}
        title={device ? device.nickname || device.name : name}
        description={device ? device.description || key : <Skeleton height="1rem" width="10rem" />}
        actions={
          device &&
          canEdit && (
            <>
              <button type="button" className="btn" onClick={() => setDialog('edit')}>
                <Pencil size={16} aria-hidden />
                Edit
              </button>
              {!BUILT_IN_DEVICES.has(name) && (
                <button type="button" className="btn" onClick={() => setDialog('delete')}>
                  <Trash2 size={16} aria-hidden />
                  Delete
                </button>
              )}
            </>
          )
        }
      />

      <CachedNotice keys={[`device/${key}`, `streams/${key}`]} />

      <section className="card section" aria-labelledby="access-title">
        <h2 id="access-title">API key and access</h2>
        {device ? (
          <>
            <ApiKeyField user={user} device={device} />
            <dl className="props">
              <dt>Address</dt>
              <dd className="mono">{key}</dd>
              <dt>Access</dt>
              <dd>{ROLE_NAMES[device.role] ?? device.role}</dd>
              <dt>Status</dt>
              <dd>
                {device.enabled ? 'Enabled' : 'Disabled'} · {device.public ? 'Public' : 'Private'} ·{' '}
                {device.visible ? 'Visible' : 'Hidden'}
              </dd>
            </dl>
          </>
        ) : (
          <Skeleton height="6rem" />
        )}
      </section>

      <section className="card section" aria-labelledby="streams-title">
        <div className="section-title">
          <h2 id="streams-title">Streams</h2>
          {canEdit && (
            <button type="button" className="btn btn-primary btn-small" onClick={() => setDialog('stream')}>
              <Plus size={16} aria-hidden />
              Add stream
            </button>
          )}
        </div>
        {streamList?.status === 'error' && !streamList.value && (
          <p className="alert alert-error" role="alert">
            {streamList.error}
          </p>
        )}
        {!streamList?.value && streamList?.status !== 'error' ? (
          <div role="status" aria-label="Loading streams" className="stack" style={{ gap: 'var(--space-2)' }}>
            <Skeleton height="3.5rem" />
            <Skeleton height="3.5rem" />
          </div>
        ) : streams.length === 0 ? (
          <EmptyState icon={<Waves size={28} />} title="No streams yet">
            {name === 'user'
              ? 'Add a stream to rate, count or write things down; it shows up on the Insert page.'
              : `Streams appear here when ${name} creates them with its API key, or add one yourself.`}
          </EmptyState>
        ) : (
          <ul className="list" aria-label="Streams">
            {streams.map((stream) => (
              <li key={stream.name}>
                <Link to={`/${key}/${stream.name}`} className="list-item">
                  <ObjectIcon icon={stream.icon} kind={iconKindOf(stream)} />
                  <span className="list-item-text">
                    <strong>{stream.nickname || stream.name}</strong>
                    <span>{stream.description || stream.name}</span>
                  </span>
                  {(stream.downlink || stream.datatype) && (
                    <span className="list-item-badges">
                      {stream.downlink && <span className="badge badge-accent">downlink</span>}
                      {stream.datatype && <span className="badge">{stream.datatype}</span>}
                    </span>
                  )}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      {device && (
        <DeviceFormDialog
          open={dialog === 'edit'}
          onClose={() => setDialog(undefined)}
          user={user}
          device={device}
          canSetRole={isAdmin}
        />
      )}
      <StreamFormDialog
        open={dialog === 'stream'}
        onClose={() => setDialog(undefined)}
        owner={key}
        onDone={(path) => void navigate(`/${path}`)}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete ${device?.nickname || name}?`}
        confirmLabel="Delete device"
        onClose={() => setDialog(undefined)}
        onConfirm={async () => {
          const result = await deleteDevice(user, name);
          if (!result.ok) return result.error;
          notify(`Deleted ${name}`);
          void navigate(`/${user}`);
          return undefined;
        }}
      >
        Its {streams.length === 1 ? 'stream' : `${streams.length} streams`} and all their data are deleted
        with it, and its API key stops working. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}
