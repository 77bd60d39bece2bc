/**
 * What the store needs from the outside world, injected so that tests can run the real slices
 * against a fake server and issue #4 can put the local-first layer in between.
 */
import type { TributaryClient } from '../../sdk';
import type { LocalFirstDeps, LocalFirstRuntime } from './localFirstRuntime';

/** The sdk methods the store uses (a `TributaryClient` satisfies it). */
export type ApiClient = Pick<
  TributaryClient,
  | 'whoami'
  | 'setupStatus'
  | 'setUp'
  | 'endSession'
  | 'close'
  | 'readUser'
  | 'listUsers'
  | 'createUser'
  | 'updateUser'
  | 'deleteUser'
  | 'listDevices'
  | 'readDevice'
  | 'createDevice'
  | 'updateDevice'
  | 'deleteDevice'
  | 'resetApiKey'
  | 'listStreams'
  | 'listUserStreams'
  | 'readStream'
  | 'createStream'
  | 'updateStream'
  | 'deleteStream'
  | 'insert'
  | 'read'
  | 'plot'
  | 'subscribe'
  | 'onConnectionChange'
>;

export interface StoreDeps {
  client: ApiClient;
  /** Exchanges a username and password for the session cookie. */
  createSession(username: string, password: string, remember: boolean): Promise<void>;
  /** A fresh `Idempotency-Key`, made when a value is entered so that every retry reuses it. */
  newIdempotencyKey(): string;
  /** Unix time in seconds. */
  nowSeconds(): number;
  /** Where small preferences live (the theme); absent in tests. */
  preferences?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Timers for toasts; injectable so tests need no fake clock. */
  setTimeout(callback: () => void, ms: number): unknown;
  /**
   * The local-first layer: IndexedDB outbox, sync engine and cache (DESIGN.md §4). Without it
   * (or where IndexedDB cannot be opened) inserts go straight to the server and nothing is cached.
   */
  localFirst?: LocalFirstDeps;
}

/** What each slice receives: the injected dependencies and the store's local-first runtime. */
export interface SliceDeps extends StoreDeps {
  local: LocalFirstRuntime;
}
