import { X } from 'lucide-react';
import { useAppStore } from '../store';

/** Confirmations and errors, announced to screen readers (errors assertively). */
export function Toaster() {
  const toasts = useAppStore((s) => s.toasts);
  const dismiss = useAppStore((s) => s.dismissToast);
  return (
    <div className="toasts">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={toast.kind === 'error' ? 'toast toast-error' : 'toast'}
          role={toast.kind === 'error' ? 'alert' : 'status'}
        >
          <p>{toast.message}</p>
          {toast.action && (
            <button
              type="button"
              className="btn btn-small toast-action"
              onClick={() => {
                dismiss(toast.id);
                toast.action?.run();
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button
            type="button"
            className="btn btn-ghost btn-icon btn-small"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            <X size={16} aria-hidden />
          </button>
        </div>
      ))}
    </div>
  );
}
