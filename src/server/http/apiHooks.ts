/**
 * Hooks around every API request: authentication, the same-origin rule for cookie sessions,
 * CORS (connectordb-v1.md §2.7) and the response headers ConnectorDB sent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, type CredentialSource } from '../auth/Authenticator';
import { denied } from '../domain/Refusal';
import { queryParam, type AppContext } from './requestContext';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function credentialsOf(request: FastifyRequest): CredentialSource {
  const source: CredentialSource = { address: request.ip };
  if (request.headers.authorization) source.authorization = request.headers.authorization;
  const apikey = queryParam(request, 'apikey');
  if (apikey) source.apikey = apikey;
  const token = request.cookies[SESSION_COOKIE];
  if (token) source.sessionToken = token;
  return source;
}

/** The request's own origin, as a browser would write it in an `Origin` header. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * A cookie rides along with any request the browser makes, even one a hostile page triggers; so a
 * cookie-authenticated write (or websocket) must come from our own pages.
 */
export function isSameOriginRequest(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = request.headers.origin;
  return origin === undefined || origin === ownOrigin(request);
}

function setCorsHeaders(request: FastifyRequest, reply: FastifyReply, allowAnyOrigin: boolean): void {
  const origin = request.headers.origin;
  if (allowAnyOrigin) {
    reply.header('Access-Control-Allow-Origin', '*');
  } else if (origin && origin === ownOrigin(request)) {
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Allow-Credentials', 'true');
    reply.header('Vary', 'Origin');
  }
}

export function registerApiHooks(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request, reply) => {
    setCorsHeaders(request, reply, ctx.config.allowCrossOrigin);
  });

  // Preflight for any API path, answered before authentication.
  app.options('/api/*', async (request, reply) => {
    setCorsHeaders(request, reply, ctx.config.allowCrossOrigin);
    return reply
      .header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE')
      .header('Access-Control-Allow-Headers', 'Content-Type, Authorization, Idempotency-Key')
      .header('Access-Control-Max-Age', '600')
      .code(204)
      .send();
  });

  app.addHook('preHandler', async (request) => {
    if (request.method === 'OPTIONS') return;
    const { actor, method } = await ctx.authenticator.authenticate(credentialsOf(request));
    request.actor = actor;
    request.authMethod = method;
    if (method === 'cookie' && !SAFE_METHODS.has(request.method) && !isSameOriginRequest(request)) {
      throw denied('Cross-site requests with a session cookie are refused; send credentials explicitly');
    }
  });
}

/** ConnectorDB's API answers are never cached: they are per user and change with every write. */
export const API_CACHE_CONTROL = 'no-store, must-revalidate';

/** Whether a request URL is under `/api` (duplicate slashes are ignored by the router too). */
export function isApiUrl(url: string): boolean {
  return /^\/+api(?:[/?#]|$)/.test(url);
}

/**
 * Headers every response carries, API or web app; and the API's Cache-Control on every `/api`
 * response, including the 404 of an unknown API path and errors raised before any route.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (isApiUrl(request.url)) reply.header('Cache-Control', API_CACHE_CONTROL);
    reply.header('X-Frame-Options', 'DENY');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-XSS-Protection', '1; mode=block');
    reply.header('Referrer-Policy', 'same-origin');
    return payload;
  });
}
