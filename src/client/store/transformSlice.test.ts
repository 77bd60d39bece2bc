import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { Datapoint } from '../../core/model';
import { ApiError, NetworkError } from '../../sdk';
import type { AppState } from './appState';
import { createTransformSlice } from './transformSlice';

function storeWith(
  read: (path: string, range: unknown, options: { transform?: string }) => Promise<Datapoint[]>,
  held: Datapoint[] = [],
) {
  const deps = { client: { read: vi.fn(read) } } as never;
  const store = createStore<AppState>()(
    (set, get, api) =>
      ({
        series: { 'a/b/c': { status: 'ready', points: held, window: {} } },
        ...createTransformSlice(deps)(set, get, api),
      }) as unknown as AppState,
  );
  return { store, read: (deps as { client: { read: ReturnType<typeof vi.fn> } }).client.read };
}

describe('transformSlice', () => {
  it('runs the transform on the server over the window', async () => {
    const { store, read } = storeWith(async () => [{ t: 5, d: 15 }]);
    await store.getState().runTransform('a/b/c', 'sum | if last', { t1: 100 });
    expect(read).toHaveBeenCalledWith('a/b/c', { t1: 100, t2: undefined }, { transform: 'sum | if last' });
    expect(store.getState().transformResults['a/b/c']).toMatchObject({
      status: 'ready',
      ranOn: 'server',
      points: [{ t: 5, d: 15 }],
    });
  });

  it('refuses a syntax error with its position before asking the server', async () => {
    const { store, read } = storeWith(async () => []);
    await store.getState().runTransform('a/b/c', 'if $ >> 5', {});
    expect(read).not.toHaveBeenCalled();
    expect(store.getState().transformResults['a/b/c']).toMatchObject({ status: 'error' });
    expect(store.getState().transformResults['a/b/c']!.error).toMatch(/at character \d+/);
  });

  it('computes offline, over the values the page holds', async () => {
    const held = [1, 2, 3].map((d, i) => ({ t: i + 1, d }));
    const { store } = storeWith(async () => {
      throw new NetworkError('offline');
    }, held);
    await store.getState().runTransform('a/b/c', 'sum | if last', {});
    expect(store.getState().transformResults['a/b/c']).toMatchObject({
      status: 'ready',
      ranOn: 'browser',
      points: [{ t: 3, d: 6 }],
    });
  });

  it('shows what the server refused', async () => {
    const { store } = storeWith(async () => {
      throw new ApiError(400, { code: 400, msg: 'PipeScript run-time error: bad', ref: 'ref' });
    });
    await store.getState().runTransform('a/b/c', '$ > 5', {});
    expect(store.getState().transformResults['a/b/c']).toMatchObject({
      status: 'error',
      error: 'PipeScript run-time error: bad.',
    });
  });
});
