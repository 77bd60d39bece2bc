import './session.css';
import { CloudOff } from 'lucide-react';
import { useAppStore } from '../../store';
import { EmptyState } from '../../ui/EmptyState';

/** The server did not answer at start: say so and offer to try again, rather than a login form. */
export function ServerUnreachable() {
  const error = useAppStore((s) => s.sessionError);
  const check = useAppStore((s) => s.checkSession);
  return (
    <div className="auth-screen">
      <div className="card auth-card">
        <EmptyState
          icon={<CloudOff size={28} />}
          title="Cannot reach Tributary"
          action={
            <button type="button" className="btn btn-primary" onClick={() => void check()}>
              Try again
            </button>
          }
        >
          {error ?? 'The server did not answer.'}
        </EmptyState>
      </div>
    </div>
  );
}
