import { Cpu, RadioTower, Star } from 'lucide-react';
import { Suspense, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { useAppStore } from '../../store';
import { Logo } from '../../ui/Logo';
import { PageErrorBoundary } from '../../ui/PageErrorBoundary';
import { PageSkeleton } from '../../ui/PageSkeleton';
import { ThemeSwitch } from '../../ui/ThemeSwitch';

import { SyncStatusIndicator } from '../sync/SyncStatusIndicator';
import { AccountMenu } from './AccountMenu';
import './shell.css';

/** The frame of every signed-in page: header, main navigation (a tab bar on phones) and content. */
export function AppShell() {
  const user = useAppStore((s) => s.session?.user ?? '');
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const isFirstRender = useRef(true);

  // After navigating, screen reader and keyboard users start at the new page, not in the old menu.
  useEffect(() => {
    if (isFirstRender.current) {
      isFirstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <Link to="/" className="brand">
            <Logo />
            <span>Tributary</span>
          </Link>
          <nav className="app-nav" aria-label="Main">
            <NavLink to="/" end className="app-nav-link">
              <Star size={20} aria-hidden />
              <span>Insert</span>
            </NavLink>
            <NavLink to={`/${user}`} className="app-nav-link">
              <Cpu size={20} aria-hidden />
              <span>Devices</span>
            </NavLink>
            <NavLink to="/downlinks" className="app-nav-link">
              <RadioTower size={20} aria-hidden />
              <span>Downlinks</span>
            </NavLink>
          </nav>
          <div className="app-header-actions">
            <SyncStatusIndicator />
            <ThemeSwitch />
            <AccountMenu />
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        <PageErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </PageErrorBoundary>
      </main>
    </div>
  );
}
