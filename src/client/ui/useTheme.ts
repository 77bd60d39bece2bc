import { useEffect, useSyncExternalStore } from 'react';
import { useAppStore } from '../store';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribeToSystemTheme(onChange: () => void): () => void {
  const query = globalThis.matchMedia?.(DARK_QUERY);
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
}

const systemPrefersDark = () => globalThis.matchMedia?.(DARK_QUERY).matches ?? false;

/**
 * The theme in effect: the person's choice, else the system's. Writes `data-theme` on `<html>`
 * only for an explicit choice, so the CSS media query keeps following the system otherwise.
 */
export function useTheme(): { isDark: boolean } {
  const preference = useAppStore((s) => s.themePreference);
  const isSystemDark = useSyncExternalStore(subscribeToSystemTheme, systemPrefersDark, () => false);
  useEffect(() => {
    const root = document.documentElement;
    if (preference === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', preference);
  }, [preference]);
  return { isDark: preference === 'dark' || (preference === 'system' && isSystemDark) };
}
