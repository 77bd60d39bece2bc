import { Check } from 'lucide-react';
import { FormError } from '../../ui/FormError';
import { parseNumberText } from './parseEntry';
import { useEntryField } from './useEntryField';

export interface NumberInputProps {
  id: string;
  label: string;
  /** False when a heading beside the input already shows the name (it stays for screen readers). */
  isLabelVisible: boolean;
  integer: boolean;
  minimum?: number;
  maximum?: number;
  /** The stream's last value: where the slider rests while the box is empty, and its placeholder. */
  lastValue?: number;
  /** Validates against the schema and inserts; resolves to an error for the field, or undefined. */
  onSave(value: number): Promise<string | undefined>;
}

/** A number box (and a slider when the schema bounds both ends) with Save. */
export function NumberInput({
  id,
  label,
  isLabelVisible,
  integer,
  minimum,
  maximum,
  lastValue,
  onSave,
}: NumberInputProps) {
  const hasSlider = minimum !== undefined && maximum !== undefined && maximum > minimum;
  const field = useEntryField(async (text) => {
    const parsed = parseNumberText(text, integer);
    return parsed.ok ? onSave(parsed.value) : parsed.error;
  });
  const text = field.text;
  const sliderValue = Number.isFinite(Number(text)) && text.trim() !== '' ? Number(text) : undefined;

  const errorId = `${id}-error`;
  return (
    <form className="entry-form" onSubmit={(event) => void field.submit(event)} noValidate>
      <label htmlFor={id} className={isLabelVisible ? 'field-label' : 'visually-hidden'}>
        {label}
      </label>
      <div className="number-row">
        <input
          id={id}
          className="input number-input"
          type="number"
          inputMode={integer ? 'numeric' : 'decimal'}
          step={integer ? 1 : 'any'}
          min={minimum}
          max={maximum}
          placeholder={lastValue === undefined ? undefined : String(lastValue)}
          aria-invalid={field.error ? true : undefined}
          aria-describedby={field.error ? errorId : undefined}
          value={text}
          onChange={(event) => field.setText(event.target.value)}
        />
        <button type="submit" className="btn btn-primary" disabled={field.isSubmitting}>
          <Check size={16} aria-hidden />
          Save
        </button>
      </div>
      {hasSlider && (
        <input
          type="range"
          className="slider"
          aria-label={label}
          min={minimum}
          max={maximum}
          step={integer ? 1 : (maximum - minimum) / 100}
          value={sliderValue ?? lastValue ?? (minimum + maximum) / 2}
          onChange={(event) => field.setText(event.target.value)}
        />
      )}
      <FormError id={errorId} message={field.error} />
    </form>
  );
}
