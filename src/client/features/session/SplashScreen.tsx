import './session.css';
import { Logo } from '../../ui/Logo';

/** Shown for the moment it takes to ask the server who is logged in. */
export function SplashScreen() {
  return (
    <div className="auth-screen" role="status" aria-label="Loading Tributary">
      <Logo size={48} />
    </div>
  );
}
