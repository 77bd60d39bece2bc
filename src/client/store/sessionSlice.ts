/**
 * Who is logged in. The session lives in an HttpOnly cookie the page cannot read, so it is learned
 * by asking the server (`whoami`); the first-run state comes from `GET /api/v1/setup`. The person
 * last logged in is remembered on this device, so that the app opens offline (from its cache and
 * outbox) and is checked with the server again once it can be reached.
 */
import { ApiError, NetworkError } from '../../sdk';
import type { SliceCreator } from './appState';
import { describeError, failed, ok, type ActionResult } from './describeError';
import { initialCatalogState } from './catalogSlice';
import { initialDataState } from './dataSlice';
import { initialEntryState } from './entrySlice';
import { initialPlotState } from './plotSlice';
import { initialSyncState } from './syncSlice';
import type { StoreDeps } from './storeDeps';

export type SessionStatus = 'checking' | 'signedOut' | 'needsSetup' | 'signedIn' | 'unreachable';

/** The first admin, created by the first-run form (`POST /api/v1/setup`). */
export interface FirstAdmin {
  name: string;
  email: string;
  password: string;
}

export interface Session {
  user: string;
  /** The device the session acts as: `user` after a password login. */
  device: string;
  isAdmin: boolean;
}

export interface SessionSlice {
  sessionStatus: SessionStatus;
  session: Session | null;
  /** Why the last check could not tell (shown with a retry when the server is unreachable). */
  sessionError: string | null;
  /**
   * False while the app runs offline as the person last logged in on this device, before the
   * server could confirm the session; true once it did.
   */
  isSessionVerified: boolean;
  serverVersion: string;
  checkSession(): Promise<void>;
  logIn(username: string, password: string, remember: boolean): Promise<ActionResult>;
  setUp(admin: FirstAdmin): Promise<ActionResult>;
  /**
   * Ends the session: stops sending, forgets this person's cached data on this device and in
   * memory. Values not yet on the server stay in the outbox for their next login unless
   * `discardQueue` (the logout question's "Discard and log out").
   */
  logOut(options?: { discardQueue?: boolean }): Promise<void>;
}

/** Where the last person to log in on this device is remembered (not a secret: a name). */
export const SESSION_STORAGE_KEY = 'tributary.session';
/**
 * Set when logging out could not reach the server: the HttpOnly cookie is still valid there, so
 * the session is ended at the next start that can reach it, before anything else.
 */
export const LOGOUT_PENDING_KEY = 'tributary.logoutPending';
/** How long the start waits for the server before opening the app offline for a remembered person. */
const SLOW_CHECK_MS = 4_000;

function readRememberedSession(storage: StoreDeps['preferences']): Session | null {
  try {
    const value = JSON.parse(storage?.getItem(SESSION_STORAGE_KEY) ?? 'null') as Partial<Session> | null;
    if (typeof value?.user !== 'string' || typeof value.device !== 'string') return null;
    return { user: value.user, device: value.device, isAdmin: value.isAdmin === true };
  } catch {
    return null;
  }
}

function rememberSession(storage: StoreDeps['preferences'], session: Session | null): void {
  try {
    if (session) storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else storage?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Not remembered: the app then needs the server to open.
  }
}

function readFlag(storage: StoreDeps['preferences'], key: string): boolean {
  try {
    return storage?.getItem(key) === '1';
  } catch {
    return false;
  }
}

function setFlag(storage: StoreDeps['preferences'], key: string, isSet: boolean): void {
  try {
    if (isSet) storage?.setItem(key, '1');
    else storage?.removeItem(key);
  } catch {
    // Not kept: nothing more can be done without storage.
  }
}

export const createSessionSlice: SliceCreator<SessionSlice> = (deps) => (set, get) => {
  const forgetData = () =>
    set({
      ...initialCatalogState,
      ...initialDataState,
      ...initialEntryState,
      ...initialPlotState,
      ...initialSyncState,
    });

  /** Opens the app as the remembered person without the server (offline, or it is slow to answer). */
  const resumeOffline = async (session: Session, error: string | null) => {
    await deps.local.start(session.user);
    const current = get();
    if (current.sessionStatus === 'signedIn' && current.isSessionVerified) return;
    set({ sessionStatus: 'signedIn', session, sessionError: error, isSessionVerified: false });
  };

  // Back online, or the engine found the session gone: ask the server who is logged in.
  let wasOnline = deps.local.isOnline();
  let lastAuthErrorAt: number | undefined;
  deps.local.onStatus((status) => {
    const cameOnline = status.online && !wasOnline;
    wasOnline = status.online;
    const authErrorAt = status.lastError?.kind === 'auth' ? status.lastError.at : undefined;
    const isNewAuthError = authErrorAt !== undefined && authErrorAt !== lastAuthErrorAt;
    lastAuthErrorAt = authErrorAt;
    const { sessionStatus, isSessionVerified } = get();
    if (sessionStatus !== 'signedIn') return;
    if ((cameOnline && !isSessionVerified) || isNewAuthError) void get().checkSession();
  });

  return {
    sessionStatus: 'checking',
    session: null,
    sessionError: null,
    isSessionVerified: false,
    serverVersion: '',

    async checkSession() {
      deps.local.preload();
      if (readFlag(deps.preferences, LOGOUT_PENDING_KEY) && deps.local.isOnline()) {
        try {
          await deps.client.endSession();
          setFlag(deps.preferences, LOGOUT_PENDING_KEY, false);
        } catch {
          // Still unreachable: whoami below says what the server thinks.
        }
      }
      const remembered = readRememberedSession(deps.preferences);
      if (remembered && !deps.local.isOnline()) {
        await resumeOffline(remembered, null);
        return;
      }
      const answer = deps.client.whoami();
      if (remembered && get().sessionStatus === 'checking') {
        const isSlow = await Promise.race([
          answer.then(
            () => false,
            () => false,
          ),
          new Promise<boolean>((resolve) => deps.setTimeout(() => resolve(true), SLOW_CHECK_MS)),
        ]);
        if (isSlow) await resumeOffline(remembered, null);
      }
      try {
        const path = await answer;
        const [user, device] = path.split('/');
        if (!user || !device || path === 'nobody') {
          const setup = await deps.client.setupStatus();
          if (get().session) {
            // The session ended on the server (expired, or logged out elsewhere): the outbox keeps
            // what waits, for the next login; what is in memory goes.
            await deps.local.stop();
            forgetData();
          }
          set({
            sessionStatus: setup.needsSetup ? 'needsSetup' : 'signedOut',
            session: null,
            sessionError: null,
            isSessionVerified: false,
            serverVersion: setup.version,
          });
          return;
        }
        let isAdmin = false;
        try {
          const profile = await deps.client.readUser(user);
          set((s) => ({ users: { ...s.users, [user]: profile } }));
          isAdmin = profile.role === 'admin';
        } catch (error) {
          // A device session may not read its user; it is then simply not an admin.
          if (!(error instanceof ApiError)) throw error;
        }
        const session: Session = { user, device, isAdmin };
        if (get().session && get().session?.user !== user) forgetData();
        rememberSession(deps.preferences, session);
        await deps.local.start(user);
        set({ sessionStatus: 'signedIn', session, sessionError: null, isSessionVerified: true });
      } catch (error) {
        if (error instanceof NetworkError && remembered) {
          await resumeOffline(remembered, describeError(error));
          return;
        }
        // Already open offline: stay so, the next check tells.
        if (get().sessionStatus === 'signedIn' && !get().isSessionVerified) return;
        set({
          sessionStatus: error instanceof NetworkError ? 'unreachable' : 'signedOut',
          session: null,
          sessionError: describeError(error),
        });
      }
    },

    async logIn(username, password, remember) {
      try {
        await deps.createSession(username.trim(), password, remember);
      } catch (error) {
        return failed(error);
      }
      // A new session is wanted: a logout still pending from offline must not end it.
      setFlag(deps.preferences, LOGOUT_PENDING_KEY, false);
      await get().checkSession();
      return get().sessionStatus === 'signedIn'
        ? ok(undefined)
        : failed(get().sessionError ?? 'Login failed');
    },

    async setUp(admin) {
      try {
        await deps.client.setUp(admin);
      } catch (error) {
        return failed(error);
      }
      await get().checkSession();
      return get().sessionStatus === 'signedIn'
        ? ok(undefined)
        : failed(get().sessionError ?? 'Setup failed');
    },

    async logOut(options = {}) {
      const parts = await deps.local.ready();
      if (parts) {
        try {
          if (options.discardQueue) await parts.outbox.discardAll();
          // A shared computer must not show the next person what this one looked at.
          await parts.cache.clear();
        } catch (error) {
          console.error('tributary logout:', error);
        }
      }
      await deps.local.stop();
      rememberSession(deps.preferences, null);
      try {
        await deps.client.endSession();
        setFlag(deps.preferences, LOGOUT_PENDING_KEY, false);
      } catch {
        // Offline: the cookie stays valid on the server; the next start that reaches it ends it.
        setFlag(deps.preferences, LOGOUT_PENDING_KEY, true);
      }
      deps.client.close();
      forgetData();
      set({ sessionStatus: 'signedOut', session: null, sessionError: null, isSessionVerified: false });
    },
  };
};
