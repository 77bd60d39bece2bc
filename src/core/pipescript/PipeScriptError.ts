/**
 * The one error type PipeScript throws. `phase` says whether the script was rejected before any data
 * was read (`parse`) or failed on a datapoint (`run`); the server answers both with a 4xx and no data.
 */
export class PipeScriptError extends Error {
  override name = 'PipeScriptError';
  readonly phase: 'parse' | 'run';
  /** 0-based character offset in the script: always set for parse errors, set for run errors when known. */
  readonly position?: number;

  /**
   * `message` is the engine's text alone; the position is kept apart so that each caller shows it
   * once, in its own form (see `describePipeScriptError`).
   */
  constructor(phase: 'parse' | 'run', message: string, position?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.phase = phase;
    if (position !== undefined) this.position = position;
  }
}

/**
 * Thrown by transform implementations at run time. They do not know where they sit in the script, so
 * the node that called them rethrows it as a positioned {@link PipeScriptError}.
 */
export class RunError extends Error {
  override name = 'RunError';
}

/** Resource limits that keep a user's script from taking the server down. */
export interface PipeScriptLimits {
  /** Longest accepted script, in characters. */
  maxLength: number;
  /** Deepest accepted nesting of brackets, calls, objects and prefix operators. */
  maxDepth: number;
  /** Work budget of one `run`: roughly one step per datapoint per transform it passes through. */
  maxSteps: number;
}

export const DEFAULT_PIPESCRIPT_LIMITS: PipeScriptLimits = Object.freeze({
  maxLength: 8192,
  maxDepth: 64,
  maxSteps: 50_000_000,
});
