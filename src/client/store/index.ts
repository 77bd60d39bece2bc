/** The app state (zustand). Only this folder imports zustand; everything else imports from here. */
export { useAppStore, useAppStoreShallow, createAppStore } from './useAppStore';
export type { AppState, Loadable } from './appState';
export type { Session, SessionStatus } from './sessionSlice';
export type { DataWindow, SeriesState } from './dataSlice';
export type { DownlinkLiveness, DownlinkView } from './downlinkSlice';
export { DOWNLINK_LOG_LIMIT, OFFLINE_EXPLANATION, OFFLINE_REASON } from './downlinkSlice';
export type { Entry, EntryState } from './entrySlice';
export type { Toast, ToastAction, ThemePreference } from './uiSlice';
export type { ActionResult } from './describeError';
export { describeRefusal } from './describeError';
export type { StoreDeps, ApiClient } from './storeDeps';
export { deviceKey, streamKey } from './paths';
export { mergePoints } from './mergePoints';
export { THEME_STORAGE_KEY } from './uiSlice';
export type { SyncState } from './syncSlice';
export { OFFLINE_COMMAND_ERROR } from './entrySlice';
export { isPendingPoint, withPendingPoints } from './pendingPoints';
export type {
  DisplayPoint,
  OutboxCounts,
  OutboxRecord,
  OutboxState,
  PendingPoint,
  QueueActionResult,
  SyncStatus,
} from '../local-first';
