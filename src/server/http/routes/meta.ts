/** `/api/v1/meta/`: version, transforms and interpolators (no authentication needed). */
import type { FastifyInstance } from 'fastify';
import { listInterpolators, listTransforms } from '../../../core/pipescript';
import { sendJson, sendText, type AppContext } from '../requestContext';

export function registerMetaRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/meta/version', async (_request, reply) => sendText(reply, ctx.version));
  app.get('/api/v1/meta/transforms', async (_request, reply) => sendJson(reply, listTransforms()));
  app.get('/api/v1/meta/interpolators', async (_request, reply) => sendJson(reply, listInterpolators()));
}
