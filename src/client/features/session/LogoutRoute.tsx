import { CloudUpload } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link, Navigate } from 'react-router';
import { useAppStore } from '../../store';
import { SplashScreen } from './SplashScreen';
import './session.css';

interface Leftover {
  pending: number;
  rejected: number;
}

/**
 * `/logout`, as in the original: ends the session, then shows the login page. Values this device
 * has not delivered yet are sent first; if some remain (offline, or refused), the person is asked
 * whether to keep them for their next login or to discard them.
 */
export function LogoutRoute() {
  const status = useAppStore((s) => s.sessionStatus);
  const user = useAppStore((s) => s.session?.user);
  const logOut = useAppStore((s) => s.logOut);
  const flushOutbox = useAppStore((s) => s.flushOutbox);
  const [leftover, setLeftover] = useState<Leftover>();
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    if (status !== 'signedIn') return;
    let isCancelled = false;
    void (async () => {
      const counts = await flushOutbox();
      if (isCancelled) return;
      if (counts.pending + counts.rejected === 0) void logOut();
      else setLeftover({ pending: counts.pending, rejected: counts.rejected });
    })();
    return () => {
      isCancelled = true;
    };
  }, [status, logOut, flushOutbox]);

  if (status !== 'signedIn' && status !== 'checking') return <Navigate to="/login" replace />;
  if (!leftover) return <SplashScreen />;

  const total = leftover.pending + leftover.rejected;
  const what = total === 1 ? '1 value is' : `${total} values are`;
  const finish = async (discardQueue: boolean) => {
    setIsBusy(true);
    await logOut({ discardQueue });
  };

  return (
    <div className="auth-screen">
      <section className="card auth-card stack" aria-labelledby="logout-title">
        <div className="empty-icon" aria-hidden>
          <CloudUpload size={28} />
        </div>
        <h1 id="logout-title">Log out with values not saved?</h1>
        <p>
          {what} on this device but not on the server
          {leftover.rejected > 0 ? ` (${leftover.rejected} refused by it)` : ''}. If you keep them, they stay
          on this device until they can be sent — at the latest when {user ?? 'you'} logs in here again.
        </p>
        <div className="stack logout-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={isBusy}
            onClick={() => void finish(false)}
          >
            Keep them and log out
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={isBusy}
            onClick={() => void finish(true)}
          >
            Discard them and log out
          </button>
          <Link to="/queue" className="btn">
            Stay and see the queue
          </Link>
        </div>
      </section>
    </div>
  );
}
