/** Retry timing of the sync engine after failed passes. */

/** Exponential backoff with jitter. */
export interface BackoffOptions {
  /** Delay after the first failure. */
  initialDelayMs: number;
  /** The delay doubles per consecutive failure up to this. */
  maxDelayMs: number;
  /** Random spread of each delay as a fraction (0.2 = ±20 %), so tabs and phones do not retry in step. */
  jitter: number;
}

/** 2 s doubling to 5 min, ±20 %. */
export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = {
  initialDelayMs: 2_000,
  maxDelayMs: 300_000,
  jitter: 0.2,
};

/** The delay before the next attempt after `failures` (≥ 1) consecutive failed passes. */
export function backoffDelayMs(
  failures: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const base = Math.min(options.initialDelayMs * 2 ** exponent, options.maxDelayMs);
  return Math.max(0, Math.round(base * (1 + options.jitter * (2 * random() - 1))));
}
