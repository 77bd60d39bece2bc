import { Check } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { FormError } from '../../ui/FormError';
import { parseJsonText } from './parseEntry';

export interface JsonInputProps {
  id: string;
  label: string;
  /** False when a heading beside the input already shows the name (it stays for screen readers). */
  isLabelVisible: boolean;
  onSave(value: unknown): Promise<string | undefined>;
}

/** A raw JSON value, for streams whose schema accepts anything (or that no form can express). */
export function JsonInput({ id, label, isLabelVisible, onSave }: JsonInputProps) {
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<{ value: string }>({ defaultValues: { value: '' } });

  const submit = handleSubmit(async ({ value }) => {
    const parsed = parseJsonText(value);
    if (!parsed.ok) {
      setError('value', { message: parsed.error });
      return;
    }
    const error = await onSave(parsed.value);
    if (error) setError('value', { message: error });
  });

  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <form className="entry-form" onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor={id} className={isLabelVisible ? 'field-label' : 'visually-hidden'}>
        {label} (JSON)
      </label>
      <textarea
        id={id}
        className="textarea mono"
        rows={3}
        spellCheck={false}
        placeholder='{"key": 1}'
        aria-invalid={errors.value ? true : undefined}
        aria-describedby={errors.value ? `${errorId} ${hintId}` : hintId}
        {...register('value')}
      />
      <span id={hintId} className="field-hint">
        Any JSON value: a number, "text", true, a list or an object.
      </span>
      <FormError id={errorId} message={errors.value?.message} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
          <Check size={16} aria-hidden />
          Save
        </button>
      </div>
    </form>
  );
}
