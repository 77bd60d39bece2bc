import { Check } from 'lucide-react';
import { FormError } from '../../ui/FormError';
import { parseJsonText } from './parseEntry';
import { useEntryField } from './useEntryField';

export interface JsonInputProps {
  id: string;
  label: string;
  /** False when a heading beside the input already shows the name (it stays for screen readers). */
  isLabelVisible: boolean;
  onSave(value: unknown): Promise<string | undefined>;
}

/**
 * A raw JSON value, for streams whose schema accepts anything (or that no form can express). Named
 * by the stream like every other input; the hint says JSON is expected. Emptied once saved.
 */
export function JsonInput({ id, label, isLabelVisible, onSave }: JsonInputProps) {
  const field = useEntryField(async (text) => {
    const parsed = parseJsonText(text);
    return parsed.ok ? onSave(parsed.value) : parsed.error;
  });

  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <form className="entry-form" onSubmit={(event) => void field.submit(event)} noValidate>
      <label htmlFor={id} className={isLabelVisible ? 'field-label' : 'visually-hidden'}>
        {label}
      </label>
      <textarea
        id={id}
        className="textarea mono"
        rows={3}
        spellCheck={false}
        placeholder='{"key": 1}'
        aria-invalid={field.error ? true : undefined}
        aria-describedby={field.error ? `${errorId} ${hintId}` : hintId}
        value={field.text}
        onChange={(event) => field.setText(event.target.value)}
      />
      <span id={hintId} className="field-hint">
        Any JSON value: a number, "text", true, a list or an object.
      </span>
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
