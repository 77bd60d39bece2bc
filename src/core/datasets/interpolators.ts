/**
 * Interpolators turn a column's datapoints into one value per dataset row. They are asked for
 * non-decreasing timestamps and consume their datapoints on the way, as in the original, so the
 * windowed ones (`sum`, `count`, `mean`, scripts) see the datapoints in (previous row, this row]; the
 * first row sees everything up to its timestamp.
 */
import type { Datapoint } from '../model';
import { PipeScriptError, parsePipeScript } from '../pipescript';
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

function windowed(
  points: readonly Datapoint[],
  reduce: (window: Datapoint[], ts: number) => Datapoint | null,
): Interpolator {
  const cursor = new Cursor(points);
  return { at: (ts) => reduce(cursor.takeUntil(ts), ts) };
}

const BUILT_IN: Record<string, (points: readonly Datapoint[]) => Interpolator> = {
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
  sum: (points) =>
    windowed(points, (window, ts) => {
      let total = 0;
      for (const dp of window) total += floatOf(dp, 'sum');
      return { t: ts, d: total };
    }),
  count: (points) => windowed(points, (window, ts) => ({ t: ts, d: window.length })),
  mean: (points) =>
    windowed(points, (window, ts) => {
      let total = 0;
      for (const dp of window) total += floatOf(dp, 'mean');
      return { t: ts, d: window.length === 0 ? 0 : total / window.length };
    }),
};

export const INTERPOLATOR_NAMES: readonly string[] = Object.keys(BUILT_IN);

export interface InterpolatorOptions {
  /** Step budget of each script run (one per row). */
  maxSteps?: number;
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
  if (builtIn && Object.hasOwn(BUILT_IN, name)) return builtIn(points);
  let script;
  try {
    script = parsePipeScript(name);
  } catch (error) {
    if (error instanceof PipeScriptError) {
      throw new DatasetError(
        `Interpolator '${name}' is not a known interpolator or a valid script: ${error.message}`,
      );
    }
    throw error;
  }
  return windowed(points, (window) => {
    if (window.length === 0) return null;
    const output = script.run(window, { maxSteps: options.maxSteps });
    return output[output.length - 1] ?? null;
  });
}
