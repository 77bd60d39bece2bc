/** Bootstraps the web app: styles, the session check and the React root. */
// First, so that every component's styles come after them and win over the base ones.
import './ui/tokens.css';
import './ui/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker } from './pwa/registerServiceWorker';
import { useAppStore } from './store';
import { preloadLazyModules } from './ui/lazyWithPreload';

/** The longest the rest of the app waits for an idle moment after the first page (ms). */
const IDLE_DELAY_MS = 2_000;

void useAppStore.getState().checkSession();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Once the session check has settled and the browser is idle, the rest of the app loads: every
// lazily loaded page and widget (so they work offline from then on, even before the service worker
// has cached them) and, in the production build, the service worker. Neither competes with the
// first page: the service worker's script, workbox-window and its precache are about 1 MB on a
// first visit. (`npm run dev` has no service worker: it serves sources that change.)
function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: IDLE_DELAY_MS });
  else setTimeout(run, 200);
}

function loadTheRest(): void {
  whenIdle(() => {
    // Marks where the first page ends and the rest begins, and when all of the app is here, for
    // measurements and tests (e2e/bundle.spec.ts, e2e/pages/LocalFirst.ts).
    performance.mark('tributary:rest-of-app');
    void preloadLazyModules().then(() => performance.mark('tributary:app-loaded'));
    if (import.meta.env.PROD) registerServiceWorker();
  });
}

if (useAppStore.getState().sessionStatus !== 'checking') loadTheRest();
else {
  const stop = useAppStore.subscribe((state) => {
    if (state.sessionStatus === 'checking') return;
    stop();
    loadTheRest();
  });
}
