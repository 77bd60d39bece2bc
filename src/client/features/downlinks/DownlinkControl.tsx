import { Send } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import type { Datapoint } from '../../../core/model';
import { FormError } from '../../ui/FormError';
import { formatValue } from '../../ui/formatTime';
import { checkAgainstSchema } from '../entry/checkAgainstSchema';
import type { DownlinkControlChoice } from './chooseDownlinkControl';
import { commandValueText, parseCommandValue } from './parseCommandValue';

export interface DownlinkControlProps {
  choice: DownlinkControlChoice;
  /** The stream's name: the control's accessible name. */
  label: string;
  /** The stream's schema: a value it refuses is never sent. */
  schema: string;
  /** The device's latest report: what a switch shows, and where a slider marks "now". */
  reported: Datapoint | undefined;
  /** The current command (pending or not): where a number or select starts. */
  requested: Datapoint | undefined;
  /** A command for another value than the reported one is still pending. */
  isPending: boolean;
  isSending: boolean;
  /** Why the control cannot send (offline); the element with this id says it. */
  disabledReasonId?: string;
  isDisabled: boolean;
  /** Sends the command (a refusal is shown by the panel, not by the field). */
  onSend(value: unknown): void;
}

/**
 * The control of a downlink stream. Never optimistic: a switch shows what the device reports, not
 * what was asked (a pending request is drawn as a ghost thumb), and a field keeps what was typed
 * only until the next command arrives.
 */
export function DownlinkControl(props: DownlinkControlProps) {
  return props.choice.kind === 'switch' ? <SwitchControl {...props} /> : <FieldControl {...props} />;
}

function SwitchControl({
  label,
  reported,
  requested,
  isPending,
  isSending,
  isDisabled,
  disabledReasonId,
  onSend,
}: DownlinkControlProps) {
  const isOn = reported?.d === true;
  const wanted = isPending && typeof requested?.d === 'boolean' ? requested.d : undefined;
  return (
    <div className="downlink-switch">
      <button
        type="button"
        role="switch"
        aria-checked={isOn}
        aria-label={label}
        aria-busy={isSending || isPending}
        aria-describedby={disabledReasonId}
        disabled={isDisabled}
        className={`switch${wanted === undefined ? '' : ' is-pending'}`}
        // The opposite of what the device reports; again while pending, a retry of the same value.
        onClick={() => onSend(!isOn)}
      >
        <span className="switch-thumb" aria-hidden />
        {wanted !== undefined && <span className={`switch-ghost${wanted ? ' is-on' : ''}`} aria-hidden />}
      </button>
      <span
        className={reported === undefined ? 'downlink-switch-text muted' : 'downlink-switch-text'}
        aria-hidden
      >
        {reported === undefined ? 'Unknown' : formatValue(reported.d)}
        {wanted !== undefined && <span className="muted"> → {formatValue(wanted)}</span>}
      </span>
    </div>
  );
}

interface Draft {
  text: string;
  /** The command that was current when the person started editing: a newer one replaces the draft. */
  over: Datapoint | undefined;
}

function FieldControl({
  choice,
  label,
  schema,
  reported,
  requested,
  isSending,
  isDisabled,
  disabledReasonId,
  onSend,
}: DownlinkControlProps) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>();
  const [error, setError] = useState<string>();
  const shown =
    draft && draft.over === requested ? draft.text : commandValueText(choice, (requested ?? reported)?.d);
  const edit = (text: string) => {
    setDraft({ text, over: requested });
    setError(undefined);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseCommandValue(choice, shown);
    const problem = parsed.ok ? await checkAgainstSchema(schema, parsed.value) : parsed.error;
    if (problem || !parsed.ok) {
      setError(problem);
      return;
    }
    onSend(parsed.value);
  };

  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : undefined, disabledReasonId].filter(Boolean).join(' ') || undefined;
  const common = {
    id: `${id}-value`,
    disabled: isDisabled,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  } as const;

  let field;
  switch (choice.kind) {
    case 'range':
    case 'number':
      field = (
        <input
          {...common}
          className="input number-input"
          type="number"
          inputMode={choice.integer ? 'numeric' : 'decimal'}
          step={choice.integer ? 1 : 'any'}
          min={choice.minimum}
          max={choice.maximum}
          placeholder={
            choice.minimum !== undefined && choice.maximum !== undefined
              ? `${formatValue(choice.minimum)}–${formatValue(choice.maximum)}`
              : undefined
          }
          value={shown}
          onChange={(event) => edit(event.target.value)}
        />
      );
      break;
    case 'select':
      field = (
        <select {...common} className="select" value={shown} onChange={(event) => edit(event.target.value)}>
          {shown === '' && <option value="">Choose…</option>}
          {choice.options.map((option, index) => (
            <option key={index} value={String(index)}>
              {formatValue(option)}
            </option>
          ))}
        </select>
      );
      break;
    default:
      field = (
        <input
          {...common}
          className={choice.kind === 'json' ? 'input mono' : 'input'}
          type="text"
          autoComplete="off"
          spellCheck={choice.kind !== 'json'}
          placeholder={choice.kind === 'json' ? 'A JSON value, e.g. {"mode": "eco"}' : undefined}
          maxLength={choice.kind === 'text' ? choice.maxLength : undefined}
          value={shown}
          onChange={(event) => edit(event.target.value)}
        />
      );
  }

  const sliderValue = Number(shown);
  return (
    <form className="downlink-form" onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor={`${id}-value`} className="visually-hidden">
        {label}
      </label>
      <div className="number-row">
        {field}
        <button type="submit" className="btn btn-primary" disabled={isDisabled || isSending}>
          <Send size={16} aria-hidden />
          Send
        </button>
      </div>
      {choice.kind === 'range' && (
        <div className="downlink-range">
          <input
            type="range"
            className="slider"
            aria-label={label}
            aria-describedby={disabledReasonId}
            disabled={isDisabled}
            min={choice.minimum}
            max={choice.maximum}
            step={choice.step}
            value={
              shown.trim() !== '' && Number.isFinite(sliderValue)
                ? sliderValue
                : (choice.minimum + choice.maximum) / 2
            }
            onChange={(event) => edit(event.target.value)}
          />
          <RangeScale minimum={choice.minimum} maximum={choice.maximum} reported={reported?.d} />
        </div>
      )}
      <FormError id={errorId} message={error} />
    </form>
  );
}

/** The ends of a slider and a mark where the device reports it is now. */
function RangeScale({ minimum, maximum, reported }: { minimum: number; maximum: number; reported: unknown }) {
  const fraction =
    typeof reported === 'number'
      ? Math.min(1, Math.max(0, (reported - minimum) / (maximum - minimum)))
      : undefined;
  return (
    <div className="range-scale" aria-hidden>
      <span>{formatValue(minimum)}</span>
      {fraction !== undefined && (
        // The thumb's centre travels between half a thumb from each end (the 1.25rem of .slider).
        <span
          className="range-reported"
          style={{ left: `calc(0.625rem + (100% - 1.25rem) * ${fraction})` }}
          title="Reported by the device"
        >
          ▲ {formatValue(reported)}
        </span>
      )}
      <span>{formatValue(maximum)}</span>
    </div>
  );
}
