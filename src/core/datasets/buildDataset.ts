/**
 * T-datasets (rows at t1, t1+dt, ... < t2) and X-datasets (one row per datapoint of an X stream),
 * built from column datapoints the server has already read (ConnectorDB `POST /query/dataset`).
 *
 * A dataset can have millions of rows, so they are computed one at a time ({@link PreparedDataset}),
 * for a server to stream them out without holding them. Only a posttransform needs every row at
 * once, which is why datasets with one are limited to {@link POSTTRANSFORM_MAX_VALUES}.
 */
import type { Datapoint } from '../model';
import { describePipeScriptError, PipeScriptError, parsePipeScript } from '../pipescript';
import { DatasetError } from './DatasetError';
import { createInterpolator, interpolatorMayFail } from './interpolators';
import type { FirstWindow, Interpolator } from './interpolators';

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

/**
 * Most values (rows × columns) of a dataset with a posttransform: the script runs over all rows at
 * once, so they are held in memory (about 200 bytes a value). Without a posttransform rows are
 * streamed and only the original's {@link TDATASET_MAX_ROWS} applies.
 */
export const POSTTRANSFORM_MAX_VALUES = 250_000;

/** How many rows `check` computes between two of its yields. */
const ROWS_PER_YIELD = 8192;

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

/** The number of rows of a T-dataset (before rows with null columns are dropped). */
export function tDatasetRowCount(t1: number, t2: number, dt: number): number {
  return Math.max(0, Math.ceil((t2 - t1) / dt));
}

/** Refuses a posttransform over more than {@link POSTTRANSFORM_MAX_VALUES} values. */
export function checkPosttransformSize(rows: number, columns: number): void {
  if (rows * columns <= POSTTRANSFORM_MAX_VALUES) return;
  throw new DatasetError(
    `A posttransform runs over the whole dataset at once, so a dataset with one is limited to ` +
      `${POSTTRANSFORM_MAX_VALUES} values (rows × columns); this one has ${rows} rows × ${columns} ` +
      `columns. Narrow the range, raise dt or use fewer columns, or leave out the posttransform ` +
      `(rows are then streamed, up to ${TDATASET_MAX_ROWS}) and transform the rows yourself.`,
  );
}

/**
 * A dataset whose rows are computed on demand. Call {@link check} first: it finds every error the
 * rows could meet, so that a server can refuse the request before sending any of it; after it, the
 * rows cannot fail.
 */
export interface PreparedDataset {
  /**
   * Computes what can fail on data without keeping it: the `sum`, `mean` and script columns (each
   * row's window once), or, with a posttransform, every row and the posttransform (whose output is
   * kept for {@link rows}). Throws a {@link DatasetError}; yields every few thousand rows so that a
   * caller can let other work run.
   */
  check(): Generator<void, void, undefined>;
  /** The rows in order, one at a time. */
  rows(): Generator<Datapoint, void, undefined>;
}

interface Plan {
  names: string[];
  columns: DatasetColumn[];
  options: DatasetOptions & { firstWindow?: FirstWindow };
  /** The rows' timestamps; an X-dataset's rows also carry the X value. */
  anchors: () => Iterable<Datapoint>;
  isX: boolean;
  posttransform?: string;
}

function interpolatorsOf(plan: Plan, which: number[]): Interpolator[] {
  return which.map((k) => {
    try {
      return createInterpolator(plan.columns[k]!.interpolator, plan.columns[k]!.points, plan.options);
    } catch (error) {
      if (error instanceof DatasetError)
        throw new DatasetError(`Dataset element '${plan.names[k]}': ${error.message}`);
      throw error;
    }
  });
}

function valueAt(plan: Plan, k: number, interpolator: Interpolator, ts: number): unknown {
  try {
    return interpolator.at(ts)?.d ?? null;
  } catch (error) {
    if (error instanceof DatasetError)
      throw new DatasetError(`Dataset element '${plan.names[k]}': ${error.message}`);
    throw error;
  }
}

/** The rows before any posttransform; a row with a null column is dropped unless it allows nil. */
function* computeRows(plan: Plan): Generator<Datapoint, void, undefined> {
  const all = plan.names.map((_, k) => k);
  const interpolators = interpolatorsOf(plan, all);
  for (const anchor of plan.anchors()) {
    const data: Record<string, unknown> = {};
    let keep = true;
    for (const k of all) {
      const value = valueAt(plan, k, interpolators[k]!, anchor.t);
      if (value === null && !plan.columns[k]!.allownil) keep = false;
      // Column names come from the request: define them, so that `__proto__` is just a name.
      Object.defineProperty(data, plan.names[k]!, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (!keep) continue;
    if (plan.isX) data.x = anchor.d ?? null;
    yield { t: anchor.t, d: data };
  }
}

function runPosttransform(rows: Datapoint[], posttransform: string, options: DatasetOptions): Datapoint[] {
  try {
    return parsePipeScript(posttransform).run(rows, { maxSteps: options.maxSteps });
  } catch (error) {
    if (error instanceof PipeScriptError)
      throw new DatasetError(`posttransform: ${describePipeScriptError(error, posttransform)}`);
    throw error;
  }
}

function prepared(plan: Plan): PreparedDataset {
  if (plan.names.length === 0) throw new DatasetError('The dataset query must have a dataset!');
  // Parse every interpolator script now, so that a bad one fails before any work.
  interpolatorsOf(
    plan,
    plan.names.map((_, k) => k),
  );
  let transformed: Datapoint[] | undefined;
  const dataset: PreparedDataset = {
    *check() {
      if (plan.posttransform !== undefined) {
        const rows: Datapoint[] = [];
        for (const row of computeRows(plan)) {
          if (rows.push(row) % ROWS_PER_YIELD === 0) yield;
        }
        transformed = runPosttransform(rows, plan.posttransform, plan.options);
        return;
      }
      const fallible = plan.names.flatMap((_, k) =>
        interpolatorMayFail(plan.columns[k]!.interpolator) ? [k] : [],
      );
      if (fallible.length === 0) return;
      const interpolators = interpolatorsOf(plan, fallible);
      let n = 0;
      for (const anchor of plan.anchors()) {
        fallible.forEach((k, j) => valueAt(plan, k, interpolators[j]!, anchor.t));
        if (++n % ROWS_PER_YIELD === 0) yield;
      }
    },
    *rows() {
      if (plan.posttransform === undefined) return yield* computeRows(plan);
      if (!transformed) drain(dataset.check());
      yield* transformed ?? [];
    },
  };
  return dataset;
}

function drain(steps: Generator<void, void, undefined>): void {
  while (!steps.next().done) continue;
}

function* tAnchors(t1: number, t2: number, dt: number): Generator<Datapoint, void, undefined> {
  // t1 + i*dt rather than repeated addition, so long ranges do not drift.
  for (let i = 0; ; i++) {
    const t = t1 + i * dt;
    if (t >= t2) return;
    yield { t, d: null };
  }
}

/**
 * A T-dataset. The first row's `sum`, `count`, `mean` and scripts see (t1 - dt, t1], like every
 * other row, rather than whatever was read before t1 (QUIRKS.md).
 */
export function prepareTDataset(
  query: { t1: number; t2: number; dt: number; columns: DatasetColumns; posttransform?: string },
  options: DatasetOptions = {},
): PreparedDataset {
  const { t1, t2, dt } = query;
  checkTDatasetRange(t1, t2, dt);
  const names = Object.keys(query.columns);
  if (query.posttransform) checkPosttransformSize(tDatasetRowCount(t1, t2, dt), names.length);
  return prepared({
    names,
    columns: names.map((name) => query.columns[name]!),
    options: { ...options, firstWindow: { after: t1 - dt } },
    anchors: () => tAnchors(t1, t2, dt),
    isX: false,
    ...(query.posttransform && { posttransform: query.posttransform }),
  });
}

/**
 * An X-dataset. Its first row has no previous row, so the first window of `sum`, `count`, `mean`
 * and scripts holds only the datapoints at exactly the first X timestamp (QUIRKS.md).
 */
export function prepareXDataset(
  query: { x: readonly Datapoint[]; columns: DatasetColumns; posttransform?: string },
  options: DatasetOptions = {},
): PreparedDataset {
  if (Object.hasOwn(query.columns, 'x')) throw new DatasetError("Dataset already contains field of name 'x'");
  const names = Object.keys(query.columns);
  if (query.posttransform) checkPosttransformSize(query.x.length, names.length);
  const first = query.x[0];
  return prepared({
    names,
    columns: names.map((name) => query.columns[name]!),
    options: { ...options, ...(first && { firstWindow: { from: first.t } }) },
    anchors: () => query.x,
    isX: true,
    ...(query.posttransform && { posttransform: query.posttransform }),
  });
}

function collect(dataset: PreparedDataset): Datapoint[] {
  drain(dataset.check());
  return [...dataset.rows()];
}

/** A whole T-dataset as an array (small datasets and tests; a server streams {@link prepareTDataset}). */
export function buildTDataset(
  query: { t1: number; t2: number; dt: number; columns: DatasetColumns; posttransform?: string },
  options: DatasetOptions = {},
): Datapoint[] {
  return collect(prepareTDataset(query, options));
}

/** A whole X-dataset as an array (small datasets and tests; a server streams {@link prepareXDataset}). */
export function buildXDataset(
  query: { x: readonly Datapoint[]; columns: DatasetColumns; posttransform?: string },
  options: DatasetOptions = {},
): Datapoint[] {
  return collect(prepareXDataset(query, options));
}
