/**
 * Checking a value against the stream's schema with the same validator the server uses (Ajv), so a
 * bad value is refused at entry with a readable reason. Ajv is about 40 KB gzip, so it is not part of
 * the first page's download: inputs start loading it once they are on screen, and the first check
 * waits for it if it is still on its way. The service worker precaches its chunk for offline use.
 */
import type * as StreamSchema from '../../../core/schema/streamSchema';

import { preloadable } from '../../ui/lazyWithPreload';

type SchemaModule = typeof StreamSchema;

let schemaModule: Promise<SchemaModule> | undefined;

/** Starts loading the validator, once; cheap to call again (on focus, on touch). */
export const loadSchemaValidator = preloadable((): Promise<SchemaModule> => {
  schemaModule ??= import('../../../core/schema/streamSchema').catch((error: unknown) => {
    // A failed load (a deploy replaced the chunk) is tried again next time.
    schemaModule = undefined;
    throw error;
  });
  return schemaModule;
});

/** Ajv's "must be >= 0" as a sentence a person reads beside a field: "Must be >= 0." */
function sentence(reason: string): string {
  const text = reason.trim();
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * Why `value` does not fit `schema` (the stream's schema string), or undefined when it does. A
 * schema the browser cannot compile, or a validator that cannot be loaded, is left to the server
 * to judge (it validates every write again).
 */
export async function checkAgainstSchema(schema: string, value: unknown): Promise<string | undefined> {
  let module: SchemaModule;
  try {
    module = await loadSchemaValidator();
  } catch (error) {
    console.warn('tributary: the schema validator could not be loaded; the server will check', error);
    return undefined;
  }
  try {
    const reason = module.compileStreamSchema(schema).check(value);
    return reason === undefined ? undefined : sentence(reason);
  } catch (error) {
    if (error instanceof module.SchemaError) return undefined;
    throw error;
  }
}
