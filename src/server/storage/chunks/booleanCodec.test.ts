import { describe, expect, it } from 'vitest';
import { decodeBooleans, encodeBooleans } from './booleanCodec';

describe('boolean codec', () => {
  it('packs eight booleans per byte and unpacks them', () => {
    const values = Uint8Array.from({ length: 21 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const bytes = encodeBooleans(values);
    expect(bytes.length).toBe(3);
    expect(decodeBooleans(bytes, 21)).toEqual(values);
  });
});
