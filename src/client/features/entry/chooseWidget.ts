/**
 * Which input a stream gets: first by its datatype (falling back through dotted prefixes, as the
 * original did: `rating.stars.mood` → `rating.stars` → `rating`), then by its schema. A datatype
 * whose widget cannot produce values the schema accepts is ignored, so the input always fits.
 */
import { describeSchema, type SchemaShape } from '../../../core/schema/describeSchema';

export type WidgetChoice =
  | { kind: 'stars'; min: number; max: number }
  | { kind: 'number'; integer: boolean; minimum?: number; maximum?: number }
  | { kind: 'toggle' }
  | { kind: 'text'; multiline: boolean; minLength?: number; maxLength?: number }
  | { kind: 'form'; shape: SchemaShape }
  | { kind: 'json' };

type Hint = 'stars' | 'number' | 'toggle' | 'diary' | 'text';

const DATATYPE_HINTS: Record<string, Hint> = {
  'rating.stars': 'stars',
  rating: 'stars',
  'log.diary': 'diary',
  log: 'diary',
  diary: 'diary',
  boolean: 'toggle',
  bool: 'toggle',
  toggle: 'toggle',
  number: 'number',
  integer: 'number',
  string: 'text',
  text: 'text',
};

/** The widget hint of a datatype, trying it and then each shorter dotted prefix. */
export function datatypeHint(datatype: string): Hint | undefined {
  let candidate = datatype.trim().toLowerCase();
  while (candidate) {
    const hint = DATATYPE_HINTS[candidate];
    if (hint) return hint;
    const dot = candidate.lastIndexOf('.');
    if (dot < 0) return undefined;
    candidate = candidate.slice(0, dot);
  }
  return undefined;
}

/** At most this many stars are drawn; a wider range is cut at its top. */
export const MAX_STARS = 20;

/**
 * The stars to offer for a number schema: from its minimum (at least 1, since no one clicks "zero
 * stars") to its maximum; 1–10 when it is not bounded, like ConnectorDB's `rating.stars`.
 */
export function starRange(shape: SchemaShape): { min: number; max: number } {
  if (shape.kind !== 'number') return { min: 1, max: 10 };
  const min = Math.max(1, Math.ceil(shape.minimum ?? 1));
  const max = shape.maximum === undefined ? Math.max(min, 10) : Math.floor(shape.maximum);
  if (max < min) return { min: 1, max: 10 };
  return { min, max: Math.min(max, min + MAX_STARS - 1) };
}

function numberChoice(shape: SchemaShape): WidgetChoice {
  const choice: WidgetChoice = { kind: 'number', integer: shape.kind === 'number' && shape.integer };
  if (shape.kind === 'number') {
    if (shape.minimum !== undefined) choice.minimum = shape.minimum;
    if (shape.maximum !== undefined) choice.maximum = shape.maximum;
  }
  return choice;
}

function textChoice(shape: SchemaShape, multiline: boolean): WidgetChoice {
  const choice: WidgetChoice = { kind: 'text', multiline };
  if (shape.kind === 'string') {
    if (shape.minLength !== undefined) choice.minLength = shape.minLength;
    if (shape.maxLength !== undefined) choice.maxLength = shape.maxLength;
  }
  return choice;
}

export function chooseWidget(stream: { datatype: string; schema: string }): WidgetChoice {
  const shape = describeSchema(stream.schema);
  const fits = (kind: SchemaShape['kind']) => shape.kind === kind || shape.kind === 'any';
  switch (datatypeHint(stream.datatype)) {
    case 'stars':
      if (fits('number')) return { kind: 'stars', ...starRange(shape) };
      break;
    case 'number':
      if (fits('number')) return numberChoice(shape);
      break;
    case 'toggle':
      if (fits('boolean')) return { kind: 'toggle' };
      break;
    case 'diary':
      if (fits('string')) return textChoice(shape, true);
      break;
    case 'text':
      if (fits('string')) return textChoice(shape, false);
      break;
    case undefined:
      break;
  }
  switch (shape.kind) {
    case 'number':
      return numberChoice(shape);
    case 'boolean':
      return { kind: 'toggle' };
    case 'string':
      return textChoice(shape, false);
    case 'enum':
      return { kind: 'form', shape };
    case 'object':
      return Object.keys(shape.properties).length > 0 ? { kind: 'form', shape } : { kind: 'json' };
    case 'any':
      return { kind: 'json' };
  }
}

/** "1 star", "7 stars": the accessible name of a star. */
export function starLabel(n: number): string {
  return n === 1 ? '1 star' : `${n} stars`;
}
