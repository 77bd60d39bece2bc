/**
 * The shape of a `POST /api/v1/query/dataset` body (ConnectorDB `query/datasetquery.go`), checked
 * before any stream is read so that a bad request gets a 400 with a clear message.
 *
 * Like Go's JSON decoding, unknown keys are ignored and zero values count as absent (`"t1": 0` is no
 * t1). Scripts (transforms, interpolators, posttransform) are parsed here too.
 */
import { describePipeScriptError, PipeScriptError, parsePipeScript } from '../pipescript';
import { DatasetError } from './DatasetError';
import { checkPosttransformSize, checkTDatasetRange, tDatasetRowCount } from './buildDataset';
import { INTERPOLATOR_NAMES } from './interpolators';

/** One stream read: `stream` with an index range (`i1`, `i2`) or a time range (`t1`, `t2`, `limit`). */
export interface StreamQuery {
  stream: string;
  transform?: string;
  i1: number;
  i2: number;
  t1: number;
  t2: number;
  limit: number;
}

/** Where a column's (or the X-dataset's) datapoints come from. */
export type DatasetSource =
  { type: 'stream'; query: StreamQuery } | { type: 'merge'; queries: StreamQuery[] };

export interface DatasetElementQuery {
  source: DatasetSource;
  interpolator: string;
  allownil: boolean;
}

export interface TDatasetQuery {
  kind: 't';
  t1: number;
  t2: number;
  dt: number;
  dataset: Record<string, DatasetElementQuery>;
  posttransform?: string;
}

export interface XDatasetQuery {
  kind: 'x';
  x: DatasetSource;
  dataset: Record<string, DatasetElementQuery>;
  posttransform?: string;
}

export type DatasetQuery = TDatasetQuery | XDatasetQuery;

/** The original merge endpoint's limit, applied to every merge in a dataset too. */
export const MAX_MERGE_STREAMS = 10;

/**
 * A T-dataset element without a range of its own is read from the dataset's t1, starting this many
 * datapoints earlier, so that `before` and `closest` have a value for the first rows.
 */
export const DATASET_INDEX_BACKTRACK = 10;

/** Elements without a range of their own are read from the dataset's t1 (with a short back-track). */
export function streamQueryHasRange(query: StreamQuery): boolean {
  return query.i1 !== 0 || query.i2 !== 0 || query.t1 !== 0 || query.t2 !== 0 || query.limit !== 0;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field<T>(
  object: Json,
  key: string,
  where: string,
  type: 'string' | 'number' | 'integer' | 'boolean',
  zero: T,
): T {
  const value = object[key];
  if (value === undefined || value === null) return zero;
  const ok =
    type === 'integer'
      ? Number.isSafeInteger(value)
      : type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : typeof value === type;
  if (!ok)
    throw new DatasetError(`${where}: '${key}' must be ${type === 'integer' ? 'an integer' : `a ${type}`}`);
  return value as T;
}

function checkScript(source: string, what: string): void {
  try {
    parsePipeScript(source);
  } catch (error) {
    if (error instanceof PipeScriptError)
      throw new DatasetError(`${what}: ${describePipeScriptError(error, source)}`);
    throw error;
  }
}

function streamQuery(value: unknown, where: string, requireStream: boolean): StreamQuery {
  if (!isObject(value)) throw new DatasetError(`${where} must be an object`);
  const query: StreamQuery = {
    stream: field(value, 'stream', where, 'string', ''),
    i1: field(value, 'i1', where, 'integer', 0),
    i2: field(value, 'i2', where, 'integer', 0),
    t1: field(value, 't1', where, 'number', 0),
    t2: field(value, 't2', where, 'number', 0),
    limit: field(value, 'limit', where, 'integer', 0),
  };
  const transform = field(value, 'transform', where, 'string', '');
  if (transform) {
    checkScript(transform, `${where}: transform`);
    query.transform = transform;
  }
  if (requireStream && !query.stream) throw new DatasetError(`${where}: 'stream' is required`);
  if ((query.t1 !== 0 || query.t2 !== 0 || query.limit !== 0) && (query.i1 !== 0 || query.i2 !== 0)) {
    throw new DatasetError(`${where}: Only one query method (index or time) can be used at a time`);
  }
  return query;
}

function mergeList(value: unknown, where: string): StreamQuery[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DatasetError(`${where}: 'merge' must be an array of stream queries`);
  if (value.length > MAX_MERGE_STREAMS) {
    throw new DatasetError(`${where}: a merge can have at most ${MAX_MERGE_STREAMS} streams`);
  }
  return value.map((item, i) => streamQuery(item, `${where}: merge element ${i}`, true));
}

function element(name: string, value: unknown): DatasetElementQuery {
  const where = `Dataset element '${name}'`;
  if (!isObject(value)) throw new DatasetError(`${where} must be an object`);
  const query = streamQuery(value, where, false);
  const merge = mergeList(value.merge, where);
  let source: DatasetSource;
  if (query.stream) {
    if (merge.length > 0)
      throw new DatasetError(`${where}: Dataset element cannot have both a merge and a stream`);
    source = { type: 'stream', query };
  } else {
    if (query.transform) {
      throw new DatasetError(
        `${where}: Set transforms within each merge element instead of overall for dataset element`,
      );
    }
    if (merge.length === 0)
      throw new DatasetError(`${where}: No stream(s) were selected for dataset element`);
    source = { type: 'merge', queries: merge };
  }
  // A missing interpolator means `closest`, the default of every ConnectorDB client.
  const interpolator = field(value, 'interpolator', where, 'string', '') || 'closest';
  if (!INTERPOLATOR_NAMES.includes(interpolator)) checkScript(interpolator, `${where}: interpolator`);
  return { source, interpolator, allownil: field(value, 'allownil', where, 'boolean', false) };
}

function validate(body: unknown): DatasetQuery {
  if (!isObject(body)) throw new DatasetError('The dataset query must be a JSON object');
  const top = streamQuery(body, 'Dataset query', false);
  const merge = mergeList(body.merge, 'Dataset query');
  const dt = field(body, 'dt', 'Dataset query', 'number', 0);
  // Some ConnectorDB versions named the row transform `itransform` on the wire.
  const posttransform =
    field(body, 'posttransform', 'Dataset query', 'string', '') ||
    field(body, 'itransform', 'Dataset query', 'string', '');
  if (posttransform) checkScript(posttransform, 'posttransform');

  if (!isObject(body.dataset) || Object.keys(body.dataset).length === 0) {
    throw new DatasetError('The dataset query must have a dataset!');
  }
  const dataset: Record<string, DatasetElementQuery> = {};
  for (const [name, value] of Object.entries(body.dataset)) {
    Object.defineProperty(dataset, name, {
      value: element(name, value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const extra = posttransform ? { posttransform } : {};

  if (!top.stream && merge.length === 0) {
    if (top.i1 !== 0 || top.i2 !== 0) throw new DatasetError('Tdataset range invalid');
    checkTDatasetRange(top.t1, top.t2, dt);
    // Refused before any stream is read; an X-dataset's size is known once its X stream is.
    if (posttransform)
      checkPosttransformSize(tDatasetRowCount(top.t1, top.t2, dt), Object.keys(dataset).length);
    return { kind: 't', t1: top.t1, t2: top.t2, dt, dataset, ...extra };
  }
  if (dt !== 0) throw new DatasetError('Dataset must be either time or stream based. Not both.');
  if (top.stream && merge.length > 0)
    throw new DatasetError("Dataset can't be based both on a stream and on a merge!");
  if (Object.hasOwn(dataset, 'x')) throw new DatasetError("Dataset already contains field of name 'x'");
  const x: DatasetSource = top.stream ? { type: 'stream', query: top } : { type: 'merge', queries: merge };
  return { kind: 'x', x, dataset, ...extra };
}

/**
 * Checks a dataset request body. Returns the typed query, or a {@link DatasetError} whose message is
 * meant for the 400 response.
 */
export function validateDatasetQuery(body: unknown): DatasetQuery | DatasetError {
  try {
    return validate(body);
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
}

/**
 * Checks a `POST /api/v1/query/merge` body: an array of at most {@link MAX_MERGE_STREAMS} stream
 * queries. Returns them, or a {@link DatasetError} whose message is meant for the 400 response.
 */
export function validateMergeQuery(body: unknown): StreamQuery[] | DatasetError {
  try {
    if (!Array.isArray(body)) throw new DatasetError('The merge query must be an array of stream queries');
    return mergeList(body, 'Merge query');
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
}
