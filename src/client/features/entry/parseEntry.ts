/**
 * Turning what a person typed into a datapoint value. The check against the stream's schema is in
 * `checkAgainstSchema.ts`, which loads the validator on demand.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A number from an input's text ('.' as decimal separator, as `<input type=number>` reports it). */
export function parseNumberText(text: string, integer: boolean): Parsed<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'Enter a number.' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, error: 'Enter a number.' };
  if (integer && !Number.isInteger(value)) return { ok: false, error: 'Enter a whole number.' };
  return { ok: true, value };
}

/** Any JSON value from a text box. */
export function parseJsonText(text: string): Parsed<unknown> {
  if (text.trim() === '')
    return { ok: false, error: 'Enter a JSON value, for example 42, "text" or {"a": 1}.' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `This is not valid JSON: ${(error as Error).message}` };
  }
}
