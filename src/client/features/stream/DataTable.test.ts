import { describe, expect, it } from 'vitest';
import { objectKeys } from './DataTable';

describe('objectKeys (table columns)', () => {
  it('gives a column per key when every value is a flat object', () => {
    expect(
      objectKeys([
        { t: 1, d: { b: 1 } },
        { t: 2, d: { a: 2, b: 3 } },
      ]),
    ).toEqual(['a', 'b']);
  });

  it('keeps one Value column for anything else', () => {
    expect(objectKeys([])).toBeUndefined();
    expect(objectKeys([{ t: 1, d: 5 }])).toBeUndefined();
    expect(objectKeys([{ t: 1, d: { a: { nested: 1 } } }])).toBeUndefined();
    expect(
      objectKeys([
        { t: 1, d: { a: 1 } },
        { t: 2, d: 'text' },
      ]),
    ).toBeUndefined();
  });
});
