import type { ChangeEvent } from 'react';
import { Check } from 'lucide-react';
import { FormError } from '../../ui/FormError';
import { useEntryField } from './useEntryField';

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
  const field = useEntryField(onSave);

  const errorId = `${id}-error`;
  const common = {
    id,
    maxLength,
    'aria-invalid': field.error ? true : undefined,
    'aria-describedby': field.error ? errorId : undefined,
    value: field.text,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      field.setText(event.target.value),
  };
  return (
    <form className="entry-form" onSubmit={(event) => void field.submit(event)} noValidate>
      <label htmlFor={id} className={isLabelVisible ? 'field-label' : 'visually-hidden'}>
        {label}
      </label>
      {multiline ? (
        <textarea
          className="textarea"
          rows={3}
          placeholder="Write an entry…"
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void field.submit();
          }}
          {...common}
        />
      ) : (
        <input className="input" type="text" {...common} />
      )}
      <FormError id={errorId} message={field.error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={field.isSubmitting}>
          <Check size={16} aria-hidden />
          Save
        </button>
      </div>
    </form>
  );
}
