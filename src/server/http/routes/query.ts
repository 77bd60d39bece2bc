/** `POST /api/v1/query/merge` and `POST /api/v1/query/dataset` (connectordb-v1.md §2.6, §5). */
import type { FastifyInstance } from 'fastify';
import { datapointsToJson } from '../../../core/model';
import { datasetQuery, mergeQuery } from '../../domain/queries';
import { sendJson, type AppContext } from '../requestContext';

export function registerQueryRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/query/merge', { config: { failure: 403 } }, async (request, reply) =>
    sendJson(reply, datapointsToJson(await mergeQuery(ctx, request.actor, request.body))),
  );
  app.post('/api/v1/query/dataset', { config: { failure: 403 } }, async (request, reply) =>
    sendJson(reply, datapointsToJson(await datasetQuery(ctx, request.actor, request.body))),
  );
}
