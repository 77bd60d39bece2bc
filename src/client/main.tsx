/** Bootstraps the web app: styles, the session check and the React root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker } from './pwa/registerServiceWorker';
import { useAppStore } from './store';
import './ui/tokens.css';
import './ui/base.css';

void useAppStore.getState().checkSession();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Only the production build has a service worker (`npm run dev` serves sources that change).
if (import.meta.env.PROD) registerServiceWorker();
