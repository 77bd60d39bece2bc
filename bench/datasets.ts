/**
 * Fixed, generated datasets: the same numbers on every run. The year stream is 1 Hz temperature
 * readings with two decimals: daily and slow seasonal cycles, sensor noise, and rare spikes (which
 * a plot must not smooth away).
 */
export const YEAR_POINTS = 31_536_000;
export const YEAR_START = 1_672_531_200; // 2023-01-01T00:00:00Z

export function yearValue(i: number): number {
  const daily = 4 * Math.sin((2 * Math.PI * (i % 86_400)) / 86_400);
  const seasonal = 8 * Math.sin((2 * Math.PI * i) / YEAR_POINTS);
  const noise = (((i * 2654435761) >>> 0) % 100) / 100 - 0.5;
  const spike = i % 100_003 === 0 ? 25 : 0;
  return Math.round((15 + daily + seasonal + noise + spike) * 100) / 100;
}

/** The JSON body of a batch insert of the year stream's points [from, to). */
export function yearBatch(from: number, to: number): string {
  const parts = new Array<string>(to - from);
  for (let i = from; i < to; i++) parts[i - from] = `{"t":${YEAR_START + i},"d":${yearValue(i)}}`;
  return `[${parts.join(',')}]`;
}

/** A seeded PRNG (mulberry32) for random windows that repeat from run to run. */
export function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
