/** Toasts and the theme preference: app-wide UI state that is not server data. */
import type { SliceCreator } from './appState';

export type ThemePreference = 'system' | 'light' | 'dark';

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  message: string;
  /** A button beside the message (e.g. "Reload" when a new version is ready). */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run(): void;
  /** The toast stays until it is acted on or dismissed. */
  isSticky?: boolean;
}

export interface UiSlice {
  toasts: Toast[];
  themePreference: ThemePreference;
  notify(message: string, kind?: Toast['kind'], action?: ToastAction): number;
  dismissToast(id: number): void;
  setThemePreference(preference: ThemePreference): void;
}

export const THEME_STORAGE_KEY = 'tributary.theme';
const TOAST_MS = { success: 4_000, info: 5_000, error: 9_000 } as const;
const MAX_TOASTS = 3;

function readPreference(storage: Pick<Storage, 'getItem'> | undefined): ThemePreference {
  try {
    const value = storage?.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system'; // storage can throw in private modes
  }
}

export const createUiSlice: SliceCreator<UiSlice> = (deps) => (set, get) => {
  let nextToastId = 1;
  return {
    toasts: [],
    themePreference: readPreference(deps.preferences),

    notify(message, kind = 'success', action) {
      const id = nextToastId++;
      const toast: Toast = action ? { id, kind, message, action } : { id, kind, message };
      set((s) => ({ toasts: [...s.toasts, toast].slice(-MAX_TOASTS) }));
      if (!action?.isSticky) deps.setTimeout(() => get().dismissToast(id), TOAST_MS[kind]);
      return id;
    },

    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
    },

    setThemePreference(preference) {
      try {
        if (preference === 'system') deps.preferences?.removeItem(THEME_STORAGE_KEY);
        else deps.preferences?.setItem(THEME_STORAGE_KEY, preference);
      } catch {
        // Not persisted; the choice still holds for this visit.
      }
      set({ themePreference: preference });
    },
  };
};
