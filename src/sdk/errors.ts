/**
 * The two ways a request can fail. The local-first sync engine must tell them apart: a rejection
 * ({@link ApiError}) is final for that batch, a {@link NetworkError} means "try again later".
 */

/** The body of every error response of the wire API (contract §2.3). */
export interface ErrorBody {
  /** The HTTP status, repeated in the body. */
  code: number;
  /** A human-readable reason, e.g. "Timestamps are not ordered!". */
  msg: string;
  /** An id the server logged with the error (a UUID, or e.g. `DISABLED`); '' when synthesised. */
  ref: string;
}

/** Longest text kept from a non-JSON error body (a proxy's HTML page is not a message). */
const MAX_SYNTHESISED_MSG = 300;

/**
 * The server answered with a non-2xx status. `code`, `msg` and `ref` come from the `{code,msg,ref}`
 * body, or are synthesised from the status and the body's text when the body is not that JSON
 * (for example a reverse proxy's 502 page).
 */
export class ApiError extends Error implements ErrorBody {
  override readonly name = 'ApiError';
  /** The HTTP status of the response. */
  readonly status: number;
  /** `code` from the body; equals `status` for a synthesised body. */
  readonly code: number;
  /** The server's reason. */
  readonly msg: string;
  /** The server's log reference; '' when the body was synthesised. */
  readonly ref: string;

  constructor(status: number, body: ErrorBody) {
    super(body.ref ? `${body.msg} (${status}, ref ${body.ref})` : `${body.msg} (${status})`);
    this.status = status;
    this.code = body.code;
    this.msg = body.msg;
    this.ref = body.ref;
  }

  /**
   * Whether sending the same request again later may succeed: server errors (5xx, including a
   * proxy's 502/503/504), 408 and 429. A 4xx rejection (bad schema, no permission, ordering, a 409
   * idempotency conflict) will be rejected again.
   */
  get isRetryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }

  /** Builds the error from a response's status and body text, whatever that text is. */
  static fromResponse(status: number, statusText: string, bodyText: string): ApiError {
    const parsed = parseErrorBody(bodyText, status);
    if (parsed) return new ApiError(status, parsed);
    const text = bodyText.trim();
    const msg = text
      ? text.slice(0, MAX_SYNTHESISED_MSG)
      : statusText || `Request failed with status ${status}`;
    return new ApiError(status, { code: status, msg, ref: '' });
  }
}

/**
 * The request never got a usable answer from the API: the network is down, the connection was
 * refused or reset, the request timed out, or what answered was not the API (a 2xx that was
 * redirected, as captive portals do, or whose body did not parse). The request may or may not have
 * reached the server, so writes retried after it should carry an `Idempotency-Key`.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The `{code,msg,ref}` body, tolerating a missing `code` or `ref`; undefined when it is not one. */
function parseErrorBody(text: string, status: number): ErrorBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { code, msg, ref } = value as Record<string, unknown>;
  if (typeof msg !== 'string') return undefined;
  return {
    code: typeof code === 'number' ? code : status,
    msg,
    ref: typeof ref === 'string' ? ref : '',
  };
}
