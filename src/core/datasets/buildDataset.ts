/**
 * T-datasets (rows at t1, t1+dt, ... < t2) and X-datasets (one row per datapoint of an X stream),
 * built from column datapoints the server has already read (ConnectorDB `POST /query/dataset`).
 */
import type { Datapoint } from '../model';
import { PipeScriptError, parsePipeScript } from '../pipescript';
import { DatasetError } from './DatasetError';
import { createInterpolator } from './interpolators';
import type { Interpolator } from './interpolators';

export interface DatasetColumn {
  /** The column's datapoints, ordered by time. */
  points: readonly Datapoint[];
  /** `closest`, `before`, `after`, `sum`, `count`, `mean`, or a PipeScript. */
  interpolator: string;
  /** Keep rows where this column is null (otherwise they are dropped). */
  allownil: boolean;
}

export type DatasetColumns = Record<string, DatasetColumn>;

/** The original's limits against abuse. */
export const TDATASET_MAX_ROWS = 10_000_000;
export const TDATASET_MIN_DT = 0.001;

export interface DatasetOptions {
  /** Step budget of each PipeScript run (interpolator scripts run once per row). */
  maxSteps?: number;
}

/** Checks the range of a T-dataset, with the original's rules and messages. */
export function checkTDatasetRange(t1: number, t2: number, dt: number): void {
  if (![t1, t2, dt].every(Number.isFinite))
    throw new DatasetError('Tdataset range invalid: t1, t2 and dt must be numbers');
  if (t1 < 0 || t2 < t1 + dt) throw new DatasetError('Tdataset range invalid');
  if (dt < TDATASET_MIN_DT || (t2 - t1) / dt > TDATASET_MAX_ROWS) {
    throw new DatasetError(
      `To avoid abuse, Tdataset is limited to a max of ${TDATASET_MAX_ROWS} datapoints with min dt ${TDATASET_MIN_DT}`,
    );
  }
}

interface Prepared {
  names: string[];
  interpolators: Interpolator[];
  allownil: boolean[];
}

function prepare(columns: DatasetColumns, options: DatasetOptions): Prepared {
  const names = Object.keys(columns);
  if (names.length === 0) throw new DatasetError('The dataset query must have a dataset!');
  return {
    names,
    interpolators: names.map((name) => {
      const column = columns[name]!;
      try {
        return createInterpolator(column.interpolator, column.points, options);
      } catch (error) {
        if (error instanceof DatasetError)
          throw new DatasetError(`Dataset element '${name}': ${error.message}`);
        throw error;
      }
    }),
    allownil: names.map((name) => columns[name]!.allownil),
  };
}

/** One row: every interpolator is advanced, then the row is dropped if a column may not be null. */
function row(prepared: Prepared, ts: number): Record<string, unknown> | undefined {
  const data: Record<string, unknown> = {};
  let keep = true;
  prepared.names.forEach((name, k) => {
    let value: unknown;
    try {
      value = prepared.interpolators[k]!.at(ts)?.d ?? null;
    } catch (error) {
      if (error instanceof PipeScriptError || error instanceof DatasetError) {
        throw new DatasetError(`Dataset element '${name}': ${error.message}`);
      }
      throw error;
    }
    if (value === null && !prepared.allownil[k]) keep = false;
    Object.defineProperty(data, name, { value, enumerable: true, writable: true, configurable: true });
  });
  return keep ? data : undefined;
}

function postTransform(
  rows: Datapoint[],
  posttransform: string | undefined,
  options: DatasetOptions,
): Datapoint[] {
  if (!posttransform) return rows;
  try {
    return parsePipeScript(posttransform).run(rows, { maxSteps: options.maxSteps });
  } catch (error) {
    if (error instanceof PipeScriptError) throw new DatasetError(`posttransform: ${error.message}`);
    throw error;
  }
}

export function buildTDataset(
  query: { t1: number; t2: number; dt: number; columns: DatasetColumns; posttransform?: string },
  options: DatasetOptions = {},
): Datapoint[] {
  const { t1, t2, dt } = query;
  checkTDatasetRange(t1, t2, dt);
  const prepared = prepare(query.columns, options);
  const rows: Datapoint[] = [];
  // t1 + i*dt rather than repeated addition, so long ranges do not drift.
  for (let i = 0; ; i++) {
    const ts = t1 + i * dt;
    if (ts >= t2) break;
    const data = row(prepared, ts);
    if (data) rows.push({ t: ts, d: data });
  }
  return postTransform(rows, query.posttransform, options);
}

export function buildXDataset(
  query: { x: readonly Datapoint[]; columns: DatasetColumns; posttransform?: string },
  options: DatasetOptions = {},
): Datapoint[] {
  if (Object.hasOwn(query.columns, 'x')) throw new DatasetError("Dataset already contains field of name 'x'");
  const prepared = prepare(query.columns, options);
  const rows: Datapoint[] = [];
  for (const point of query.x) {
    const data = row(prepared, point.t);
    if (!data) continue;
    data.x = point.d ?? null;
    rows.push({ t: point.t, d: data });
  }
  return postTransform(rows, query.posttransform, options);
}
