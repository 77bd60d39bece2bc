/**
 * The compiled form of a script. A run evaluates whole arrays at once instead of pulling datapoints
 * one by one: a transform sees its complete input (so `next`, `last` and `while` look ahead by index)
 * and all of its state lives in local variables of one call, which is why every run starts fresh.
 */
import { PipeScriptError, RunError } from './PipeScriptError';

/**
 * A stream in columns: timestamps and data of equal length. Arrays are shared between stages and must
 * never be written to once returned.
 */
export interface Series {
  readonly t: readonly number[];
  readonly d: readonly unknown[];
}

/** The work budget of one run; see {@link RunContext.charge}. */
export class RunContext {
  steps = 0;
  constructor(readonly maxSteps: number) {}

  /** Adds work and fails the run once the budget is spent, so no script can run unbounded. */
  charge(steps: number): void {
    this.steps += steps;
    if (this.steps > this.maxSteps) {
      throw new PipeScriptError('run', `Script exceeded its budget of ${this.maxSteps} steps`);
    }
  }
}

/** A constant node's folded value, or the error that folding it produced (reported at run time). */
export type Constant =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

export interface Program {
  /** Emits exactly one datapoint per input datapoint, in order. */
  readonly oneToOne: boolean;
  /** Looks at datapoints after the current one (`next`, `last`, `while`). */
  readonly peek: boolean;
  /** Set when the node's output data does not depend on its input. */
  readonly constant: Constant | undefined;
  /** Where the node starts in the script, for error messages. */
  readonly position: number;
  /** For a transform called without arguments, its name (lets `if last` skip building a column). */
  readonly transformName?: string;
  exec(input: Series, rc: RunContext): Series;
}

export const EMPTY_SERIES: Series = { t: [], d: [] };

/** Rethrows a transform's {@link RunError} with the position of the node that ran it. */
export function positioned(error: unknown, position: number): never {
  if (error instanceof RunError) throw new PipeScriptError('run', error.message, position, { cause: error });
  throw error;
}

/** A column of one value per input datapoint, sharing the input's timestamps. */
export function constantSeries(input: Series, value: unknown): Series {
  return { t: input.t, d: new Array<unknown>(input.t.length).fill(value) };
}

/** A sub-stream `[start, end)` of a series, for transforms that run a script over groups. */
export function slice(series: Series, start: number, end: number): Series {
  return { t: series.t.slice(start, end), d: series.d.slice(start, end) };
}

/** Gathers the datapoints at the given indices into a new series. */
export function pick(series: Series, indices: readonly number[]): Series {
  const t = new Array<number>(indices.length);
  const d = new Array<unknown>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    t[i] = series.t[j]!;
    d[i] = series.d[j];
  }
  return { t, d };
}
