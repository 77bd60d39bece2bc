/**
 * The simulated thermostat: moves one degree per step towards its latest target and reports every
 * step, so a client watching the stream sees the value travel (and the command read `Mismatch`
 * until it arrives).
 */

/** Degrees moved per step. */
export const DEGREES_PER_STEP = 1;

/**
 * The temperature one step from `current` towards `target`: one degree closer, or the target when
 * it is at most a degree away. Rounded to 1e-6 so repeated steps from 20.1 do not drift to
 * 21.100000000000001.
 */
export function thermostatStep(current: number, target: number): number {
  const distance = target - current;
  if (Math.abs(distance) <= DEGREES_PER_STEP) return target;
  return Math.round((current + Math.sign(distance) * DEGREES_PER_STEP) * 1e6) / 1e6;
}

/** Options of a {@link Thermostat}. */
export interface ThermostatOptions {
  /** Where it starts: its last reported value, or 20. */
  temperature: number;
  /** Milliseconds per step. */
  stepMs: number;
  /** Called with each new temperature (each step, and at once when a target equals it). */
  report: (temperature: number, target: number) => void;
}

/** A thermostat that steps on a timer until it reaches its target. */
export class Thermostat {
  private current: number;
  private goal: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private isStopped = false;

  constructor(private readonly options: ThermostatOptions) {
    this.current = options.temperature;
    this.goal = options.temperature;
  }

  get temperature(): number {
    return this.current;
  }

  get target(): number {
    return this.goal;
  }

  /**
   * Sets a new target. Already there: reports at once, which acknowledges the command. Otherwise
   * the first step comes one step later; a step already scheduled keeps its time (retargeting).
   */
  setTarget(target: number): void {
    if (this.isStopped) return;
    this.goal = target;
    if (target === this.current) {
      this.clearTimer();
      this.options.report(this.current, this.goal);
    } else if (this.timer === undefined) {
      this.schedule();
    }
  }

  /** Stops stepping for good. */
  stop(): void {
    this.isStopped = true;
    this.clearTimer();
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.step(), this.options.stepMs);
  }

  private step(): void {
    this.timer = undefined;
    if (this.isStopped || this.current === this.goal) return;
    this.current = thermostatStep(this.current, this.goal);
    this.options.report(this.current, this.goal);
    if (this.current !== this.goal) this.schedule();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
