import { Navigate, useLocation } from 'react-router';
import { useAppStore } from '../../store';
import { Logo } from '../../ui/Logo';
import { usePageTitle } from '../../ui/usePageTitle';
import { LoginForm } from './LoginForm';
import { ServerUnreachable } from './ServerUnreachable';
import { SetupForm } from './SetupForm';
import { SplashScreen } from './SplashScreen';
import './session.css';

/** `/login`: the login form, or on a brand-new server the form that creates the first admin. */
export function LoginPage() {
  const status = useAppStore((s) => s.sessionStatus);
  const location = useLocation();
  const needsSetup = status === 'needsSetup';
  usePageTitle(needsSetup ? 'Welcome' : 'Log in');

  if (status === 'checking') return <SplashScreen />;
  if (status === 'unreachable') return <ServerUnreachable />;
  if (status === 'signedIn') {
    const next = (location.state as { next?: string } | null)?.next;
    return <Navigate to={next && next !== '/login' ? next : '/'} replace />;
  }

  return (
    <main className="auth-screen">
      <div className="card auth-card">
        <div className="auth-brand">
          <Logo size={40} />
          <span>Tributary</span>
        </div>
        {needsSetup ? <SetupForm /> : <LoginForm />}
      </div>
      <p className="auth-footnote muted">Your personal data repository, on your own server.</p>
    </main>
  );
}
