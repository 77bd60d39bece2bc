import { describe, expect, it } from 'vitest';
import { preloadable, preloadLazyModules } from './lazyWithPreload';

describe('preloadLazyModules', () => {
  it('loads every registered module, those they register while loading, and failures do not stop it', async () => {
    const loaded: string[] = [];
    preloadable(async () => {
      loaded.push('page');
      // A module that arrives by preloading registers its own lazy parts.
      preloadable(async () => {
        loaded.push('widget');
      });
    });
    preloadable(() => Promise.reject(new Error('offline')));
    preloadable(async () => {
      loaded.push('dialog');
    });
    expect(loaded).toEqual([]);
    await preloadLazyModules();
    expect(loaded.sort()).toEqual(['dialog', 'page', 'widget']);
  });
});
