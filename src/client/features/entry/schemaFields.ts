/**
 * The fields of a form generated from a JSON Schema (via `describeSchema`), and the conversion of
 * the form's values back into the datapoint value. Form values are kept as the inputs report them
 * (strings, booleans) and converted only on submit, so a half-typed number never turns into NaN.
 */
import type { SchemaShape } from '../../../core/schema';
import { parseJsonText, parseNumberText } from './parseEntry';

interface FieldBase {
  /** The react-hook-form name: dotted for nested objects (`location.lat`). */
  name: string;
  label: string;
  isRequired: boolean;
}

export type FormField =
  | (FieldBase & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number })
  | (FieldBase & { kind: 'boolean' })
  | (FieldBase & { kind: 'enum'; values: unknown[] })
  | (FieldBase & { kind: 'string'; minLength?: number; maxLength?: number })
  | (FieldBase & { kind: 'object'; fields: FormField[] })
  | (FieldBase & { kind: 'json' });

/** The name of the single field used when the schema is not an object (an enum, say). */
export const VALUE_FIELD = 'value';

/** "heart_rate" → "Heart rate", "stepCount" → "Step count". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}

function fieldFor(shape: SchemaShape, name: string, label: string, isRequired: boolean): FormField {
  const base = { name, label, isRequired };
  switch (shape.kind) {
    case 'number': {
      const field: FormField = { ...base, kind: 'number', integer: shape.integer };
      if (shape.minimum !== undefined) field.minimum = shape.minimum;
      if (shape.maximum !== undefined) field.maximum = shape.maximum;
      return field;
    }
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'enum':
      return { ...base, kind: 'enum', values: shape.values };
    case 'string': {
      const field: FormField = { ...base, kind: 'string' };
      if (shape.minLength !== undefined) field.minLength = shape.minLength;
      if (shape.maxLength !== undefined) field.maxLength = shape.maxLength;
      return field;
    }
    case 'object':
      return { ...base, kind: 'object', fields: fieldsOfObject(shape, name) };
    case 'any':
      return { ...base, kind: 'json' };
  }
}

function fieldsOfObject(shape: Extract<SchemaShape, { kind: 'object' }>, prefix: string): FormField[] {
  return Object.entries(shape.properties).map(([key, property]) =>
    fieldFor(property, prefix ? `${prefix}.${key}` : key, humanize(key), shape.required.includes(key)),
  );
}

/** The form for a schema: one field per property of an object, else a single field. */
export function buildFormFields(shape: SchemaShape, label = 'Value'): FormField[] {
  if (shape.kind === 'object') return fieldsOfObject(shape, '');
  return [fieldFor(shape, VALUE_FIELD, label, true)];
}

/** What an empty form holds: '' for text-like inputs, false for checkboxes. */
export function defaultFormValues(fields: readonly FormField[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.name.slice(field.name.lastIndexOf('.') + 1);
    if (field.kind === 'object') values[key] = defaultFormValues(field.fields);
    else values[key] = field.kind === 'boolean' ? false : '';
  }
  return values;
}

/** Whether nothing was entered in these fields (empty text, unticked boxes). */
function isBlank(fields: readonly FormField[], values: unknown): boolean {
  return fields.every((field) => {
    const raw = read(values, field.name.slice(field.name.lastIndexOf('.') + 1));
    if (field.kind === 'object') return isBlank(field.fields, raw);
    if (field.kind === 'boolean') return raw !== true;
    return typeof raw !== 'string' || raw.trim() === '';
  });
}

export type FormConversion = { ok: true; value: unknown } | { ok: false; errors: Record<string, string> };

function read(values: unknown, key: string): unknown {
  return typeof values === 'object' && values !== null ? (values as Record<string, unknown>)[key] : undefined;
}

/**
 * The datapoint value of a filled form (`isObject`: the schema is an object, else the form has the
 * single field {@link VALUE_FIELD}). Empty optional fields are left out; empty required ones and
 * unparseable numbers or JSON are errors keyed by field name.
 */
export function formValuesToValue(
  fields: readonly FormField[],
  values: unknown,
  isObject: boolean,
): FormConversion {
  const errors: Record<string, string> = {};
  const convert = (list: readonly FormField[], source: unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const field of list) {
      const key = field.name.slice(field.name.lastIndexOf('.') + 1);
      const raw = read(source, key);
      const text = typeof raw === 'string' ? raw : '';
      switch (field.kind) {
        case 'boolean':
          out[key] = raw === true;
          break;
        case 'number': {
          if (text.trim() === '') {
            if (field.isRequired) errors[field.name] = 'Required.';
            break;
          }
          const parsed = parseNumberText(text, field.integer);
          if (parsed.ok) out[key] = parsed.value;
          else errors[field.name] = parsed.error;
          break;
        }
        case 'enum': {
          // The select's value is the option's index: enum values need not be strings.
          if (text === '') {
            if (field.isRequired) errors[field.name] = 'Choose one.';
            break;
          }
          out[key] = field.values[Number(text)];
          break;
        }
        case 'string':
          if (text !== '' || field.isRequired) out[key] = text;
          break;
        case 'json': {
          if (text.trim() === '') {
            if (field.isRequired) errors[field.name] = 'Required.';
            break;
          }
          const parsed = parseJsonText(text);
          if (parsed.ok) out[key] = parsed.value;
          else errors[field.name] = parsed.error;
          break;
        }
        case 'object': {
          // An optional group left entirely blank is simply absent, even if its fields are required.
          if (!field.isRequired && isBlank(field.fields, raw)) break;
          const nested = convert(field.fields, raw);
          if (field.isRequired || Object.keys(nested).length > 0) out[key] = nested;
          break;
        }
      }
    }
    return out;
  };
  const converted = convert(fields, values);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: isObject ? converted : converted[VALUE_FIELD] };
}
