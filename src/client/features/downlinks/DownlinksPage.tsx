import { RadioTower, WifiOff } from 'lucide-react';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { OFFLINE_EXPLANATION, useAppStore } from '../../store';
import { EmptyState } from '../../ui/EmptyState';
import { PageHeader } from '../../ui/PageHeader';
import { CardSkeletons } from '../../ui/Skeleton';
import { usePageTitle } from '../../ui/usePageTitle';
import { DownlinkPanel } from './DownlinkPanel';
import { groupByDevice } from './groupByDevice';
import './downlinks.css';

/**
 * `/downlinks`: every downlink stream the person can reach, grouped by device, each with its
 * control, the requested and reported values, the command's state and its log.
 */
export function DownlinksPage() {
  const list = useAppStore((s) => s.downlinkList);
  const loadDownlinkStreams = useAppStore((s) => s.loadDownlinkStreams);
  const streams = useAppStore((s) => s.streams);
  const devices = useAppStore((s) => s.devices);
  const me = useAppStore((s) => s.session?.user ?? '');
  const isOnline = useAppStore((s) => s.isOnline);
  const loadDevice = useAppStore((s) => s.loadDevice);
  usePageTitle('Downlinks');

  useEffect(() => {
    void loadDownlinkStreams();
  }, [loadDownlinkStreams]);

  const groups = groupByDevice(list?.value ?? []);
  const groupKey = groups.map((g) => g.device).join(' ');

  // Device names for the group headings (the list of streams carries only their paths).
  useEffect(() => {
    for (const key of groupKey.split(' ').filter(Boolean)) {
      const [user = '', device = ''] = key.split('/');
      void loadDevice(user, device);
    }
  }, [groupKey, loadDevice]);

  return (
    <div className="stack-lg">
      <PageHeader
        title="Downlinks"
        description="Control your devices. A command shows as Requested until the device reports the value it asked for: only then is it Acknowledged."
      />
      {!isOnline && groups.length > 0 && (
        <p className="alert alert-offline">
          <WifiOff size={16} aria-hidden />
          <span>
            <strong>You are offline — commands are not queued.</strong> {OFFLINE_EXPLANATION}
          </span>
        </p>
      )}
      {list?.status === 'error' && (
        <p className="alert alert-error" role="alert">
          {list.error}
        </p>
      )}
      {!list?.value && list?.status !== 'error' ? (
        <CardSkeletons count={2} height="14rem" />
      ) : groups.length === 0 ? (
        <div className="card">
          <EmptyState
            icon={<RadioTower size={28} />}
            title="No downlinks yet"
            action={<SimulatorHint user={me} />}
          >
            A downlink stream is how a device takes orders — a light switch, a thermostat. You send a command;
            the device confirms it by reporting its new state, so you see both what you asked for and what
            really happened. Tick “Downlink” under “More options” when you edit a stream, or try the device
            simulator:
          </EmptyState>
        </div>
      ) : (
        groups.map((group) => {
          const [user, name = ''] = group.device.split('/');
          const device = devices[group.device];
          const title = (device?.nickname || name) + (user === me ? '' : ` (${user})`);
          const headingId = `dl-${group.device}`;
          return (
            <section key={group.device} className="stack downlink-group" aria-labelledby={headingId}>
              <h2 id={headingId} className="group-title">
                <Link to={`/${group.device}`}>{title}</Link>
              </h2>
              <div className="card-grid downlink-grid">
                {group.paths.map((path) => {
                  const stream = streams[path];
                  return stream ? <DownlinkPanel key={path} path={path} stream={stream} /> : null;
                })}
              </div>
            </section>
          );
        })
      )}
    </div>
  );
}

/** The command that starts the simulator against this server, for the person's own account. */
function SimulatorHint({ user }: { user: string }) {
  const command = `npm run device -- --url ${window.location.origin} --user ${user || '<you>'} --password <your password>`;
  return (
    <div className="simulator-hint">
      <pre className="mono">
        <code>{command}</code>
      </pre>
      <p className="muted">
        It adds a device “Device simulator” with a light and a thermostat that answer commands. Reload this
        page once it prints “simulator ready”.
      </p>
    </div>
  );
}
