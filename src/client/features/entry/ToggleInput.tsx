import { useState } from 'react';

export interface ToggleInputProps {
  label: string;
  labelId: string;
  isLabelVisible: boolean;
  value: boolean | undefined;
  onToggle(value: boolean): Promise<unknown>;
}

/** An on/off switch whose every flip is a datapoint; it shows the new state while it is being saved. */
export function ToggleInput({ label, labelId, isLabelVisible, value, onToggle }: ToggleInputProps) {
  const [pending, setPending] = useState<boolean>();
  const isOn = pending ?? value === true;

  const toggle = async () => {
    const next = !isOn;
    setPending(next);
    await onToggle(next);
    setPending(undefined);
  };

  return (
    <div className="toggle-row">
      <span id={labelId} className={isLabelVisible ? 'toggle-label' : 'visually-hidden'}>
        {label}
      </span>
      <button
        type="button"
        role="switch"
        aria-checked={isOn}
        aria-labelledby={labelId}
        aria-busy={pending !== undefined}
        className="switch"
        onClick={() => void toggle()}
      >
        <span className="switch-thumb" aria-hidden />
      </button>
      <span className="toggle-state" aria-hidden>
        {value === undefined && pending === undefined ? '' : isOn ? 'On' : 'Off'}
      </span>
    </div>
  );
}
