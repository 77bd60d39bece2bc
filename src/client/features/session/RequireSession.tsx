import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAppStore } from '../../store';
import { ServerUnreachable } from './ServerUnreachable';
import { SplashScreen } from './SplashScreen';

/** Shows its children to a signed-in person; anyone else is sent to the login page and back after. */
export function RequireSession({ children }: { children: ReactNode }) {
  const status = useAppStore((s) => s.sessionStatus);
  const location = useLocation();
  if (status === 'checking') return <SplashScreen />;
  if (status === 'unreachable') return <ServerUnreachable />;
  if (status !== 'signedIn') {
    const next = location.pathname + location.search;
    return <Navigate to="/login" replace state={{ next }} />;
  }
  return children;
}
