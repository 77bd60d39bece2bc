/**
 * The query endpoints: merge (several streams into one, by time) and datasets (streams lined up on
 * a time grid or on another stream's datapoints), over the same permission checks as reads.
 */
import type { Datapoint } from '../../core/model';
import { parseStreamPath } from '../../core/model';
import {
  buildTDataset,
  buildXDataset,
  DATASET_INDEX_BACKTRACK,
  DatasetError,
  mergeDatapoints,
  streamQueryHasRange,
  validateDatasetQuery,
  validateMergeQuery,
  type DatasetColumns,
  type DatasetSource,
  type StreamQuery,
} from '../../core/datasets';
import { PipeScriptError } from '../../core/pipescript';
import type { Actor } from './Actor';
import { readData, timeToIndex, type ReadRange } from './data';
import type { DomainContext } from './DomainContext';
import { badRequest } from './Refusal';
import { compileTransform, runTransform } from './transforms';

function rangeOf(query: StreamQuery): ReadRange {
  if (query.i1 !== 0 || query.i2 !== 0) return { kind: 'index', i1: query.i1, i2: query.i2 };
  if (query.t1 !== 0 || query.t2 !== 0 || query.limit !== 0) {
    const range: ReadRange = { kind: 'time', t1: query.t1, limit: query.limit };
    if (query.t2 !== 0) range.t2 = query.t2;
    return range;
  }
  return { kind: 'index', i1: 0, i2: 0 };
}

/** Reads one stream query: range, then transform, then the limit; `o` is dropped (§2.6). */
async function readQuery(
  ctx: DomainContext,
  actor: Actor,
  query: StreamQuery,
  range = rangeOf(query),
): Promise<Datapoint[]> {
  const path = parseStreamPath(query.stream);
  if (!path) throw badRequest(`'${query.stream}' is not a stream path (user/device/stream)`);
  const script = query.transform ? compileTransform(query.transform) : undefined;
  const limit = range.kind === 'time' ? range.limit : 0;
  const readRange = script && range.kind === 'time' ? { ...range, limit: 0 } : range;
  let points = await readData(ctx, actor, path, readRange, path.downlink);
  if (script) points = runTransform(script, points);
  if (script && limit > 0) points = points.slice(0, limit);
  return points.map(({ t, d }) => ({ t, d }));
}

export async function mergeQuery(ctx: DomainContext, actor: Actor, body: unknown): Promise<Datapoint[]> {
  const queries = validateMergeQuery(body);
  if (queries instanceof DatasetError) throw badRequest(queries.message);
  const streams = await Promise.all(queries.map((q) => readQuery(ctx, actor, q)));
  return mergeDatapoints(streams);
}

/**
 * An element without a range of its own is read from just before `fromT` (a few datapoints back,
 * so `before` and `closest` have a value at the first row) to the end of the stream.
 */
async function readSource(
  ctx: DomainContext,
  actor: Actor,
  source: DatasetSource,
  fromT?: number,
): Promise<Datapoint[]> {
  const read = async (query: StreamQuery) => {
    if (fromT === undefined || streamQueryHasRange(query)) return readQuery(ctx, actor, query);
    const path = parseStreamPath(query.stream);
    if (!path) throw badRequest(`'${query.stream}' is not a stream path (user/device/stream)`);
    const index = await timeToIndex(ctx, actor, path, fromT, path.downlink);
    return readQuery(ctx, actor, query, {
      kind: 'index',
      i1: Math.max(0, index - DATASET_INDEX_BACKTRACK),
      i2: 0,
    });
  };
  if (source.type === 'stream') return read(source.query);
  return mergeDatapoints(await Promise.all(source.queries.map(read)));
}

export async function datasetQuery(ctx: DomainContext, actor: Actor, body: unknown): Promise<Datapoint[]> {
  const query = validateDatasetQuery(body);
  if (query instanceof DatasetError) throw badRequest(query.message);
  try {
    if (query.kind === 't') {
      const columns = await readColumns(ctx, actor, query.dataset, query.t1);
      return buildTDataset({
        t1: query.t1,
        t2: query.t2,
        dt: query.dt,
        columns,
        posttransform: query.posttransform,
      });
    }
    const x = await readSource(ctx, actor, query.x);
    const columns = await readColumns(ctx, actor, query.dataset, x[0]?.t ?? 0);
    return buildXDataset({ x, columns, posttransform: query.posttransform });
  } catch (err) {
    if (err instanceof DatasetError || err instanceof PipeScriptError) throw badRequest(err.message);
    throw err;
  }
}

async function readColumns(
  ctx: DomainContext,
  actor: Actor,
  dataset: Record<string, { source: DatasetSource; interpolator: string; allownil: boolean }>,
  fromT: number,
): Promise<DatasetColumns> {
  const columns: DatasetColumns = {};
  for (const [name, element] of Object.entries(dataset)) {
    Object.defineProperty(columns, name, {
      value: {
        points: await readSource(ctx, actor, element.source, fromT),
        interpolator: element.interpolator,
        allownil: element.allownil,
      },
      enumerable: true,
    });
  }
  return columns;
}
