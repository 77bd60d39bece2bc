/**
 * `Idempotency-Key` on any write (DESIGN.md §2): a retried request with the same key and body gets
 * the first answer and changes nothing again; the same key with another body is a 409. Keys are
 * per device and remembered for 7 days. Only successful answers are remembered: a refused request
 * changed nothing, so running it again is safe.
 *
 * Data inserts record their key in the same transaction as the datapoints (see `domain/data.ts`),
 * so even a crash between the two cannot double-insert; other writes record it after answering.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, Refusal } from '../domain/Refusal';
import type { AppContext } from './requestContext';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const RETENTION_SECONDS = 7 * 86_400;
const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE']);

export interface IdempotencyState {
  key: string;
  requestHash: string;
  /** Set by routes that record the key themselves (atomically with their write). */
  recorded: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: IdempotencyState;
  }
}

function requestHash(request: FastifyRequest): string {
  const url = new URL(request.url, 'http://x');
  url.searchParams.delete('apikey');
  url.searchParams.sort();
  return createHash('sha256')
    .update(
      `${request.method} ${url.pathname}?${url.searchParams.toString()}\n${JSON.stringify(request.body ?? null)}`,
    )
    .digest('base64url');
}

const scopeOf = (request: FastifyRequest) =>
  request.actor.kind === 'device' ? String(request.actor.device.id) : undefined;

export function registerIdempotency(app: FastifyInstance, ctx: AppContext): void {
  let lastPrune = 0;

  // Runs after authentication (registered after the auth preHandler).
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !WRITE_METHODS.has(request.method)) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw badRequest('The Idempotency-Key header must be 1 to 255 printable ASCII characters');
    }
    const scope = scopeOf(request);
    if (!scope) return;
    const hash = requestHash(request);
    const earlier = await ctx.storage.getIdempotency(scope, key);
    if (earlier) {
      if (earlier.requestHash !== hash) {
        throw new Refusal('conflict', 'This Idempotency-Key was already used for a different request');
      }
      const isJson = earlier.body.startsWith('{') || earlier.body.startsWith('[');
      reply.header('Idempotent-Replayed', 'true');
      return reply
        .code(earlier.status)
        .type(isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8')
        .send(earlier.body);
    }
    request.idempotency = { key, requestHash: hash, recorded: false };
    const now = ctx.now();
    if (now - lastPrune > 3600) {
      lastPrune = now;
      await ctx.storage.pruneIdempotency(now - RETENTION_SECONDS);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const state = request.idempotency;
    const scope = scopeOf(request);
    if (!state || state.recorded || !scope || reply.statusCode >= 300 || typeof payload !== 'string')
      return payload;
    await ctx.storage.putIdempotency({
      scope,
      key: state.key,
      requestHash: state.requestHash,
      status: reply.statusCode,
      body: payload,
    });
    return payload;
  });
}
