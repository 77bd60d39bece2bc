import { Moon, Sun } from 'lucide-react';
import { useAppStore } from '../store';
import { useTheme } from './useTheme';

/** The dark-mode switch: starts from the system setting; flipping it makes the choice explicit. */
export function ThemeSwitch() {
  const { isDark } = useTheme();
  const setPreference = useAppStore((s) => s.setThemePreference);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={isDark}
      aria-label="Dark mode"
      title={isDark ? 'Switch to light mode' : 'Switch to dark mode'}
      className="btn btn-ghost btn-icon"
      onClick={() => setPreference(isDark ? 'light' : 'dark')}
    >
      {isDark ? <Moon size={20} aria-hidden /> : <Sun size={20} aria-hidden />}
    </button>
  );
}
