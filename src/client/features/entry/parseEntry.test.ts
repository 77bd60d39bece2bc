import { describe, expect, it } from 'vitest';
import { checkAgainstSchema, parseJsonText, parseNumberText } from './parseEntry';

describe('parseNumberText', () => {
  it('parses decimals and refuses empty or non-numeric text', () => {
    expect(parseNumberText(' 72.5 ', false)).toEqual({ ok: true, value: 72.5 });
    expect(parseNumberText('-3', true)).toEqual({ ok: true, value: -3 });
    expect(parseNumberText('', false)).toEqual({ ok: false, error: 'Enter a number.' });
    expect(parseNumberText('abc', false)).toEqual({ ok: false, error: 'Enter a number.' });
    expect(parseNumberText('Infinity', false)).toEqual({ ok: false, error: 'Enter a number.' });
  });

  it('wants whole numbers for integer streams', () => {
    expect(parseNumberText('2.5', true)).toEqual({ ok: false, error: 'Enter a whole number.' });
  });
});

describe('parseJsonText', () => {
  it('parses any JSON value', () => {
    expect(parseJsonText('{"a": [1, true]}')).toEqual({ ok: true, value: { a: [1, true] } });
    expect(parseJsonText('"text"')).toEqual({ ok: true, value: 'text' });
    expect(parseJsonText('null')).toEqual({ ok: true, value: null });
  });

  it('explains what is wrong', () => {
    expect(parseJsonText('  ').ok).toBe(false);
    const result = parseJsonText('{a: 1}');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^This is not valid JSON/);
  });
});

describe('checkAgainstSchema', () => {
  const rating = '{"type":"integer","minimum":0,"maximum":10}';

  it('accepts valid values', () => {
    expect(checkAgainstSchema(rating, 7)).toBeUndefined();
    expect(checkAgainstSchema('{}', { anything: true })).toBeUndefined();
  });

  it('gives the validator’s reason as a sentence', () => {
    expect(checkAgainstSchema(rating, 11)).toBe('Must be <= 10.');
    expect(checkAgainstSchema(rating, 2.5)).toBe('Must be integer.');
    expect(checkAgainstSchema('{"type":"string","minLength":1}', '')).toBe(
      'Must NOT have fewer than 1 characters.',
    );
  });

  it('leaves a schema it cannot compile to the server', () => {
    expect(checkAgainstSchema('{"type": "nonsense"}', 1)).toBeUndefined();
  });
});
