import { Clock, X } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { formatDateTime, fromDateTimeLocalValue, toDateTimeLocalValue } from '../../ui/formatTime';

export interface TimeChooserProps {
  /** Unix seconds, or undefined for "now". */
  value: number | undefined;
  onChange(t: number | undefined): void;
}

/**
 * "Set time": an entry is stamped now unless the person picks another moment (a mood from this
 * morning, a reading taken earlier). The chosen time is shown until it is used or cleared.
 */
export function TimeChooser({ value, onChange }: TimeChooserProps) {
  const [isOpen, setIsOpen] = useState(false);
  const inputId = useId();
  const panelId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  if (!isOpen) {
    return (
      <div className="time-chooser">
        {value !== undefined && (
          <span className="badge badge-accent">
            <Clock size={12} aria-hidden />
            At {formatDateTime(value)}
            <button
              type="button"
              className="badge-button"
              aria-label="Use the current time instead"
              onClick={() => onChange(undefined)}
            >
              <X size={12} aria-hidden />
            </button>
          </span>
        )}
        <button
          type="button"
          className="btn btn-ghost btn-small"
          aria-expanded={false}
          aria-controls={panelId}
          onClick={() => setIsOpen(true)}
        >
          <Clock size={16} aria-hidden />
          Set time
        </button>
      </div>
    );
  }

  return (
    <div className="time-chooser time-chooser-open" id={panelId}>
      <label htmlFor={inputId} className="field-label">
        Time of the entry
      </label>
      <div className="row">
        <input
          id={inputId}
          ref={inputRef}
          className="input time-input"
          type="datetime-local"
          step={1}
          autoFocus
          defaultValue={toDateTimeLocalValue(value ?? Date.now() / 1000)}
          onChange={(event) => {
            const t = fromDateTimeLocalValue(event.target.value);
            if (t !== undefined) onChange(t);
          }}
        />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            const t = fromDateTimeLocalValue(inputRef.current?.value ?? '');
            if (t !== undefined) onChange(t);
            setIsOpen(false);
          }}
        >
          Done
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => {
            onChange(undefined);
            setIsOpen(false);
          }}
        >
          Use now
        </button>
      </div>
    </div>
  );
}
