/**
 * JSON Schema handling for streams, shared by server and browser so that a value refused by one is
 * refused by the other. This is the only module that imports Ajv.
 *
 * ConnectorDB validated with gojsonschema (draft-04), and its clients check schemas with
 * Draft4Validator, so a schema without `$schema` is draft-04. A schema that names draft-06 or
 * draft-07 in `$schema` is validated under that draft.
 */
import AjvDraft04 from 'ajv-draft-04';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const DRAFT_07_IDS = ['http://json-schema.org/draft-07/schema', 'http://json-schema.org/draft-06/schema'];
const DRAFT_04_IDS = ['http://json-schema.org/draft-04/schema', 'http://json-schema.org/schema'];

const ajvOptions = { strict: false, allErrors: false, logger: false } as const;

let draft04: AjvDraft04 | undefined;
let draft07: Ajv | undefined;

function validatorFor(schema: unknown): AjvDraft04 | Ajv {
  const declared =
    typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined;
  const id = typeof declared === 'string' ? declared.replace(/#?$/, '') : undefined;
  if (id === undefined || DRAFT_04_IDS.includes(id)) {
    draft04 ??= addFormats(new AjvDraft04(ajvOptions));
    return draft04;
  }
  if (DRAFT_07_IDS.includes(id)) {
    draft07 ??= addFormats(new Ajv(ajvOptions));
    return draft07;
  }
  throw new SchemaError(
    `Unsupported $schema '${declared as string}': use draft-04 (the default) or draft-07`,
  );
}

/** A schema that cannot be used: not JSON, not an object, or not a valid JSON Schema. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** A compiled stream schema. */
export interface StreamValidator {
  /** The schema as the canonical minified string that is stored and returned. */
  readonly schema: string;
  /** True when the schema accepts everything (`{}`), so validation can be skipped. */
  readonly acceptsAll: boolean;
  /** Returns undefined when `value` is valid, else a short human-readable reason. */
  check(value: unknown): string | undefined;
}

const cache = new Map<string, StreamValidator>();
const CACHE_LIMIT = 1000;

/**
 * Parses, checks and compiles a schema given as a JSON string (empty means `{}`). Compiled
 * validators are cached by their source, so each stream's schema compiles once.
 * @throws SchemaError when the string is not a usable JSON Schema.
 */
export function compileStreamSchema(source: string): StreamValidator {
  const cached = cache.get(source);
  if (cached) return cached;
  const validator = buildValidator(source);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, validator);
  return validator;
}

/** Returns the canonical (minified) form of a schema string, or throws SchemaError. */
export function normalizeSchema(source: string): string {
  return compileStreamSchema(source).schema;
}

function buildValidator(source: string): StreamValidator {
  const text = source.trim() === '' ? '{}' : source;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SchemaError('The schema is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SchemaError('The schema must be a JSON object');
  }
  const ajv = validatorFor(parsed);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(parsed);
  } catch (err) {
    throw new SchemaError(`Invalid JSON Schema: ${(err as Error).message}`);
  }
  const minified = JSON.stringify(parsed);
  const acceptsAll = minified === '{}';
  return {
    schema: minified,
    acceptsAll,
    check(value) {
      if (acceptsAll || validate(value)) return undefined;
      return describeErrors(validate.errors);
    },
  };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'does not match the schema';
  const where = first.instancePath ? `${first.instancePath} ` : '';
  const allowed =
    first.keyword === 'enum'
      ? `: ${JSON.stringify((first.params as { allowedValues: unknown[] }).allowedValues)}`
      : '';
  return `${where}${first.message ?? 'is invalid'}${allowed}`;
}
