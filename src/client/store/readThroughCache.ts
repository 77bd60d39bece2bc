/**
 * How every `load…` action reads: the server is asked at once and, while its answer is on the way,
 * what this device cached last time is shown (when the store has nothing better). The answer
 * replaces it and is cached; when the server cannot be reached the cached value stays on screen,
 * and `cachedAt[key]` says how old it is, for the page's "offline: saved … ago" notice.
 */
import { ApiError, NetworkError } from '../../sdk';
import type { Cached, LocalCache } from '../local-first';
import type { AppState } from './appState';
import type { LocalFirstRuntime } from './localFirstRuntime';

type SetState = (partial: (state: AppState) => Partial<AppState> | AppState) => void;

/** One read through the cache. */
export interface CachedRead<T> {
  /** The cache key of the value (`streams/alice/user`), also the key of `cachedAt`. */
  key: string;
  read(cache: LocalCache): Promise<Cached<T> | undefined>;
  fetch(): Promise<T>;
  /** Stores the server's answer, fetched at `fetchedAt` (ms). */
  merge(cache: LocalCache, value: T, fetchedAt: number): Promise<void>;
  /** Whether the store already shows a value (then an older cached one is not shown over it). */
  hasValue(): boolean;
  /** Puts a value into the store: the server's answer, or the cached one while it is on the way. */
  show(value: T): void;
  /**
   * The server did not answer. `isShowingValue`: a value is on screen (cached or read earlier) and
   * stays, so the page should not show an error; otherwise the error is all there is.
   */
  fail(error: unknown, isShowingValue: boolean): void;
}

/**
 * Whether a failure means "the server could not answer now" (offline, timeout, 5xx) rather than
 * "the server said no" (a deleted stream, a refused permission), which the page must show.
 */
export function isUnreachable(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && error.isRetryable);
}

/** Runs one read through the cache; never rejects. */
export async function readThroughCache<T>(
  local: LocalFirstRuntime,
  set: SetState,
  read: CachedRead<T>,
): Promise<void> {
  const parts = await local.ready();
  const cache = parts?.cache;
  let isAnswered = false;
  let cached: Cached<T> | undefined;
  const showCached = () => {
    if (!cached || read.hasValue()) return;
    read.show(cached.value);
    local.fetchedAt.set(read.key, cached.fetchedAt);
  };
  const cacheRead = cache
    ? read
        .read(cache)
        .then((value) => {
          cached = value;
          if (!isAnswered) showCached();
        })
        .catch(() => undefined)
    : Promise.resolve();

  const requestedAt = Date.now();
  let value: T;
  try {
    value = await read.fetch();
  } catch (error) {
    isAnswered = true;
    if (!isUnreachable(error)) {
      read.fail(error, false);
      return;
    }
    await cacheRead;
    showCached();
    const shownAt = read.hasValue() ? local.fetchedAt.get(read.key) : undefined;
    read.fail(error, shownAt !== undefined);
    if (shownAt !== undefined) set((s) => ({ cachedAt: { ...s.cachedAt, [read.key]: shownAt } }));
    return;
  }
  isAnswered = true;
  read.show(value);
  local.fetchedAt.set(read.key, requestedAt);
  set((s) => {
    if (!(read.key in s.cachedAt)) return {};
    const { [read.key]: _fresh, ...rest } = s.cachedAt;
    return { cachedAt: rest };
  });
  if (cache) await read.merge(cache, value, requestedAt).catch(() => undefined);
}
