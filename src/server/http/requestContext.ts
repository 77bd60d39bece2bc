/**
 * Per-request plumbing shared by the routes: the authenticated actor, query parameter access,
 * and replies in ConnectorDB's formats (JSON, text, `ok`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthMethod, Authenticator } from '../auth/Authenticator';
import type { Actor } from '../domain/Actor';
import type { DomainContext } from '../domain/DomainContext';
import { NOBODY } from '../domain/Actor';
import type { Config } from '../config';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    authMethod: AuthMethod;
  }
}

/** Everything routes need, created once per server in `createServer`. */
export interface AppContext extends DomainContext {
  readonly config: Config;
  readonly authenticator: Authenticator;
  readonly version: string;
}

export function registerRequestDecorations(app: FastifyInstance): void {
  // Fastify refuses object defaults on requests (they would be shared); each request sets its own.
  app.decorateRequest('actor', null as never);
  app.decorateRequest('authMethod', 'none');
  app.addHook('onRequest', async (request) => {
    request.actor = NOBODY;
  });
}

/** A single query parameter; repeated parameters use the first, as Go's `Query().Get` did. */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
  return value === undefined ? undefined : String(value);
}

export function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply
    .type('application/json; charset=utf-8')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}

export function sendText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('text/plain; charset=utf-8').send(text);
}

export const sendOk = (reply: FastifyReply) => sendText(reply, 'ok');
