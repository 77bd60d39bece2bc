import { describe, expect, it } from 'vitest';
import { decodeJsonValues, encodeJsonValues } from './jsonCodec';

describe('JSON value codec', () => {
  it('round-trips any JSON texts, unicode and empty strings included', () => {
    const values = ['null', '"✓ ünï 😀"', '{"a":[1,2,{"b":null}]}', '""', '"line\\nbreak"', 'true', '1e+300'];
    expect(decodeJsonValues(encodeJsonValues(values), values.length)).toEqual(values);
    expect(decodeJsonValues(encodeJsonValues([]), 0)).toEqual([]);
  });

  it('compresses repetitive objects well below their text size', () => {
    const values = Array.from({ length: 4096 }, (_, i) => JSON.stringify({ mood: i % 5, note: 'fine' }));
    const textBytes = values.reduce((sum, text) => sum + text.length, 0);
    expect(encodeJsonValues(values).length).toBeLessThan(textBytes / 10);
  });
});
