/**
 * `/api/v1/`: who am I (`q=this`), counts for admins, cookie login and logout, and Tributary's
 * first-run setup (create the first admin when the repository has no user yet).
 */
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../auth/Authenticator';
import { actorPath, roleFlags } from '../../domain/Actor';
import { ensureMetaLog } from '../../domain/metaLog';
import { badRequest, denied, Refusal } from '../../domain/Refusal';
import { createUser, viewUser } from '../../domain/users';
import { requireObjectBody } from '../../domain/fieldInput';
import { sendError } from '../apiErrors';
import { queryParam, sendJson, sendOk, sendText, type AppContext } from '../requestContext';
import { UNRECOGNIZED_Q } from './crudObjects';
import { parseGoBool } from '../../../core/model';

export function registerRootRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/', { config: { failure: 403 } }, async (request, reply) => {
    const q = queryParam(request, 'q');
    if (q === 'this') return sendText(reply, actorPath(request.actor));
    if (q === 'countusers' || q === 'countdevices' || q === 'countstreams') {
      if (!roleFlags(request.actor).canCount) throw denied('This device does not have permission to count');
      const counts = await ctx.storage.count();
      return sendText(
        reply,
        String(q === 'countusers' ? counts.users : q === 'countdevices' ? counts.devices : counts.streams),
      );
    }
    // Without a command this is no resource at all: 404 like any unknown API path (the route's
    // failure status, 403, is for refused counts).
    if (!q) return sendError(reply, 404, 'This is the Tributary API; see /api/v1/?q=this');
    throw badRequest(UNRECOGNIZED_Q);
  });

  const cookieOptions = (secure: boolean) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
  });

  app.get('/api/v1/login', async (request, reply) => {
    if (request.actor.kind !== 'device') {
      throw new Refusal('unauthorized', 'Log in with a username and password (HTTP Basic) or an API key');
    }
    const remember = parseGoBool(queryParam(request, 'remember') ?? '') ?? false;
    const session = await ctx.authenticator.startSession(request.actor, remember);
    await ensureMetaLog(ctx, request.actor.user.name);
    reply.setCookie(SESSION_COOKIE, session.token, {
      ...cookieOptions(request.protocol === 'https'),
      ...(session.maxAgeSeconds !== undefined && { maxAge: session.maxAgeSeconds }),
    });
    return sendOk(reply);
  });

  app.get('/api/v1/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await ctx.authenticator.endSession(token);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request.protocol === 'https'));
    return sendOk(reply);
  });

  // First run: the web app offers to create the first admin while no user exists.
  app.get('/api/v1/setup', async (_request, reply) => {
    const { users } = await ctx.storage.count();
    return sendJson(reply, { needsSetup: users === 0, version: ctx.version });
  });

  let settingUp = false;
  app.post('/api/v1/setup', { config: { failure: 403 } }, async (request, reply) => {
    if (settingUp || (await ctx.storage.count()).users > 0) throw denied('This repository is already set up');
    settingUp = true;
    try {
      const { name, ...rest } = requireObjectBody(request.body);
      if (typeof name !== 'string') throw badRequest('Choose a username');
      const user = await createUser(
        ctx,
        request.actor,
        name,
        { ...rest, role: 'admin', public: false },
        { trusted: true },
      );
      const device = (await ctx.storage.getDevice(user.name, 'user'))!;
      const actor = { kind: 'device' as const, device, user };
      const session = await ctx.authenticator.startSession(actor, true);
      reply.setCookie(SESSION_COOKIE, session.token, {
        ...cookieOptions(request.protocol === 'https'),
        maxAge: session.maxAgeSeconds!,
      });
      return sendJson(reply, viewUser(actor, user));
    } finally {
      settingUp = false;
    }
  });
}
