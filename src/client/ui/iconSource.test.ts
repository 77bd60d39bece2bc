import { describe, expect, it } from 'vitest';
import { iconImageSource, materialIconName } from './iconSource';

describe('icons', () => {
  it('reads material icon names', () => {
    expect(materialIconName('material:star')).toBe('star');
    expect(materialIconName('fa:star')).toBeUndefined();
    expect(materialIconName('')).toBeUndefined();
  });

  it('recognises images given as data URLs or bare base64, and nothing else', () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    expect(iconImageSource(png)).toBe(`data:image/png;base64,${png}`);
    expect(iconImageSource(`data:image/png;base64,${png}`)).toBe(`data:image/png;base64,${png}`);
    expect(iconImageSource('material:star')).toBeUndefined();
    expect(iconImageSource('javascript:alert(1)')).toBeUndefined();
    expect(iconImageSource('data:text/html;base64,PGgxPg==')).toBeUndefined();
  });
});
