/**
 * Reading object fields from request bodies: unknown keys and wrongly typed values are refused
 * with ConnectorDB's messages ("Unrecognized field 'admin'", "Value of field 'x' must be a string").
 */
import type { FieldKind } from '../../core/model';
import { invalid } from './Refusal';

const KIND_NAMES: Record<FieldKind, string> = {
  string: 'a string',
  boolean: 'a boolean',
  number: 'a number',
  'string[]': 'a list of strings',
};

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

/** The body of a create or update request: a JSON object (ConnectorDB accepted `null` as empty). */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalid('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/**
 * Picks the fields of `spec` out of `body`, checking their types. Keys in `extra` are left for the
 * caller; any other key is refused.
 */
export function readFields<T>(
  body: Record<string, unknown>,
  spec: Record<string, FieldKind>,
  extra: readonly string[] = [],
): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const kind = spec[key];
    if (kind === undefined) {
      if (extra.includes(key)) continue;
      throw invalid(`Unrecognized field '${key}'`);
    }
    if (!hasKind(value, kind)) throw invalid(`Value of field '${key}' must be ${KIND_NAMES[kind]}`);
    out[key] = value;
  }
  return out as Partial<T>;
}
