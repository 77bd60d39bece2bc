import { Check } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { FormError } from '../../ui/FormError';

export interface TextInputProps {
  id: string;
  label: string;
  /** False when a heading beside the input already shows the name (it stays for screen readers). */
  isLabelVisible: boolean;
  multiline: boolean;
  maxLength?: number;
  onSave(value: string): Promise<string | undefined>;
}

/** A diary box (multi-line, Ctrl+Enter saves) or a single text line, with Save. Cleared once saved. */
export function TextInput({ id, label, isLabelVisible, multiline, maxLength, onSave }: TextInputProps) {
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<{ value: string }>({ defaultValues: { value: '' } });

  const submit = handleSubmit(async ({ value }) => {
    const error = await onSave(value);
    if (error) setError('value', { message: error });
    else reset({ value: '' });
  });

  const errorId = `${id}-error`;
  const common = {
    id,
    maxLength,
    'aria-invalid': errors.value ? true : undefined,
    'aria-describedby': errors.value ? errorId : undefined,
    ...register('value'),
  };
  return (
    <form className="entry-form" onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor={id} className={isLabelVisible ? 'field-label' : 'visually-hidden'}>
        {label}
      </label>
      {multiline ? (
        <textarea
          className="textarea"
          rows={3}
          placeholder="Write an entry…"
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit();
          }}
          {...common}
        />
      ) : (
        <input className="input" type="text" {...common} />
      )}
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
