/**
 * The bound store. Components select what they need (`useAppStore((s) => s.session)`); selectors
 * that build a new object or array use `useAppStoreShallow`, or they would re-render forever.
 */
import { create, type StateCreator } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useShallow } from 'zustand/react/shallow';
import { createIdempotencyKey } from '../../sdk';
import { passwordClient, tributaryClient } from '../api/tributaryClient';
import { browserConnectivity } from '../local-first/connectivity';
import { requestBackgroundSync } from '../pwa/backgroundSync';
import type { AppState } from './appState';
import { createCatalogSlice } from './catalogSlice';
import { createDataSlice } from './dataSlice';
import { createDownlinkSlice } from './downlinkSlice';
import { createEntrySlice } from './entrySlice';
import { createLocalFirstRuntime } from './localFirstRuntime';
import { createPlotSlice } from './plotSlice';
import { createTransformSlice } from './transformSlice';
import { createSessionSlice } from './sessionSlice';
import { createSyncSlice } from './syncSlice';
import { createUiSlice } from './uiSlice';
import type { SliceDeps, StoreDeps } from './storeDeps';

function appStateCreator(storeDeps: StoreDeps): StateCreator<AppState> {
  const deps: SliceDeps = { ...storeDeps, local: createLocalFirstRuntime(storeDeps) };
  return (...a) => ({
    ...createSessionSlice(deps)(...a),
    ...createCatalogSlice(deps)(...a),
    ...createDataSlice(deps)(...a),
    ...createDownlinkSlice(deps)(...a),
    ...createEntrySlice(deps)(...a),
    ...createPlotSlice(deps)(...a),
    ...createTransformSlice(deps)(...a),
    ...createSyncSlice(deps)(...a),
    ...createUiSlice(deps)(...a),
  });
}

/** A store with its own dependencies: tests pass a fake server. */
export function createAppStore(deps: StoreDeps): StoreApi<AppState> {
  return createStore<AppState>()(appStateCreator(deps));
}

function browserPreferences(): StoreDeps['preferences'] {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export const useAppStore = create<AppState>()(
  appStateCreator({
    client: tributaryClient,
    createSession: (username, password, remember) =>
      passwordClient(username, password).createSession(remember),
    newIdempotencyKey: () => createIdempotencyKey(),
    nowSeconds: () => Date.now() / 1000,
    preferences: browserPreferences(),
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    localFirst: {
      // A chunk of its own: Dexie is fetched while the session is checked, not before the first paint.
      load: () => import('../local-first'),
      openDb: (module) => module.openLocalDb(),
      connectivity: browserConnectivity(),
      requestBackgroundSync,
    },
  }),
);

/** `useAppStore` for selectors that return a new object or array each time (compared shallowly). */
export function useAppStoreShallow<T>(selector: (state: AppState) => T): T {
  return useAppStore(useShallow(selector));
}

export type { AppState, Loadable } from './appState';
