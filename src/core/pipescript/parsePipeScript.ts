import type { Datapoint } from '../model';
import { DEFAULT_PIPESCRIPT_LIMITS, PipeScriptError } from './PipeScriptError';
import type { PipeScriptLimits } from './PipeScriptError';
import { compile } from './compile';
import { parse } from './parser';
import { RunContext } from './program';
import type { Program } from './program';

/** A compiled script. It holds no state between runs, so one instance can serve many subscriptions. */
export interface PipeScript {
  readonly source: string;
  /**
   * Runs the script over one complete stream with fresh state; throws PipeScriptError (phase 'run');
   * never returns partial output on error. Output datapoints have no `o`; NaN and ±Infinity data
   * (from `$/0`) become null.
   */
  run(input: readonly Datapoint[], options?: { maxSteps?: number }): Datapoint[];
}

class CompiledPipeScript implements PipeScript {
  constructor(
    readonly source: string,
    private readonly program: Program,
    private readonly maxSteps: number,
  ) {}

  run(input: readonly Datapoint[], options?: { maxSteps?: number }): Datapoint[] {
    const n = input.length;
    const t = new Array<number>(n);
    const d = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const dp = input[i]!;
      t[i] = dp.t;
      d[i] = dp.d === undefined ? null : dp.d;
    }
    const rc = new RunContext(options?.maxSteps ?? this.maxSteps);
    let output;
    try {
      output = this.program.exec({ t, d }, rc);
    } catch (error) {
      if (error instanceof PipeScriptError) throw error;
      // Resource exhaustion (a huge array, the call stack) must still surface as a run failure.
      const message = error instanceof Error ? error.message : String(error);
      throw new PipeScriptError('run', `Internal error: ${message}`, undefined, { cause: error });
    }
    const m = output.t.length;
    const result = new Array<Datapoint>(m);
    for (let i = 0; i < m; i++) {
      const value = output.d[i];
      const data =
        value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? null : value;
      result[i] = { t: output.t[i]!, d: data };
    }
    return result;
  }
}

/**
 * Compiles a PipeScript v1 transform. Throws {@link PipeScriptError} with phase 'parse' and the
 * position of the problem for syntax errors, unknown transforms, wrong arguments, invalid time zones
 * or regexes, and scripts over the length or depth limits.
 */
export function parsePipeScript(source: string, limits?: Partial<PipeScriptLimits>): PipeScript {
  const { maxLength, maxDepth, maxSteps } = { ...DEFAULT_PIPESCRIPT_LIMITS, ...limits };
  if (typeof source !== 'string') throw new PipeScriptError('parse', 'The script must be a string', 0);
  if (source.length > maxLength) {
    throw new PipeScriptError('parse', `The script is longer than ${maxLength} characters`, maxLength);
  }
  let program: Program;
  try {
    program = compile(parse(source, maxDepth));
  } catch (error) {
    if (error instanceof PipeScriptError) throw error;
    if (error instanceof RangeError) {
      throw new PipeScriptError('parse', 'The script is nested too deeply', 0, { cause: error });
    }
    throw error;
  }
  return new CompiledPipeScript(source, program, maxSteps);
}
