/**
 * An expected failure of a domain operation: the request is refused and nothing changed.
 *
 * The HTTP status is not decided here because ConnectorDB decided it by route, not by cause (any
 * failed object read is a 404, any failed write a 403 — connectordb-v1.md §2.3); the route maps
 * `denied`/`not_found`/`invalid` to its own status and the other kinds to fixed ones. Domain code
 * throws a Refusal and one error handler turns it into `{code, msg, ref}`, which keeps each route
 * to its happy path.
 */
export type RefusalKind =
  | 'denied'
  | 'not_found'
  | 'invalid'
  | 'bad_request'
  | 'unauthorized'
  | 'conflict'
  | 'too_many_requests'
  | 'too_large';

export class Refusal extends Error {
  override name = 'Refusal';
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
  }
}

export const CANT_ACCESS = "Can't access this resource.";
export const WRITE_DATA_DENIED = 'Write access to stream data denied.';

export const denied = (message = CANT_ACCESS) => new Refusal('denied', message);
export const notFound = (message = CANT_ACCESS) => new Refusal('not_found', message);
export const invalid = (message: string) => new Refusal('invalid', message);
export const badRequest = (message: string) => new Refusal('bad_request', message);
