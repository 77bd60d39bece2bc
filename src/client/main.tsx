/** Bootstraps the web app: styles, the session check and the React root. */
// First, so that every component's styles come after them and win over the base ones.
import './ui/tokens.css';
import './ui/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker } from './pwa/registerServiceWorker';
import { useAppStore } from './store';

/** The longest the service worker waits for an idle moment after the first page (ms). */
const SERVICE_WORKER_DELAY_MS = 2_000;

void useAppStore.getState().checkSession();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Only the production build has a service worker (`npm run dev` serves sources that change). It is
// registered once the session check has settled and the browser is idle: its script, workbox-window
// and the precache of every chunk (about 1 MB on a first visit) must not compete with the first page.
if (import.meta.env.PROD) {
  const registerWhenIdle = () => {
    if (typeof requestIdleCallback === 'function') {
      requestIdleCallback(registerServiceWorker, { timeout: SERVICE_WORKER_DELAY_MS });
    } else {
      setTimeout(registerServiceWorker, 200);
    }
  };
  if (useAppStore.getState().sessionStatus !== 'checking') registerWhenIdle();
  else {
    const stop = useAppStore.subscribe((state) => {
      if (state.sessionStatus === 'checking') return;
      stop();
      registerWhenIdle();
    });
  }
}
