/**
 * PipeScript throughput on 1,000,000 numeric datapoints at 1 Hz (about 11.5 days): the common
 * `mean | if last`, and daily sums with `while(not day:changed, sum)` (the correct daily idiom; the
 * original's `while(day==next:day, sum)` shifts each day by one datapoint, see QUIRKS.md).
 * Each figure is the best of a few runs after a warm-up, in datapoints per second.
 */
import type { Datapoint } from '../src/core/model';
import { parsePipeScript } from '../src/core/pipescript';

const POINTS = 1_000_000;
const RUNS = 5;

function generate(): Datapoint[] {
  const start = 1_600_000_000;
  return Array.from({ length: POINTS }, (_, i) => ({ t: start + i, d: Math.sin(i / 1000) * 50 + 50 }));
}

function pointsPerSecond(source: string, input: Datapoint[], expectedOutputs: number): number {
  const script = parsePipeScript(source);
  const check = script.run(input);
  if (check.length !== expectedOutputs) {
    throw new Error(`${source}: expected ${expectedOutputs} outputs, got ${check.length}`);
  }
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    script.run(input);
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(input.length / (best / 1000));
}

export async function benchPipeScript(): Promise<{
  mean_if_last_points_per_s: number;
  while_daily_points_per_s: number;
}> {
  const input = generate();
  // Calendar days of the stream in the process's zone, which `day` uses without an argument.
  const days = new Set(input.map((dp) => new Date(dp.t * 1000).toDateString())).size;
  return {
    mean_if_last_points_per_s: pointsPerSecond('mean | if last', input, 1),
    while_daily_points_per_s: pointsPerSecond('while(not day:changed, sum)', input, days),
  };
}
