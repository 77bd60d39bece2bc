/** `/api/v1/meta/`: version, transforms and interpolators (no authentication needed). */
import type { FastifyInstance } from 'fastify';
import { listInterpolators, listTransforms } from '../../../core/pipescript';
import { sendJson, sendText, type AppContext } from '../requestContext';

/**
 * What each interpolator takes and gives, as JSON Schemas (`{}`: any value), the `ischema` and
 * `oschema` keys of connectordb-v1.md §2.1. Unknown names (a new interpolator) take and give anything.
 */
const INTERPOLATOR_SCHEMAS: Record<string, { ischema: object; oschema: object }> = {
  closest: { ischema: {}, oschema: {} },
  before: { ischema: {}, oschema: {} },
  after: { ischema: {}, oschema: {} },
  sum: { ischema: { type: 'number' }, oschema: { type: 'number' } },
  count: { ischema: {}, oschema: { type: 'integer', minimum: 0 } },
  mean: { ischema: { type: 'number' }, oschema: { type: 'number' } },
};

function interpolatorsWithSchemas() {
  return Object.fromEntries(
    Object.entries(listInterpolators()).map(([name, info]) => [
      name,
      { ...info, ...(INTERPOLATOR_SCHEMAS[name] ?? { ischema: {}, oschema: {} }) },
    ]),
  );
}

export function registerMetaRoutes(app: FastifyInstance, ctx: AppContext): void {
  const interpolators = JSON.stringify(interpolatorsWithSchemas());
  app.get('/api/v1/meta/version', async (_request, reply) => sendText(reply, ctx.version));
  app.get('/api/v1/meta/transforms', async (_request, reply) => sendJson(reply, listTransforms()));
  app.get('/api/v1/meta/interpolators', async (_request, reply) => sendJson(reply, interpolators));
}
