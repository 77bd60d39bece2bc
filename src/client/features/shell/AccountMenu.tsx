import { LogOut, Monitor, Moon, Smartphone, Sun } from 'lucide-react';
import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useAppStore, type ThemePreference } from '../../store';
import { lazyWithPreload } from '../../ui/lazyWithPreload';

// Its QR code encoder is only loaded when the dialog is opened.
const PhoneSetupDialog = lazyWithPreload(() => import('./PhoneSetupDialog').then((m) => m.PhoneSetupDialog));

const THEMES: { value: ThemePreference; label: string; Icon: typeof Sun }[] = [
  { value: 'system', label: 'System', Icon: Monitor },
  { value: 'light', label: 'Light', Icon: Sun },
  { value: 'dark', label: 'Dark', Icon: Moon },
];

/** The account button: who is logged in, the theme choice, the server's version and logging out. */
export function AccountMenu() {
  const session = useAppStore((s) => s.session);
  const version = useAppStore((s) => s.serverVersion);
  const preference = useAppStore((s) => s.themePreference);
  const setPreference = useAppStore((s) => s.setThemePreference);
  const [isOpen, setIsOpen] = useState(false);
  const [isPhoneSetupOpen, setIsPhoneSetupOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setIsOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen]);

  if (!session) return null;
  const initial = session.user.slice(0, 1).toUpperCase();

  return (
    <div className="account" ref={rootRef}>
      {isPhoneSetupOpen && (
        <Suspense fallback={null}>
          <PhoneSetupDialog
            onClose={() => {
              setIsPhoneSetupOpen(false);
              buttonRef.current?.focus();
            }}
          />
        </Suspense>
      )}
      <button
        ref={buttonRef}
        type="button"
        className="account-button"
        aria-expanded={isOpen}
        aria-controls={panelId}
        aria-label={`Account: ${session.user}`}
        onClick={() => setIsOpen((open) => !open)}
      >
        <span aria-hidden>{initial}</span>
      </button>
      {isOpen && (
        <div id={panelId} className="account-panel card">
          <p className="account-who">
            Logged in as <strong>{session.user}</strong>
            {session.isAdmin && <span className="badge badge-accent">admin</span>}
          </p>
          <Link to={`/${session.user}`} className="btn btn-small" onClick={() => setIsOpen(false)}>
            Your profile and devices
          </Link>
          <fieldset>
            <legend>Theme</legend>
            <div className="segmented">
              {THEMES.map(({ value, label, Icon }) => (
                <button
                  key={value}
                  type="button"
                  aria-pressed={preference === value}
                  onClick={() => setPreference(value)}
                >
                  <Icon size={14} aria-hidden style={{ marginRight: 4, verticalAlign: -2 }} />
                  {label}
                </button>
              ))}
            </div>
          </fieldset>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setIsOpen(false);
              setIsPhoneSetupOpen(true);
            }}
          >
            <Smartphone size={16} aria-hidden />
            Set up a phone
          </button>
          {version && <p className="muted account-version">Tributary {version}</p>}
          <Link to="/logout" className="btn btn-block">
            <LogOut size={16} aria-hidden />
            Log out
          </Link>
        </div>
      )}
    </div>
  );
}
