import type { StateCreator } from 'zustand';
import type { CatalogSlice } from './catalogSlice';
import type { DataSlice } from './dataSlice';
import type { DownlinkSlice } from './downlinkSlice';
import type { EntrySlice } from './entrySlice';
import type { PlotSlice } from './plotSlice';
import type { TransformSlice } from './transformSlice';
import type { SessionSlice } from './sessionSlice';
import type { UiSlice } from './uiSlice';
import type { SliceDeps } from './storeDeps';
import type { SyncSlice } from './syncSlice';

/** The whole app state: one bound store made of slices (CONVENTIONS: `xSlice.ts` → `createXSlice`). */
export type AppState = SessionSlice &
  CatalogSlice &
  DataSlice &
  DownlinkSlice &
  EntrySlice &
  PlotSlice &
  SyncSlice &
  UiSlice &
  TransformSlice;

/** A slice creator with access to the whole state and the injected dependencies. */
export type SliceCreator<T> = (deps: SliceDeps) => StateCreator<AppState, [], [], T>;

/** A value being read from the server: the last good value stays while a refresh runs. */
export interface Loadable<T> {
  status: 'loading' | 'ready' | 'error';
  value?: T;
  error?: string;
}
