import { ApiError, NetworkError } from '../../sdk';

/** A sentence for a person from whatever a request failed with. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'That username and password do not match.';
    if (error.status === 404) return 'Not found, or you may not see it.';
    return error.msg.endsWith('.') || error.msg.endsWith('!') ? error.msg : `${error.msg}.`;
  }
  if (error instanceof NetworkError) return 'Cannot reach the server. Check your connection and try again.';
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Why the server refused a queued value, in plain words. ConnectorDB answers a write to a stream
 * that was deleted, or that this person may no longer write, with 403 "Can't access this
 * resource." (it never says which, so as not to reveal what exists); other refusals (a value the
 * schema no longer accepts) keep the server's words.
 */
export function describeRefusal(error: { status: number; msg: string }): string {
  if (error.status === 403 || error.status === 404) {
    return 'the stream no longer exists, or you may no longer add values to it.';
  }
  const msg = error.msg.trim();
  return /[.!?]$/.test(msg) ? msg : `${msg}.`;
}

/** The outcome of a store action that a form waits for: expected failures are values, not throws. */
export type ActionResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): ActionResult<T> => ({ ok: true, value });
export const failed = (error: unknown): { ok: false; error: string } => ({
  ok: false,
  error: describeError(error),
});
