/**
 * Turning what a person typed into a datapoint value, and checking it against the stream's schema
 * with the same validator the server uses, so a bad value is refused at entry with a readable reason.
 */
import { compileStreamSchema, SchemaError } from '../../../core/schema';

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

/** Ajv's "must be >= 0" as a sentence a person reads beside a field: "Must be >= 0." */
function sentence(reason: string): string {
  const text = reason.trim();
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * Why `value` does not fit `schema` (the stream's schema string), or undefined when it does. A
 * schema the browser cannot compile is left to the server to judge.
 */
export function checkAgainstSchema(schema: string, value: unknown): string | undefined {
  try {
    const reason = compileStreamSchema(schema).check(value);
    return reason === undefined ? undefined : sentence(reason);
  } catch (error) {
    if (error instanceof SchemaError) return undefined;
    throw error;
  }
}
