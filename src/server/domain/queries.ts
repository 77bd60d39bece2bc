/**
 * The query endpoints: merge (several streams into one, by time) and datasets (streams lined up on
 * a time grid or on another stream's datapoints), over the same permission checks as reads.
 */
import type { Datapoint } from '../../core/model';
import { parseStreamPath } from '../../core/model';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import {
  checkPosttransformSize,
  DATASET_INDEX_BACKTRACK,
  DatasetError,
  mergeDatapoints,
  mergedDatapoints,
  prepareTDataset,
  prepareXDataset,
  streamQueryHasRange,
  validateDatasetQuery,
  validateMergeQuery,
  type DatasetColumns,
  type DatasetSource,
  type PreparedDataset,
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

/**
 * The merged datapoints, produced one at a time as they are sent. Every read and transform has run
 * (and could fail) before the first one.
 */
export async function mergeQuery(
  ctx: DomainContext,
  actor: Actor,
  body: unknown,
): Promise<Iterable<Datapoint>> {
  const queries = validateMergeQuery(body);
  if (queries instanceof DatasetError) throw badRequest(queries.message);
  const streams = await Promise.all(queries.map((q) => readQuery(ctx, actor, q)));
  return mergedDatapoints(streams);
}

/**
 * The part of its stream a dataset element without a range of its own needs: a few datapoints
 * before the first row (so `before` and `closest` have a value there), the first row's window, and
 * everything up to the last row plus one datapoint after (for `after` and `closest`).
 */
interface ElementSpan {
  /** The first row's timestamp; reading starts at least DATASET_INDEX_BACKTRACK datapoints before. */
  firstRowT: number;
  /** Reading starts at the latest with the first datapoint after this (the first row's window). */
  windowAfterT: number;
  /** Reading ends with the first datapoint after this. */
  lastT: number;
}

/** The largest double below `x`: datapoints after it are those at `x` or later. */
function justBelow(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] = bits[0]! + (x > 0 ? -1n : 1n);
  return new Float64Array(bits.buffer)[0]!;
}

async function readSource(
  ctx: DomainContext,
  actor: Actor,
  source: DatasetSource,
  span?: ElementSpan,
): Promise<Datapoint[]> {
  const read = async (query: StreamQuery) => {
    if (span === undefined || streamQueryHasRange(query)) return readQuery(ctx, actor, query);
    const path = parseStreamPath(query.stream);
    if (!path) throw badRequest(`'${query.stream}' is not a stream path (user/device/stream)`);
    const indexAfter = (t: number) => timeToIndex(ctx, actor, path, t, path.downlink);
    const [firstRow, window, last] = await Promise.all([
      indexAfter(span.firstRowT),
      indexAfter(span.windowAfterT),
      indexAfter(span.lastT),
    ]);
    return readQuery(ctx, actor, query, {
      kind: 'index',
      i1: Math.max(0, Math.min(firstRow - DATASET_INDEX_BACKTRACK, window)),
      // At least 1, as an i2 of 0 would mean the end of the stream.
      i2: last + 1,
    });
  };
  if (source.type === 'stream') return read(source.query);
  return mergeDatapoints(await Promise.all(source.queries.map(read)));
}

/** Runs a dataset's checks, letting other requests in between (a large one takes seconds). */
async function checkInTurns(dataset: PreparedDataset): Promise<void> {
  const steps = dataset.check();
  while (!steps.next().done) await yieldToOthers();
}

/**
 * The dataset's rows, computed one at a time as they are sent. Everything that can fail (reads,
 * transforms, interpolators, the posttransform) has been checked before this returns, so a failure
 * is a 400 with no data.
 */
export async function datasetQuery(
  ctx: DomainContext,
  actor: Actor,
  body: unknown,
): Promise<Iterable<Datapoint>> {
  const query = validateDatasetQuery(body);
  if (query instanceof DatasetError) throw badRequest(query.message);
  try {
    let dataset: PreparedDataset;
    if (query.kind === 't') {
      const { t1, t2, dt } = query;
      const span = { firstRowT: t1, windowAfterT: t1 - dt, lastT: t2 };
      const columns = await readColumns(ctx, actor, query.dataset, span);
      dataset = prepareTDataset({ t1, t2, dt, columns, posttransform: query.posttransform });
    } else {
      const x = await readSource(ctx, actor, query.x);
      if (query.posttransform) checkPosttransformSize(x.length, Object.keys(query.dataset).length);
      const first = x[0]?.t ?? 0;
      const span = { firstRowT: first, windowAfterT: justBelow(first), lastT: x[x.length - 1]?.t ?? 0 };
      const columns = await readColumns(ctx, actor, query.dataset, span);
      dataset = prepareXDataset({ x, columns, posttransform: query.posttransform });
    }
    await checkInTurns(dataset);
    return dataset.rows();
  } catch (err) {
    if (err instanceof DatasetError || err instanceof PipeScriptError) throw badRequest(err.message);
    throw err;
  }
}

async function readColumns(
  ctx: DomainContext,
  actor: Actor,
  dataset: Record<string, { source: DatasetSource; interpolator: string; allownil: boolean }>,
  span: ElementSpan,
): Promise<DatasetColumns> {
  const columns: DatasetColumns = {};
  for (const [name, element] of Object.entries(dataset)) {
    Object.defineProperty(columns, name, {
      value: {
        points: await readSource(ctx, actor, element.source, span),
        interpolator: element.interpolator,
        allownil: element.allownil,
      },
      enumerable: true,
    });
  }
  return columns;
}
