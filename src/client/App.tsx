import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { InsertPage } from './features/insert/InsertPage';
import { AppShell } from './features/shell/AppShell';
import { RequireSession } from './features/session/RequireSession';
import { SplashScreen } from './features/session/SplashScreen';
import { Toaster } from './ui/Toaster';
import { useTheme } from './ui/useTheme';

// The Insert page is where a person lands after logging in: it comes with the shell, the store and
// the sdk (one download, no second round trip). Every other page is its own chunk.
const LoginPage = lazy(() => import('./features/session/LoginPage').then((m) => ({ default: m.LoginPage })));
const DownlinksPage = lazy(() =>
  import('./features/downlinks/DownlinksPage').then((m) => ({ default: m.DownlinksPage })),
);
const UserPage = lazy(() => import('./features/devices/UserPage').then((m) => ({ default: m.UserPage })));
const DevicePage = lazy(() =>
  import('./features/devices/DevicePage').then((m) => ({ default: m.DevicePage })),
);
const StreamPage = lazy(() =>
  import('./features/stream/StreamPage').then((m) => ({ default: m.StreamPage })),
);
const QueuePage = lazy(() => import('./features/queue/QueuePage').then((m) => ({ default: m.QueuePage })));
const LogoutRoute = lazy(() =>
  import('./features/session/LogoutRoute').then((m) => ({ default: m.LogoutRoute })),
);
const NotFoundPage = lazy(() =>
  import('./features/shell/NotFoundPage').then((m) => ({ default: m.NotFoundPage })),
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
            <Suspense fallback={<SplashScreen />}>
              <LoginPage />
            </Suspense>
          }
        />
        <Route
          path="/logout"
          element={
            <Suspense fallback={<SplashScreen />}>
              <LogoutRoute />
            </Suspense>
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
