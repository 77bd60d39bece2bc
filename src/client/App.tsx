import { Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { InsertPage } from './features/insert/InsertPage';
import { AppShell } from './features/shell/AppShell';
import { RequireSession } from './features/session/RequireSession';
import { SplashScreen } from './features/session/SplashScreen';
import { lazyWithPreload } from './ui/lazyWithPreload';
import { PageErrorBoundary } from './ui/PageErrorBoundary';
import { Toaster } from './ui/Toaster';
import { useTheme } from './ui/useTheme';

// The Insert page is where a person lands after logging in: it comes with the shell, the store and
// the sdk (one download, no second round trip). Every other page is its own chunk.
const LoginPage = lazyWithPreload(() => import('./features/session/LoginPage').then((m) => m.LoginPage));
const DownlinksPage = lazyWithPreload(() =>
  import('./features/downlinks/DownlinksPage').then((m) => m.DownlinksPage),
);
const UserPage = lazyWithPreload(() => import('./features/devices/UserPage').then((m) => m.UserPage));
const DevicePage = lazyWithPreload(() => import('./features/devices/DevicePage').then((m) => m.DevicePage));
const StreamPage = lazyWithPreload(() => import('./features/stream/StreamPage').then((m) => m.StreamPage));
const QueuePage = lazyWithPreload(() => import('./features/queue/QueuePage').then((m) => m.QueuePage));
const LogoutRoute = lazyWithPreload(() =>
  import('./features/session/LogoutRoute').then((m) => m.LogoutRoute),
);
const NotFoundPage = lazyWithPreload(() =>
  import('./features/shell/NotFoundPage').then((m) => m.NotFoundPage),
);

/** Routes as in ConnectorDB: `/`, `/{user}`, `/{user}/{device}`, `/{user}/{device}/{stream}`. */
export function App() {
  useTheme();
  return (
    <BrowserRouter>
      <Routes>
        <Route
          path="/login"
          element={
            <PageErrorBoundary>
              <Suspense fallback={<SplashScreen />}>
                <LoginPage />
              </Suspense>
            </PageErrorBoundary>
          }
        />
        <Route
          path="/logout"
          element={
            <PageErrorBoundary>
              <Suspense fallback={<SplashScreen />}>
                <LogoutRoute />
              </Suspense>
            </PageErrorBoundary>
          }
        />
        <Route
          element={
            <RequireSession>
              <AppShell />
            </RequireSession>
          }
        >
          <Route index element={<InsertPage />} />
          <Route path="downlinks" element={<DownlinksPage />} />
          <Route path="queue" element={<QueuePage />} />
          <Route path=":user" element={<UserPage />} />
          <Route path=":user/:device" element={<DevicePage />} />
          <Route path=":user/:device/:stream" element={<StreamPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
      {/* Outside the routes: the update prompt may come while the login page is shown. */}
      <Toaster />
    </BrowserRouter>
  );
}
