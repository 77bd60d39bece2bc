import { describe, expect, it } from 'vitest';
import { checkAgainstSchema } from './checkAgainstSchema';

describe('checkAgainstSchema', () => {
  const rating = '{"type":"integer","minimum":0,"maximum":10}';

  it('accepts valid values', async () => {
    expect(await checkAgainstSchema(rating, 7)).toBeUndefined();
    expect(await checkAgainstSchema('{}', { anything: true })).toBeUndefined();
  });

  it('gives the validator’s reason as a sentence', async () => {
    expect(await checkAgainstSchema(rating, 11)).toBe('Must be <= 10.');
    expect(await checkAgainstSchema(rating, 2.5)).toBe('Must be integer.');
    expect(await checkAgainstSchema('{"type":"string","minLength":1}', '')).toBe(
      'Must NOT have fewer than 1 characters.',
    );
  });

  it('leaves a schema it cannot compile to the server', async () => {
    expect(await checkAgainstSchema('{"type": "nonsense"}', 1)).toBeUndefined();
  });
});
