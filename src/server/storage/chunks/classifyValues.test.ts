import { describe, expect, it } from 'vitest';
import { chunkValuesToData, classifyValues } from './classifyValues';

describe('classifyValues', () => {
  it('stores finite numbers as numbers, -0 included', () => {
    const values = classifyValues([1, -0, 2.5]);
    expect(values.kind).toBe('number');
    expect(Object.is(chunkValuesToData(values)[1], -0)).toBe(true);
    expect(classifyValues([]).kind).toBe('number');
  });

  it('stores booleans as bits', () => {
    expect(classifyValues([true, false])).toEqual({ kind: 'boolean', values: Uint8Array.from([1, 0]) });
  });

  it('falls back to JSON for anything else, undefined stored as null', () => {
    const ds = [1, 'x', null, { a: [true] }, undefined, true];
    const values = classifyValues(ds);
    expect(values).toEqual({ kind: 'json', values: ['1', '"x"', 'null', '{"a":[true]}', 'null', 'true'] });
    expect(chunkValuesToData(values)).toEqual([1, 'x', null, { a: [true] }, null, true]);
  });

  it('does not take non-finite numbers for numbers', () => {
    expect(classifyValues([1, Infinity]).kind).toBe('json');
  });
});
