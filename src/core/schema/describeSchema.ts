/**
 * A summary of a stream schema that user interfaces pick a control from: a number with its bounds,
 * a boolean, an enum, a string, an object with its properties, or anything.
 */
export type SchemaShape =
  | { kind: 'number'; integer: boolean; minimum?: number; maximum?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: unknown[] }
  | { kind: 'string'; minLength?: number; maxLength?: number }
  | { kind: 'object'; properties: Record<string, SchemaShape>; required: string[] }
  | { kind: 'any' };

/** Describes a parsed or string schema; anything not recognised is `any` (a raw JSON input). */
export function describeSchema(schema: unknown): SchemaShape {
  if (typeof schema === 'string') {
    try {
      return describeSchema(JSON.parse(schema === '' ? '{}' : schema));
    } catch {
      return { kind: 'any' };
    }
  }
  if (typeof schema !== 'object' || schema === null) return { kind: 'any' };
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return { kind: 'enum', values: s.enum };
  switch (s.type) {
    case 'number':
    case 'integer': {
      const shape: SchemaShape = { kind: 'number', integer: s.type === 'integer' };
      if (typeof s.minimum === 'number') shape.minimum = s.minimum;
      if (typeof s.maximum === 'number') shape.maximum = s.maximum;
      return shape;
    }
    case 'boolean':
      return { kind: 'boolean' };
    case 'string': {
      const shape: SchemaShape = { kind: 'string' };
      if (typeof s.minLength === 'number') shape.minLength = s.minLength;
      if (typeof s.maxLength === 'number') shape.maxLength = s.maxLength;
      return shape;
    }
    case 'object': {
      const props = (typeof s.properties === 'object' && s.properties) || {};
      const properties: Record<string, SchemaShape> = {};
      for (const [key, value] of Object.entries(props)) properties[key] = describeSchema(value);
      const required = Array.isArray(s.required)
        ? s.required.filter((r): r is string => typeof r === 'string')
        : [];
      return { kind: 'object', properties, required };
    }
    default:
      return { kind: 'any' };
  }
}
