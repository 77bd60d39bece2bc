import { CircleAlert, CircleCheck, CloudOff, LoaderCircle, Send, Trash2 } from 'lucide-react';
import { Suspense, useEffect, useId, useMemo } from 'react';
import { Link } from 'react-router';
import type { Stream } from '../../../core/model';
import { isPendingPoint, useAppStore, type Entry } from '../../store';
import { formatRelativeTime, formatShortTime } from '../../ui/formatTime';
import { Skeleton } from '../../ui/Skeleton';
import { useNow } from '../../ui/useNow';
import { chooseWidget, type WidgetChoice } from './chooseWidget';
import { describeEntryValue } from './describeEntryValue';
import { JsonInput } from './JsonInput';
import { NumberInput } from './NumberInput';
import { StarRating } from './StarRating';
import { TextInput } from './TextInput';
import { TimeChooser } from './TimeChooser';
import { ToggleInput } from './ToggleInput';
import { loadSchemaValidator } from './checkAgainstSchema';
import { useStreamInsert, type InsertStatus } from './useStreamInsert';
import './entry.css';
import { lazyWithPreload } from '../../ui/lazyWithPreload';

// Generated forms bring react-hook-form: loaded only for streams with an object or enum schema.
const SchemaForm = lazyWithPreload(() => import('./SchemaForm').then((m) => m.SchemaForm));

export interface StreamInputProps {
  /** `user/device/stream`. */
  path: string;
  stream: Stream;
  /** Show the stream's name as the input's label (hidden, but still announced, under a card heading). */
  isLabelVisible?: boolean;
}

/** The input for one stream — widget chosen by datatype then schema — with its time and outcome. */
export function StreamInput({ path, stream, isLabelVisible = false }: StreamInputProps) {
  const choice = useMemo(() => chooseWidget(stream), [stream]);
  const label = stream.nickname || stream.name;
  const id = useId();
  const insert = useStreamInsert(path, stream);
  const latest = useAppStore((s) => s.latest[path]);
  const loadLatest = useAppStore((s) => s.loadLatest);
  const subscribeLive = useAppStore((s) => s.subscribeLive);
  const session = useAppStore((s) => s.session);
  const isOnline = useAppStore((s) => s.sync.online);
  const last = latest?.value;
  // A command to another device is sent at once or not at all: never queued for later.
  const isCommand = !session || !path.startsWith(`${session.user}/${session.device}/`);
  const isOfflineCommand = isCommand && !isOnline;

  useEffect(() => {
    void loadLatest(path);
    return subscribeLive(path);
  }, [path, loadLatest, subscribeLive]);

  // The validator is not part of the page's first download, but it is fetched as soon as an input
  // is on screen: the first value is checked without waiting, and offline too.
  useEffect(() => {
    loadSchemaValidator().catch(() => undefined);
  }, []);

  const widget = (() => {
    switch (choice.kind) {
      case 'stars':
        return (
          <StarRating
            label={label}
            min={choice.min}
            max={choice.max}
            value={typeof last?.d === 'number' ? last.d : undefined}
            onChoose={insert.submit}
          />
        );
      case 'toggle':
        return (
          <ToggleInput
            label={label}
            isLabelVisible={isLabelVisible}
            labelId={`${id}-label`}
            value={typeof last?.d === 'boolean' ? last.d : undefined}
            onToggle={insert.submit}
          />
        );
      case 'number':
        return (
          <NumberInput
            id={`${id}-value`}
            label={label}
            isLabelVisible={isLabelVisible}
            integer={choice.integer}
            minimum={choice.minimum}
            maximum={choice.maximum}
            lastValue={typeof last?.d === 'number' ? last.d : undefined}
            onSave={insert.submit}
          />
        );
      case 'text':
        return (
          <TextInput
            id={`${id}-value`}
            label={label}
            isLabelVisible={isLabelVisible}
            multiline={choice.multiline}
            maxLength={choice.maxLength}
            onSave={(value) => insert.submit(value)}
          />
        );
      case 'form':
        return (
          <Suspense fallback={<Skeleton height="6rem" />}>
            <SchemaForm id={`${id}-form`} label={label} shape={choice.shape} onSave={insert.submit} />
          </Suspense>
        );
      case 'json':
        return (
          <JsonInput
            id={`${id}-value`}
            label={label}
            isLabelVisible={isLabelVisible}
            onSave={insert.submit}
          />
        );
    }
  })();

  // The entry just made, as the store follows it through the outbox.
  const enteredId = insert.status.state === 'entered' ? insert.status.entry.id : undefined;
  const followed = useAppStore((s) => (enteredId === undefined ? undefined : s.entries[enteredId]));
  const entered = followed ?? (insert.status.state === 'entered' ? insert.status.entry : undefined);
  const isRejected = entered?.state === 'rejected';
  const isStatusShown = insert.status.state === 'sending' || (entered !== undefined && !isRejected);
  return (
    <div className={`stream-input stream-input-${choice.kind}`}>
      {isOfflineCommand ? (
        // A disabled fieldset disables every control of the widget, whatever it is.
        <fieldset className="plain-fieldset" disabled aria-describedby={`${id}-offline`}>
          {widget}
        </fieldset>
      ) : (
        widget
      )}
      {isOfflineCommand && (
        <p id={`${id}-offline`} className="entry-offline">
          <CloudOff size={16} aria-hidden /> You are offline. Commands to a device are sent only while online,
          never queued for later.
        </p>
      )}
      <div className="entry-footer">
        {/* The confirmation takes the place of the last value, so nothing below moves. */}
        <div className="entry-footer-text">
          <LastValue
            choice={choice}
            last={last}
            isLoading={latest === undefined || latest.status === 'loading'}
            isCovered={isStatusShown}
            isRefused={isRejected}
          />
          <EntryStatus status={insert.status} entry={isRejected ? undefined : entered} choice={choice} />
        </div>
        <TimeChooser value={insert.customTime} onChange={insert.setCustomTime} />
      </div>
      {/* Form-like widgets show a refusal beside their field; stars and switches have no field. */}
      {insert.status.state === 'error' && (choice.kind === 'stars' || choice.kind === 'toggle') && (
        <p className="entry-error" role="alert">
          <CircleAlert size={16} aria-hidden /> Not saved: {insert.status.message}
        </p>
      )}
      {/* Refused later, at sync: whatever the widget, the reason and where to decide. */}
      {isRejected && (
        <p className="entry-error" role="alert">
          <CircleAlert size={16} aria-hidden />
          <span>
            Not saved: {entered.error ?? 'the server refused it.'} <Link to="/queue">Open the queue</Link>
          </span>
        </p>
      )}
    </div>
  );
}

function LastValue({
  choice,
  last,
  isLoading,
  isCovered,
  isRefused,
}: {
  choice: WidgetChoice;
  last: { t: number; d: unknown } | null | undefined;
  isLoading: boolean;
  isCovered: boolean;
  /** The value just entered was refused: "No values yet" beside that would only confuse. */
  isRefused: boolean;
}) {
  const now = useNow();
  const className = isCovered ? 'last-value is-covered' : 'last-value';
  if (last) {
    return (
      <p className={className}>
        Last: <strong>{describeEntryValue(choice, last.d)}</strong>{' '}
        <span className="muted">· {formatRelativeTime(last.t, now)}</span>
        {isPendingPoint(last) && (
          <>
            {' '}
            <span className="badge badge-pending">not sent yet</span>
          </>
        )}
      </p>
    );
  }
  // Same height while loading and when empty, so the card does not jump.
  return <p className={`${className} muted`}>{isLoading || isRefused ? '\u00a0' : 'No values yet'}</p>;
}

/**
 * Where the value just entered is: saving, queued on this device (offline, or the server does not
 * answer), saved, or refused — following the entry through the outbox.
 */
function EntryStatus({
  status,
  entry,
  choice,
}: {
  status: InsertStatus;
  /** The entry made, as followed now; undefined once it needs no status line (refused: see below). */
  entry: Entry | undefined;
  choice: WidgetChoice;
}) {
  const isOnline = useAppStore((s) => s.sync.online);
  const hasSyncError = useAppStore((s) => s.sync.lastError !== undefined);
  let content = null;
  let look: string = status.state;
  if (status.state === 'sending') {
    content = (
      <>
        <LoaderCircle size={16} aria-hidden className="spin" /> Saving…
      </>
    );
  } else if (status.state === 'entered' && entry) {
    const what = describeEntryValue(choice, status.value);
    const at = formatShortTime(entry.t);
    look = entry.state;
    if (entry.state === 'saved') {
      content = entry.isDownlinkRequest ? (
        <>
          <Send size={16} aria-hidden /> Sent {what} to the device at {at}
        </>
      ) : (
        <>
          <CircleCheck size={16} aria-hidden /> Saved {what} at {at}
        </>
      );
    } else if ((entry.state === 'queued' || entry.state === 'sending') && isOnline && !hasSyncError) {
      look = 'sending';
      content = (
        <>
          <LoaderCircle size={16} aria-hidden className="spin" /> Saving {what}…
        </>
      );
    } else if (entry.state === 'queued' || entry.state === 'sending') {
      content = (
        <>
          <CloudOff size={16} aria-hidden /> Queued {what} at {at} · sent when{' '}
          {isOnline ? 'the server answers' : 'online'}
        </>
      );
    } else if (entry.state === 'discarded') {
      content = (
        <>
          <Trash2 size={16} aria-hidden /> Discarded {what}
        </>
      );
    }
  }
  return (
    <p className={`entry-status entry-status-${look}`} role="status">
      {content}
    </p>
  );
}
