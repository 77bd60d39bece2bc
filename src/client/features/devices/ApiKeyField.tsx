import { Copy, Eye, EyeOff, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import type { Device } from '../../../core/model';
import { useAppStore } from '../../store';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

/** Hides all but the last block of a key, so it can be shown on a screen someone else can see. */
export function maskApiKey(key: string): string {
  const tail = key.slice(-4);
  return `${'•'.repeat(Math.max(4, key.length - 4))}${tail}`;
}

/** A device's API key: hidden by default, with show, copy and (confirmed) reset. */
export function ApiKeyField({ user, device }: { user: string; device: Device }) {
  const resetApiKey = useAppStore((s) => s.resetApiKey);
  const notify = useAppStore((s) => s.notify);
  const [isShown, setIsShown] = useState(false);
  const [isConfirming, setIsConfirming] = useState(false);
  const key = device.apikey;

  if (!key) return <p className="muted">This device has no API key, so nothing can log in as it.</p>;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(key);
      notify('API key copied');
    } catch {
      setIsShown(true);
      notify('Copying is blocked here: select the key and copy it by hand', 'info');
    }
  };

  return (
    <div className="stack" style={{ gap: 'var(--space-2)' }}>
      <div className="apikey">
        <code aria-label="API key" data-testid="apikey">
          {isShown ? key : maskApiKey(key)}
        </code>
        <div className="btn-group">
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={isShown}
            onClick={() => setIsShown((v) => !v)}
          >
            {isShown ? <EyeOff size={16} aria-hidden /> : <Eye size={16} aria-hidden />}
            {isShown ? 'Hide' : 'Show'}
          </button>
          <button type="button" className="btn btn-small" onClick={() => void copy()}>
            <Copy size={16} aria-hidden />
            Copy
          </button>
          <button type="button" className="btn btn-small" onClick={() => setIsConfirming(true)}>
            <RefreshCw size={16} aria-hidden />
            Reset
          </button>
        </div>
      </div>
      <p className="field-hint">
        Anything holding this key can read and write as this device. Keep it private.
      </p>
      <ConfirmDialog
        open={isConfirming}
        title="Reset the API key?"
        confirmLabel="Reset key"
        onClose={() => setIsConfirming(false)}
        onConfirm={async () => {
          const result = await resetApiKey(user, device.name);
          if (!result.ok) return result.error;
          setIsShown(true);
          notify('New API key created');
          return undefined;
        }}
      >
        Anything using the current key stops working until you give it the new one.
      </ConfirmDialog>
    </div>
  );
}
