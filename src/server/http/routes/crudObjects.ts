/**
 * `/api/v1/crud/...`: users, devices and streams (connectordb-v1.md §2.1, §2.4).
 * Failed reads answer 404 and failed writes 403, as ConnectorDB did.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseGoBool } from '../../../core/model';
import * as devices from '../../domain/devices';
import * as streams from '../../domain/streams';
import * as users from '../../domain/users';
import { badRequest, notFound } from '../../domain/Refusal';
import { queryParam, sendJson, sendOk, type AppContext } from '../requestContext';

type UserParams = { user: string };
type DeviceParams = UserParams & { device: string };
type StreamParams = DeviceParams & { stream: string };

export const UNRECOGNIZED_Q = 'Unrecognized query command.';

const READ = { config: { failure: 404 as const } };
const WRITE = { config: { failure: 403 as const } };

function boolParam(request: FastifyRequest, name: string): boolean {
  const value = queryParam(request, name);
  return value === undefined ? false : (parseGoBool(value) ?? false);
}

export function registerCrudRoutes(app: FastifyInstance, ctx: AppContext): void {
  // ---- users ----
  app.get('/api/v1/crud/', READ, async (request, reply) => {
    const q = queryParam(request, 'q');
    if (!q) throw notFound('Use ?q=ls to list users');
    if (q !== 'ls') throw badRequest(UNRECOGNIZED_Q);
    return sendJson(reply, await users.listUsers(ctx, request.actor));
  });

  app.get<{ Params: UserParams }>('/api/v1/crud/:user', READ, async (request, reply) => {
    const { user } = request.params;
    const q = queryParam(request, 'q');
    if (q === 'ls' || q === 'devices')
      return sendJson(reply, await devices.listDevices(ctx, request.actor, user));
    if (q === 'streams') {
      const filter: streams.UserStreamFilter = {
        public: boolParam(request, 'public'),
        downlink: boolParam(request, 'downlink'),
        visible: boolParam(request, 'visible'),
      };
      const tag = queryParam(request, 'tag');
      if (tag) filter.tag = tag;
      return sendJson(reply, await streams.listUserStreams(ctx, request.actor, user, filter));
    }
    if (q) throw badRequest(UNRECOGNIZED_Q);
    return sendJson(reply, await users.readUser(ctx, request.actor, user));
  });

  app.post<{ Params: UserParams }>('/api/v1/crud/:user', WRITE, async (request, reply) => {
    const created = await users.createUser(ctx, request.actor, request.params.user, request.body);
    return sendJson(reply, users.viewUser(request.actor, created));
  });

  app.put<{ Params: UserParams }>('/api/v1/crud/:user', WRITE, async (request, reply) => {
    const updated = await users.updateUser(ctx, request.actor, request.params.user, request.body);
    return sendJson(reply, users.viewUser(request.actor, updated));
  });

  app.delete<{ Params: UserParams }>('/api/v1/crud/:user', WRITE, async (request, reply) => {
    await users.deleteUser(ctx, request.actor, request.params.user);
    return sendOk(reply);
  });

  // ---- devices ----
  app.get<{ Params: DeviceParams }>('/api/v1/crud/:user/:device', READ, async (request, reply) => {
    const { user, device } = request.params;
    const q = queryParam(request, 'q');
    if (q === 'ls' || q === 'streams')
      return sendJson(reply, await streams.listStreams(ctx, request.actor, user, device));
    if (q) throw badRequest(UNRECOGNIZED_Q);
    return sendJson(reply, await devices.readDevice(ctx, request.actor, user, device));
  });

  app.post<{ Params: DeviceParams }>('/api/v1/crud/:user/:device', WRITE, async (request, reply) => {
    const { user, device } = request.params;
    const created = await devices.createDevice(ctx, request.actor, user, device, request.body);
    return sendJson(reply, devices.viewDevice(request.actor, created));
  });

  app.put<{ Params: DeviceParams }>('/api/v1/crud/:user/:device', WRITE, async (request, reply) => {
    const { user, device } = request.params;
    const updated = await devices.updateDevice(ctx, request.actor, user, device, request.body);
    // A device that changed its own API key keeps seeing it: the actor's record is now stale.
    const actor =
      request.actor.kind === 'device' && request.actor.device.id === updated.id
        ? { ...request.actor, device: updated }
        : request.actor;
    return sendJson(reply, devices.viewDevice(actor, updated, 'blank'));
  });

  app.delete<{ Params: DeviceParams }>('/api/v1/crud/:user/:device', WRITE, async (request, reply) => {
    await devices.deleteDevice(ctx, request.actor, request.params.user, request.params.device);
    return sendOk(reply);
  });

  // ---- streams ----
  app.get<{ Params: StreamParams }>('/api/v1/crud/:user/:device/:stream', READ, async (request, reply) => {
    if (queryParam(request, 'q')) throw badRequest(UNRECOGNIZED_Q);
    return sendJson(reply, await streams.readStream(ctx, request.actor, request.params));
  });

  app.post<{ Params: StreamParams }>('/api/v1/crud/:user/:device/:stream', WRITE, async (request, reply) => {
    const created = await streams.createStream(ctx, request.actor, request.params, request.body);
    return sendJson(reply, streams.viewStream(request.actor, created));
  });

  app.put<{ Params: StreamParams }>('/api/v1/crud/:user/:device/:stream', WRITE, async (request, reply) => {
    const updated = await streams.updateStream(ctx, request.actor, request.params, request.body);
    return sendJson(reply, streams.viewStream(request.actor, updated, 'blank'));
  });

  app.delete<{ Params: StreamParams }>(
    '/api/v1/crud/:user/:device/:stream',
    WRITE,
    async (request, reply) => {
      await streams.deleteStream(ctx, request.actor, request.params);
      return sendOk(reply);
    },
  );
}
