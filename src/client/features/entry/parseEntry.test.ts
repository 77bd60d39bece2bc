import { describe, expect, it } from 'vitest';
import { parseJsonText, parseNumberText } from './parseEntry';

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
