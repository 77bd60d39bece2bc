import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AppShell } from './features/shell/AppShell';
import { LogoutRoute } from './features/session/LogoutRoute';
import { RequireSession } from './features/session/RequireSession';
import { SplashScreen } from './features/session/SplashScreen';
import { Toaster } from './ui/Toaster';
import { useTheme } from './ui/useTheme';

// Every page is its own chunk: the first load carries only the shell, the store and the sdk.
const LoginPage = lazy(() => import('./features/session/LoginPage').then((m) => ({ default: m.LoginPage })));
const InsertPage = lazy(() =>
  import('./features/insert/InsertPage').then((m) => ({ default: m.InsertPage })),
);
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
        <Route path="/logout" element={<LogoutRoute />} />
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
