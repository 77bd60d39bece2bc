import { History } from 'lucide-react';
import type { CommandRecord } from '../../../core/downlink';
import { formatValue } from '../../ui/formatTime';
import { CommandStateChip } from './CommandStateBadge';
import { commandOutcomeDetail, commandSender, formatCommandTime, formatDuration } from './commandText';

export interface CommandLogProps {
  label: string;
  path: string;
  /** Newest first, as the state machine keeps them. */
  commands: readonly CommandRecord[];
  /** `user/device` of the viewer, to say "you". */
  viewer: string;
  timeoutSeconds: number;
  nowSeconds: number;
}

/** Past commands, newest first: the value, who sent it and when, and how it ended. Collapsed at first. */
export function CommandLog({ label, path, commands, viewer, timeoutSeconds, nowSeconds }: CommandLogProps) {
  return (
    <details className="command-log">
      <summary>
        <History size={16} aria-hidden />
        <span className="command-log-title">Command log</span>
        <span className="badge">{commands.length}</span>
        <span className="command-log-timeout muted">timeout {formatDuration(timeoutSeconds)}</span>
      </summary>
      {commands.length === 0 ? (
        <p className="muted command-log-empty">No commands yet.</p>
      ) : (
        <ol className="command-list" aria-label={`Commands sent to ${label}, newest first`}>
          {commands.map((record) => (
            <li key={`${record.command.t} ${record.requestedAt}`} className="command-item">
              <span className="command-value">{formatValue(record.command.d)}</span>
              <CommandStateChip record={record} />
              <span className="command-meta">
                <time dateTime={new Date(record.command.t * 1000).toISOString()}>
                  {formatCommandTime(record.command.t, nowSeconds)}
                </time>{' '}
                · by {commandSender(record.command, viewer, path)} ·{' '}
                {commandOutcomeDetail(record, nowSeconds)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
