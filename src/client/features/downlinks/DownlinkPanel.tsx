import { ChartLine, CircleAlert, RefreshCw, WifiOff } from 'lucide-react';
import { useCallback, useEffect, useId, useMemo } from 'react';
import { Link } from 'react-router';
import { isPending, valuesMatch } from '../../../core/downlink';
import type { Stream } from '../../../core/model';
import { OFFLINE_EXPLANATION, OFFLINE_REASON, useAppStore } from '../../store';
import { formatRelativeTime, formatValue } from '../../ui/formatTime';
import { ObjectIcon } from '../../ui/ObjectIcon';
import { useNow } from '../../ui/useNow';
import { iconKindOf } from '../devices/iconKindOf';
import { chooseDownlinkControl, describeControl } from './chooseDownlinkControl';
import { CommandLog } from './CommandLog';
import { CommandStateBadge } from './CommandStateBadge';
import { commandSender, formatCommandTime, timeLeftText } from './commandText';
import { DownlinkControl } from './DownlinkControl';
import '../entry/entry.css';
import './downlinks.css';

export interface DownlinkPanelProps {
  /** `user/device/stream`. */
  path: string;
  stream: Stream;
  /**
   * `card`: one stream among many on the Downlinks page, a region named by the stream; `section`:
   * on the stream's own page, under the heading "Send to the device".
   */
  variant?: 'card' | 'section';
}

/**
 * A downlink stream's control with the truth beside it: what was requested, what the device
 * reports, the command's state (requested → acknowledged | mismatch | timed out), and the log.
 */
export function DownlinkPanel({ path, stream, variant = 'card' }: DownlinkPanelProps) {
  const id = useId();
  const label = stream.nickname || stream.name;
  const view = useAppStore((s) => s.downlinks[path]);
  const isOnline = useAppStore((s) => s.isOnline);
  const liveness = useAppStore((s) => s.downlinkLiveness);
  const viewer = useAppStore((s) => (s.session ? `${s.session.user}/${s.session.device}` : ''));
  const watchDownlink = useAppStore((s) => s.watchDownlink);
  const refreshDownlink = useAppStore((s) => s.refreshDownlink);
  const sendCommand = useAppStore((s) => s.sendCommand);
  const choice = useMemo(() => chooseDownlinkControl(stream.schema), [stream.schema]);

  useEffect(() => watchDownlink(path), [path, watchDownlink]);

  const machine = view?.machine;
  const current = machine?.commands[0];
  const reported = machine?.reported?.point;
  const isWaiting = current !== undefined && isPending(current);
  // A countdown while waiting; otherwise the "2 minutes ago" labels refresh now and then.
  const tickedNow = useNow(isWaiting ? 1_000 : 30_000);
  // Never before the latest event: the clock above may be up to one interval old.
  const now = Math.max(tickedNow, machine?.clock ?? -Infinity);
  const isSending = view?.sending !== undefined && view.sending.previous === current?.command;
  const isFirstLoad = !view?.hasLoaded;
  const reasonId = `${id}-reason`;
  const send = useCallback((value: unknown) => void sendCommand(path, value), [path, sendCommand]);

  const body = (
    <>
      <div
        className={`downlink-control-row downlink-control-row-${choice.kind === 'switch' ? 'switch' : 'field'}`}
      >
        <div className="downlink-control">
          <DownlinkControl
            choice={choice}
            label={label}
            schema={stream.schema}
            reported={reported}
            requested={current?.command}
            isPending={isWaiting && !valuesMatch(current.command.d, reported?.d, machine?.numberTolerance)}
            isSending={isSending}
            isDisabled={!isOnline || (choice.kind === 'switch' && isFirstLoad)}
            disabledReasonId={isOnline ? undefined : reasonId}
            onSend={send}
          />
        </div>
        <CommandStateBadge record={current} isSending={isSending} />
      </div>

      <dl className="downlink-values">
        <div className={isWaiting ? 'downlink-value is-waiting' : 'downlink-value'}>
          <dt>Requested</dt>
          <dd>
            {current ? (
              <>
                <strong>{formatValue(current.command.d)}</strong>
                <span className="muted">
                  {' '}
                  · {formatCommandTime(current.command.t, now)} by{' '}
                  {commandSender(current.command, viewer, path)}
                  {isWaiting && ` · ${timeLeftText(current, now)}`}
                </span>
              </>
            ) : (
              <span className="muted">{isFirstLoad ? '\u00a0' : 'Nothing yet'}</span>
            )}
          </dd>
        </div>
        <div className="downlink-value">
          <dt>Reported</dt>
          <dd>
            {reported ? (
              <>
                <strong>{formatValue(reported.d)}</strong>
                <span className="muted"> · {formatRelativeTime(reported.t, now)}</span>
              </>
            ) : (
              <span className="muted">{isFirstLoad ? '\u00a0' : 'No report yet'}</span>
            )}
          </dd>
        </div>
      </dl>

      {!isOnline ? (
        <p id={reasonId} className="downlink-note downlink-note-offline">
          <WifiOff size={16} aria-hidden />
          <span>
            {OFFLINE_REASON}
            {/* On the Downlinks page a banner explains why, once for all the controls. */}
            {variant === 'section' && ` ${OFFLINE_EXPLANATION}`}
          </span>
        </p>
      ) : (
        liveness === 'interrupted' && (
          <p className="downlink-note">
            <RefreshCw size={16} aria-hidden />
            Live updates interrupted — reconnecting. What is shown may be out of date.
          </p>
        )
      )}
      {view?.status === 'error' && (
        <div className="entry-error downlink-error" role="alert">
          <CircleAlert size={16} aria-hidden />
          <span>Could not read the command history: {view.error}</span>
          <button type="button" className="btn btn-small" onClick={() => void refreshDownlink(path)}>
            Retry
          </button>
        </div>
      )}
      {view?.sendError && (
        <p className="entry-error" role="alert">
          <CircleAlert size={16} aria-hidden /> Not sent: {view.sendError}
        </p>
      )}

      <CommandLog
        label={label}
        path={path}
        commands={machine?.commands ?? []}
        viewer={viewer}
        timeoutSeconds={machine?.timeoutSeconds ?? 0}
        nowSeconds={now}
      />
    </>
  );

  if (variant === 'section') {
    return (
      <section className="card section downlink-panel" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`} className="downlink-section-title">
          Send to the device
        </h2>
        {body}
      </section>
    );
  }

  return (
    <section className="card downlink-panel" role="region" aria-label={label}>
      <div className="card-header">
        <ObjectIcon icon={stream.icon} kind={iconKindOf(stream)} />
        <div className="card-title">
          <h3>{label}</h3>
          <p>{stream.description || describeControl(choice)}</p>
        </div>
        <Link
          to={`/${path}`}
          className="btn btn-ghost btn-icon btn-small"
          aria-label={`Plot and data of ${label}`}
        >
          <ChartLine size={18} aria-hidden />
        </Link>
      </div>
      {body}
    </section>
  );
}
