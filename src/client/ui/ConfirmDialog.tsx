import { useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs the action; an error message keeps the dialog open and shows it. */
  onConfirm: () => Promise<string | undefined>;
  onClose: () => void;
  isDestructive?: boolean;
}

/** Asks before something that cannot be undone (deleting, resetting a key). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  isDestructive = true,
}: ConfirmDialogProps) {
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setIsBusy(true);
    setError(undefined);
    const failure = await onConfirm();
    setIsBusy(false);
    if (failure) setError(failure);
    else onClose();
  };

  return (
    <Dialog open={open} onClose={onClose} title={title}>
      <div className="stack">
        <div className="muted">{children}</div>
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={isDestructive ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={isBusy}
            onClick={() => void confirm()}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
