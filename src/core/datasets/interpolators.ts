/**
 * Interpolators turn a column's datapoints into one value per dataset row. They are asked for
 * non-decreasing timestamps and consume their datapoints on the way, as in the original, so the
 * windowed ones (`sum`, `count`, `mean`, scripts) see the datapoints in (previous row, this row]. The
 * first row's window starts where `firstWindow` says (a dataset passes (t1 - dt, t1]); without it,
 * the first row sees every datapoint up to its timestamp, as in the original.
 */
import type { Datapoint } from '../model';
import { describePipeScriptError, PipeScriptError, parsePipeScript } from '../pipescript';
import { toFloat } from '../pipescript/coerce';
import { DatasetError } from './DatasetError';

export interface Interpolator {
  /** The datapoint for the row at `ts` (its data is the column's value), or null for none. */
  at(ts: number): Datapoint | null;
}

/** Yields the datapoints with `t <= ts`, in order, each exactly once over successive calls. */
class Cursor {
  private index = 0;
  constructor(readonly points: readonly Datapoint[]) {}
  peek(): Datapoint | undefined {
    return this.points[this.index];
  }
  take(): Datapoint {
    return this.points[this.index++]!;
  }
  takeUntil(ts: number): Datapoint[] {
    const start = this.index;
    while (this.index < this.points.length && this.points[this.index]!.t <= ts) this.index++;
    return this.points.slice(start, this.index) as Datapoint[];
  }
}

function floatOf(dp: Datapoint, interpolator: string): number {
  const f = typeof dp.d === 'number' ? dp.d : toFloat(dp.d);
  if (f === undefined) {
    throw new DatasetError(
      `The ${interpolator} interpolator could not convert ${JSON.stringify(dp.d)} to a number`,
    );
  }
  return f;
}

/** The previous datapoint (at or before the row) and the current one (the first after it). */
function beforeAndAfter(
  points: readonly Datapoint[],
): (ts: number) => [Datapoint | undefined, Datapoint | undefined] {
  const cursor = new Cursor(points);
  let previous = points.length > 0 ? cursor.take() : undefined;
  return (ts) => {
    for (let next = cursor.peek(); next !== undefined && next.t <= ts; next = cursor.peek())
      previous = cursor.take();
    return [previous, cursor.peek()];
  };
}

/**
 * Where the first row's window begins: after a timestamp (exclusive, the row before t1 of a
 * T-dataset) or from one (inclusive, the first row of an X-dataset).
 */
export type FirstWindow = { after: number } | { from: number };

function windowed(
  points: readonly Datapoint[],
  firstWindow: FirstWindow | undefined,
  reduce: (window: Datapoint[], ts: number) => Datapoint | null,
): Interpolator {
  const cursor = new Cursor(points);
  // Datapoints before the first window (the back-track read for `before` and `closest`) belong to
  // no row.
  if (firstWindow && 'after' in firstWindow) cursor.takeUntil(firstWindow.after);
  else if (firstWindow) while ((cursor.peek()?.t ?? Infinity) < firstWindow.from) cursor.take();
  return { at: (ts) => reduce(cursor.takeUntil(ts), ts) };
}

const BUILT_IN: Record<string, (points: readonly Datapoint[], firstWindow?: FirstWindow) => Interpolator> = {
  closest(points) {
    const around = beforeAndAfter(points);
    return {
      at(ts) {
        const [before, after] = around(ts);
        if (!before) return after ?? null;
        if (!after) return before;
        return Math.abs(before.t - ts) <= Math.abs(after.t - ts) ? before : after;
      },
    };
  },
  before(points) {
    const around = beforeAndAfter(points);
    return {
      at(ts) {
        const [before] = around(ts);
        return before && before.t <= ts ? before : null;
      },
    };
  },
  after(points) {
    const cursor = new Cursor(points);
    return {
      at(ts) {
        cursor.takeUntil(ts);
        return cursor.peek() ?? null;
      },
    };
  },
  sum: (points, firstWindow) =>
    windowed(points, firstWindow, (window, ts) => {
      let total = 0;
      for (const dp of window) total += floatOf(dp, 'sum');
      return { t: ts, d: total };
    }),
  count: (points, firstWindow) =>
    windowed(points, firstWindow, (window, ts) => ({ t: ts, d: window.length })),
  mean: (points, firstWindow) =>
    windowed(points, firstWindow, (window, ts) => {
      let total = 0;
      for (const dp of window) total += floatOf(dp, 'mean');
      return { t: ts, d: window.length === 0 ? 0 : total / window.length };
    }),
};

export const INTERPOLATOR_NAMES: readonly string[] = Object.keys(BUILT_IN);

export interface InterpolatorOptions {
  /** Step budget of each script run (one per row). */
  maxSteps?: number;
  /** Where the first row's window of `sum`, `count`, `mean` and scripts begins. */
  firstWindow?: FirstWindow;
}

/** Whether the interpolator can fail on data (`closest`, `before`, `after` and `count` cannot). */
export function interpolatorMayFail(name: string): boolean {
  return !['closest', 'before', 'after', 'count'].includes(name);
}

/**
 * The interpolator of the given name over a column's datapoints (ordered by time). Any other string is
 * a PipeScript run over each row's window, whose last output is the value (an implicit `| if last`).
 */
export function createInterpolator(
  name: string,
  points: readonly Datapoint[],
  options: InterpolatorOptions = {},
): Interpolator {
  const builtIn = BUILT_IN[name];
  if (builtIn && Object.hasOwn(BUILT_IN, name)) return builtIn(points, options.firstWindow);
  let script;
  try {
    script = parsePipeScript(name);
  } catch (error) {
    if (error instanceof PipeScriptError) {
      // The script is not echoed: it may be 8 KB long, and the excerpt shows where it fails.
      throw new DatasetError(
        `the interpolator is neither ${INTERPOLATOR_NAMES.join(', ')} nor a valid script: ${describePipeScriptError(error, name)}`,
      );
    }
    throw error;
  }
  return windowed(points, options.firstWindow, (window) => {
    if (window.length === 0) return null;
    let output;
    try {
      output = script.run(window, { maxSteps: options.maxSteps });
    } catch (error) {
      if (error instanceof PipeScriptError) throw new DatasetError(describePipeScriptError(error, name));
      throw error;
    }
    return output[output.length - 1] ?? null;
  });
}
