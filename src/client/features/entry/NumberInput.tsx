import { Check } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { FormError } from '../../ui/FormError';
import { parseNumberText } from './parseEntry';

export interface NumberInputProps {
  id: string;
  label: string;
  /** False when a heading beside the input already shows the name (it stays for screen readers). */
  isLabelVisible: boolean;
  integer: boolean;
  minimum?: number;
  maximum?: number;
  /** The stream's last value: where the slider rests while the box is empty. */
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
  const {
    register,
    handleSubmit,
    setValue,
    setError,
    reset,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<{ value: string }>({ defaultValues: { value: '' } });
  const text = watch('value');
  const sliderValue = Number.isFinite(Number(text)) && text.trim() !== '' ? Number(text) : undefined;

  const submit = handleSubmit(async ({ value }) => {
    const parsed = parseNumberText(value, integer);
    if (!parsed.ok) {
      setError('value', { message: parsed.error });
      return;
    }
    const error = await onSave(parsed.value);
    // Emptied once saved, so a second tap cannot store the same reading twice by accident.
    if (error) setError('value', { message: error });
    else reset({ value: '' });
  });

  const errorId = `${id}-error`;
  return (
    <form className="entry-form" onSubmit={(event) => void submit(event)} noValidate>
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
          aria-invalid={errors.value ? true : undefined}
          aria-describedby={errors.value ? errorId : undefined}
          {...register('value')}
        />
        <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
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
          onChange={(event) => setValue('value', event.target.value, { shouldValidate: false })}
        />
      )}
      <FormError id={errorId} message={errors.value?.message} />
    </form>
  );
}
