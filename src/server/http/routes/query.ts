/** `POST /api/v1/query/merge` and `POST /api/v1/query/dataset` (connectordb-v1.md §2.6, §5). */
import type { FastifyInstance } from 'fastify';
import { datasetQuery, mergeQuery } from '../../domain/queries';
import type { AppContext } from '../requestContext';
import { sendDatapointArray } from '../sendDatapointArray';

// Both answers can be millions of datapoints: they are streamed out as they are computed.
export function registerQueryRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/query/merge', { config: { failure: 403 } }, async (request, reply) =>
    sendDatapointArray(reply, await mergeQuery(ctx, request.actor, request.body)),
  );
  app.post('/api/v1/query/dataset', { config: { failure: 403 } }, async (request, reply) =>
    sendDatapointArray(reply, await datasetQuery(ctx, request.actor, request.body)),
  );
}
