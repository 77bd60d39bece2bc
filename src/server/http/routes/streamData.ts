/**
 * `/api/v1/crud/u/d/s/data`: inserts (POST append, PUT restamp, POST ?method=insert) and reads
 * (`i1/i2`, `t1/t2/limit`, `q=length`, `q=time2index`, `transform`, `downlink`) — §2.5.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { datapointsToJson, parseGoBool } from '../../../core/model';
import { parseTimeParam } from '../../../core/time/relativeTime';
import { dataLength, insertData, readData, timeToIndex, type ReadRange } from '../../domain/data';
import { badRequest, denied } from '../../domain/Refusal';
import { downsampleData, MAX_PLOT_WIDTH, plotData, type PlotData } from '../../domain/plots';
import { compileTransform, runTransform } from '../../domain/transforms';
import { encodeM4, m4BinaryBytes } from '../../../core/timeseries';
import type { InsertMode } from '../../storage/Storage';
import { queryParam, sendJson, sendText, type AppContext } from '../requestContext';
import { ScratchBuffers } from '../ScratchBuffers';
import { UNRECOGNIZED_Q } from './crudObjects';

type StreamParams = { user: string; device: string; stream: string };

const RANGE_HELP = `A range needs [both "i1" and "i2" int] or ["t1" and ["t2" decimal and/or "limit" int]]`;
const INTEGER = /^[+-]?\d+$/;

function downlinkParam(request: FastifyRequest): boolean {
  const value = queryParam(request, 'downlink');
  return value !== undefined && value !== '' && (parseGoBool(value) ?? false);
}

function intParam(request: FastifyRequest, name: string): number | undefined {
  const raw = queryParam(request, name);
  if (raw === undefined || raw === '') return undefined;
  if (!INTEGER.test(raw)) throw badRequest(`Could not parse ${name} parameter`);
  return Number(raw);
}

function timeParam(request: FastifyRequest, name: string, now: number): number | undefined {
  const raw = queryParam(request, name);
  if (raw === undefined || raw === '') return undefined;
  const value = parseTimeParam(raw, now);
  if (value === undefined)
    throw badRequest(`Could not parse ${name} parameter: use unix seconds or now, now-1h, now-7d`);
  return value;
}

/** Index and time ranges cannot be mixed; one of them is required. */
export function parseReadRange(request: FastifyRequest, now: number): ReadRange {
  const i1 = intParam(request, 'i1');
  const i2 = intParam(request, 'i2');
  const t1 = timeParam(request, 't1', now);
  const t2 = timeParam(request, 't2', now);
  const limit = intParam(request, 'limit');
  const hasIndex = i1 !== undefined || i2 !== undefined;
  const hasTime = t1 !== undefined || t2 !== undefined;
  if (hasIndex && (hasTime || limit !== undefined))
    throw badRequest(`Index and time ranges cannot be mixed. ${RANGE_HELP}`);
  if (hasIndex) return { kind: 'index', i1: i1 ?? 0, i2: i2 ?? 0 };
  if (!hasTime) throw badRequest(RANGE_HELP);
  if (limit !== undefined && limit < 0) throw badRequest('Could not parse limit parameter.');
  const range: ReadRange = { kind: 'time', t1: t1 ?? 0, limit: limit ?? 0 };
  // t2 = 0 means no upper bound (connectordb-v1.md §2.5).
  if (t2 !== undefined && t2 !== 0) range.t2 = t2;
  return range;
}

/** The window [t1, t2) of a plot or downsampling request. */
function requireWindow(request: FastifyRequest, now: number): { t0: number; t1: number } {
  const t0 = timeParam(request, 't1', now);
  const t1 = timeParam(request, 't2', now) ?? now;
  if (t0 === undefined) throw badRequest('Give the window as t1 (and t2, default now), e.g. t1=now-7d');
  return { t0, t1 };
}

/** The same bytes as a Buffer, without the copy `Buffer.from(bytes)` makes (plots run to 200 KB). */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Plot data as columnar JSON, or as the compact binary M4 form (`format=binary`, little-endian
 * typed arrays the browser reads without copying) with the source and edge points in headers.
 */
function sendPlot(reply: FastifyReply, plot: PlotData, binary: boolean): FastifyReply {
  const edges = { before: plot.before ?? null, after: plot.after ?? null };
  if (binary) {
    return reply
      .type('application/octet-stream')
      .header('X-Plot-Source', plot.source)
      .header('X-Plot-Level', String(plot.level ?? 0))
      .header('X-Plot-Width', String(plot.width))
      .header('X-Plot-Edges', JSON.stringify(edges))
      .send(asBuffer(encodeM4(plot.m4)));
  }
  const { m4 } = plot;
  return sendJson(reply, {
    source: plot.source,
    ...(plot.level !== undefined && { level: plot.level }),
    t0: m4.t0,
    columnWidth: m4.columnWidth,
    width: plot.width,
    column: Array.from(m4.column),
    first: Array.from(m4.first),
    min: Array.from(m4.min),
    max: Array.from(m4.max),
    last: Array.from(m4.last),
    tFirst: Array.from(m4.tFirst),
    tLast: Array.from(m4.tLast),
    ...(plot.raw && { raw: { t: Array.from(plot.raw.t), v: Array.from(plot.raw.v) } }),
    ...edges,
  });
}

function insertMode(request: FastifyRequest): InsertMode {
  if (request.method === 'PUT') return 'restamp';
  const method = queryParam(request, 'method');
  if (method === undefined || method === '' || method === 'append') return 'append';
  if (method === 'insert' || method === 'restamp') return method;
  throw badRequest(`Unknown insert method '${method}': use append (default), restamp or insert`);
}

export function registerStreamDataRoutes(app: FastifyInstance, ctx: AppContext): void {
  const route = '/api/v1/crud/:user/:device/:stream/data';
  const plotBuffers = new ScratchBuffers();

  /** A buffer for the plot's M4 columns, back in the pool once the response has gone out. */
  function plotScratch(reply: FastifyReply, width: number): ArrayBuffer | undefined {
    if (!Number.isInteger(width) || width < 1 || width > MAX_PLOT_WIDTH) return undefined;
    // Snapped to whole buckets, a plan has up to 2 × width + 1 columns (see `planPlot`).
    const scratch = plotBuffers.acquire(m4BinaryBytes(2 * width + 1));
    reply.raw.once('close', () => plotBuffers.release(scratch));
    return scratch;
  }

  app.get<{ Params: StreamParams }>(route, { config: { failure: 403 } }, async (request, reply) => {
    const downlink = downlinkParam(request);
    const q = queryParam(request, 'q');
    if (q === 'length')
      return sendText(reply, String(await dataLength(ctx, request.actor, request.params, downlink)));
    if (q === 'time2index') {
      const t = parseTimeParam(queryParam(request, 't') ?? '', ctx.now());
      if (t === undefined)
        throw denied('time2index requires an argument of "t" which is a decimal timestamp');
      return sendJson(reply, String(await timeToIndex(ctx, request.actor, request.params, t, downlink)));
    }
    if (q === 'plot') {
      const window = requireWindow(request, ctx.now());
      const width = intParam(request, 'width') ?? 0;
      const scratch = plotScratch(reply, width);
      const plot = await plotData(ctx, request.actor, request.params, {
        ...window,
        width,
        downlink,
        scratch,
      });
      return sendPlot(reply, plot, queryParam(request, 'format') === 'binary');
    }
    if (q === 'downsample') {
      const window = requireWindow(request, ctx.now());
      const points = await downsampleData(ctx, request.actor, request.params, {
        level: queryParam(request, 'level') ?? '',
        value: queryParam(request, 'value') ?? 'mean',
        time: queryParam(request, 'time') ?? 'first',
        t1: window.t0,
        t2: window.t1,
        downlink,
      });
      return sendJson(reply, datapointsToJson(points));
    }
    if (q) throw badRequest(UNRECOGNIZED_Q);

    const range = parseReadRange(request, ctx.now());
    const transform = queryParam(request, 'transform');
    const script = transform ? compileTransform(transform) : undefined;
    // With a transform, the limit applies to its output.
    const readRange = script && range.kind === 'time' ? { ...range, limit: 0 } : range;
    let points = await readData(ctx, request.actor, request.params, readRange, downlink);
    if (script) {
      points = runTransform(script, points).map(({ t, d }) => ({ t, d }));
      if (range.kind === 'time' && range.limit > 0) points = points.slice(0, range.limit);
    }
    return sendJson(reply, datapointsToJson(points));
  });

  const write = async (request: FastifyRequest<{ Params: StreamParams }>) => {
    const idempotency = request.idempotency;
    const outcome = await insertData(ctx, request.actor, request.params, {
      body: request.body,
      mode: insertMode(request),
      downlink: downlinkParam(request),
      ...(idempotency && { idempotency: { key: idempotency.key, requestHash: idempotency.requestHash } }),
    });
    if (idempotency) idempotency.recorded = true;
    return outcome;
  };

  for (const method of ['POST', 'PUT'] as const) {
    app.route<{ Params: StreamParams }>({
      method,
      url: route,
      config: { failure: 403 },
      handler: async (request, reply) => {
        const outcome = await write(request);
        if (outcome.kind === 'replay') reply.header('Idempotent-Replayed', 'true');
        return sendText(reply, outcome.kind === 'replay' ? outcome.record.body : 'ok');
      },
    });
  }
}
