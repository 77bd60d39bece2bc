import { useCallback, useRef, useState, type FormEvent } from 'react';

export interface EntryField {
  /** What the box holds. */
  text: string;
  setText(text: string): void;
  /** The refusal shown beside the box, until the next edit or attempt. */
  error: string | undefined;
  isSubmitting: boolean;
  /** A form's `onSubmit`, or call it directly (Ctrl+Enter in a diary). */
  submit(event?: FormEvent): Promise<void>;
}

/**
 * The state of a one-box entry form (number, text, JSON): its text, its error and whether a save
 * is under way. `save` resolves to the refusal to show, or undefined once the value is entered,
 * which empties the box so that a second tap cannot store the same reading twice by accident.
 * (One field needs no form library: react-hook-form stays with the generated and dialog forms,
 * off the Insert page's first load.)
 */
export function useEntryField(save: (text: string) => Promise<string | undefined>): EntryField {
  const [text, setTextState] = useState('');
  const [error, setError] = useState<string>();
  const [isSubmitting, setIsSubmitting] = useState(false);
  // A second Enter while saving must not enter the value twice.
  const isBusy = useRef(false);

  const setText = useCallback((next: string) => {
    setTextState(next);
    setError(undefined);
  }, []);

  const submit = useCallback(
    async (event?: FormEvent) => {
      event?.preventDefault();
      if (isBusy.current) return;
      isBusy.current = true;
      setIsSubmitting(true);
      setError(undefined);
      try {
        const refusal = await save(text);
        if (refusal) setError(refusal);
        else setTextState('');
      } finally {
        isBusy.current = false;
        setIsSubmitting(false);
      }
    },
    [save, text],
  );

  return { text, setText, error, isSubmitting, submit };
}
