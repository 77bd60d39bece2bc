import { ArrowLeftRight, CircleCheck, Clock, LoaderCircle, Replace, type LucideIcon } from 'lucide-react';
import { commandStateText, type CommandRecord, type CommandState } from '../../../core/downlink';

const ICONS: Record<CommandState, LucideIcon> = {
  requested: LoaderCircle,
  acknowledged: CircleCheck,
  mismatch: ArrowLeftRight,
  'timed-out': Clock,
  superseded: Replace,
};

/** The state's words with an icon and colour; the words alone carry the meaning. */
export function CommandStateChip({ record }: { record: Pick<CommandRecord, 'state' | 'isLate'> }) {
  const Icon = ICONS[record.state];
  const tone = record.state === 'acknowledged' && record.isLate ? 'late' : record.state;
  return (
    <span className={`state-chip state-${tone}`}>
      <Icon size={14} aria-hidden className={record.state === 'requested' ? 'spin' : undefined} />
      {commandStateText(record)}
    </span>
  );
}

/**
 * The current command's state beside the control, as a live region so a screen reader hears it
 * change: "Sending…" until the server has the command, then the state machine's word.
 */
export function CommandStateBadge({
  record,
  isSending,
}: {
  record: CommandRecord | undefined;
  isSending: boolean;
}) {
  return (
    <p className="command-state" role="status">
      {isSending ? (
        <span className="state-chip state-sending">
          <LoaderCircle size={14} aria-hidden className="spin" />
          Sending…
        </span>
      ) : (
        record && <CommandStateChip record={record} />
      )}
    </p>
  );
}
