import { describe, expect, it } from 'vitest';
import { chooseWidget, datatypeHint, starLabel, starRange } from './chooseWidget';

const stream = (datatype: string, schema: unknown) => ({
  datatype,
  schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
});

describe('chooseWidget', () => {
  it('gives rating.stars streams stars over the schema range, from 1', () => {
    expect(chooseWidget(stream('rating.stars', { type: 'integer', minimum: 0, maximum: 10 }))).toEqual({
      kind: 'stars',
      min: 1,
      max: 10,
    });
    expect(chooseWidget(stream('rating.stars', { type: 'integer', minimum: 1, maximum: 5 }))).toEqual({
      kind: 'stars',
      min: 1,
      max: 5,
    });
  });

  it('falls back through dotted datatype prefixes', () => {
    expect(datatypeHint('rating.stars.mood')).toBe('stars');
    expect(datatypeHint('log.diary.work')).toBe('diary');
    expect(datatypeHint('number.stepcount')).toBe('number');
    expect(datatypeHint('toggle.active')).toBe('toggle');
    expect(datatypeHint('location.gps')).toBeUndefined();
    expect(chooseWidget(stream('rating.stars.mood', { type: 'integer', minimum: 0, maximum: 10 })).kind).toBe(
      'stars',
    );
  });

  it('ignores a datatype whose widget could not produce a valid value', () => {
    // Stars cannot enter text, so the schema decides.
    expect(chooseWidget(stream('rating.stars', { type: 'string' }))).toEqual({
      kind: 'text',
      multiline: false,
    });
    expect(chooseWidget(stream('boolean', { type: 'number' }))).toEqual({ kind: 'number', integer: false });
  });

  it('uses the datatype when the schema accepts anything', () => {
    expect(chooseWidget(stream('boolean', {})).kind).toBe('toggle');
    expect(chooseWidget(stream('rating.stars', '{}'))).toEqual({ kind: 'stars', min: 1, max: 10 });
  });

  it('chooses by schema when the datatype says nothing', () => {
    expect(chooseWidget(stream('', { type: 'number', minimum: 0, maximum: 5 }))).toEqual({
      kind: 'number',
      integer: false,
      minimum: 0,
      maximum: 5,
    });
    expect(chooseWidget(stream('', { type: 'integer' }))).toEqual({ kind: 'number', integer: true });
    expect(chooseWidget(stream('', { type: 'boolean' }))).toEqual({ kind: 'toggle' });
    expect(chooseWidget(stream('', { type: 'string', maxLength: 40 }))).toEqual({
      kind: 'text',
      multiline: false,
      maxLength: 40,
    });
    expect(chooseWidget(stream('log.diary', { type: 'string', minLength: 1 }))).toEqual({
      kind: 'text',
      multiline: true,
      minLength: 1,
    });
  });

  it('generates a form for objects and enums, and a JSON box when there is no schema', () => {
    expect(chooseWidget(stream('', { type: 'object', properties: { a: { type: 'number' } } })).kind).toBe(
      'form',
    );
    expect(chooseWidget(stream('', { enum: ['low', 'high'] })).kind).toBe('form');
    expect(chooseWidget(stream('', {})).kind).toBe('json');
    expect(chooseWidget(stream('', { type: 'object' })).kind).toBe('json');
    expect(chooseWidget(stream('', { type: 'array' })).kind).toBe('json');
    expect(chooseWidget(stream('', 'not json')).kind).toBe('json');
  });
});

describe('starRange', () => {
  it('defaults to 1–10 without bounds and caps wide ranges at 20 stars', () => {
    expect(starRange({ kind: 'number', integer: true })).toEqual({ min: 1, max: 10 });
    expect(starRange({ kind: 'number', integer: true, minimum: 1, maximum: 100 })).toEqual({
      min: 1,
      max: 20,
    });
    expect(starRange({ kind: 'number', integer: false, minimum: 0.5, maximum: 4.5 })).toEqual({
      min: 1,
      max: 4,
    });
    expect(starRange({ kind: 'number', integer: true, minimum: 3 })).toEqual({ min: 3, max: 10 });
  });

  it('falls back to 1–10 when the schema leaves no star to give', () => {
    expect(starRange({ kind: 'number', integer: true, minimum: 0, maximum: 0 })).toEqual({ min: 1, max: 10 });
    expect(starRange({ kind: 'any' })).toEqual({ min: 1, max: 10 });
  });
});

describe('starLabel', () => {
  it('names stars the way a screen reader says them', () => {
    expect(starLabel(1)).toBe('1 star');
    expect(starLabel(7)).toBe('7 stars');
  });
});
