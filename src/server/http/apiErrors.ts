/**
 * Every API error is `{"code": <status>, "msg": "<text>", "ref": "<uuid>"}` (connectordb-v1.md §2.3);
 * the Python client reads all three keys. The ref is logged so a user's report can be traced.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Refusal, type RefusalKind } from '../domain/Refusal';

/** How a route answers refusals that ConnectorDB mapped by route rather than by cause. */
export type FailureStatus = 400 | 403 | 404;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The status for `denied`, `not_found` and `invalid` refusals on this route (default 403). */
    failure?: FailureStatus;
  }
}

const FIXED_STATUS: Partial<Record<RefusalKind, number>> = {
  bad_request: 400,
  unauthorized: 401,
  conflict: 409,
  too_large: 413,
  too_many_requests: 429,
};

/**
 * Errors Node's HTTP parser raises before a request reaches Fastify (a URL or headers over the
 * size limit, a malformed request line) still get the error body, then the connection closes.
 */
export function handleClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const msg =
    status === 431
      ? 'The request line or headers are too large'
      : status === 408
        ? 'Request timeout'
        : 'Malformed HTTP request';
  const body = JSON.stringify({ code: status, msg, ref: randomUUID() });
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store, must-revalidate\r\nConnection: close\r\n\r\n${body}`,
  );
}

export interface ErrorBody {
  code: number;
  msg: string;
  ref: string;
}

export function sendError(reply: FastifyReply, code: number, msg: string): FastifyReply {
  const body: ErrorBody = { code, msg, ref: randomUUID() };
  if (code >= 500) reply.log.error({ ref: body.ref }, msg);
  else reply.log.info({ ref: body.ref, code }, msg);
  return reply.code(code).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

export function statusOf(err: Refusal, request: FastifyRequest): number {
  return FIXED_STATUS[err.kind] ?? request.routeOptions.config?.failure ?? 403;
}

/** Maps anything thrown by a route to the error body, never leaking internals for a 5xx. */
export function handleError(
  err: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (err instanceof Refusal) return sendError(reply, statusOf(err, request), err.message);
  const fastifyError = err as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 413, 'The request body is larger than the 10 MB limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, 400, fastifyError.message);
  }
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    return sendError(reply, fastifyError.statusCode, fastifyError.message);
  }
  request.log.error(err);
  return sendError(reply, 500, 'Internal server error');
}
