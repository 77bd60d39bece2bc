/**
 * Fixed, generated datasets: the same numbers on every run. The year stream is 1 Hz temperature
 * readings with two decimals: daily and slow seasonal cycles, sensor noise, and rare spikes (which
 * a plot must not smooth away).
 */
export const YEAR_POINTS = 31_536_000;
export const YEAR_START = 1_672_531_200; // 2023-01-01T00:00:00Z

const DAILY = Float64Array.from({ length: 86_400 }, (_, s) => 4 * Math.sin((2 * Math.PI * s) / 86_400));

/** The value at second `i` of the year, in hundredths. */
function yearCents(i: number): number {
  const seasonal = 8 * Math.sin((2 * Math.PI * i) / YEAR_POINTS);
  const noise = (((i * 2654435761) >>> 0) % 100) / 100 - 0.5;
  const spike = i % 100_003 === 0 ? 25 : 0;
  return Math.round((15 + DAILY[i % 86_400]! + seasonal + noise + spike) * 100);
}

export function yearValue(i: number): number {
  return yearCents(i) / 100;
}

const T_KEY = Buffer.from('{"t":');
const D_KEY = Buffer.from(',"d":');

/**
 * The JSON body of a batch insert of the year stream's points [from, to): the bytes
 * `JSON.stringify` would give for `{t, d: yearValue(i)}` each, written digit by digit. Turning
 * 200,000 numbers into strings took 100 ms a batch here, as long as the server takes to store the
 * batch, so the generator, not the server, set the measured ingest rate; digit by digit it takes
 * about 28 ms, on the core the server does not use.
 */
export function yearBatch(from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe((to - from) * 32 + 2);
  let o = 0;
  const copy = (bytes: Buffer) => {
    for (let k = 0; k < bytes.length; k++) out[o++] = bytes[k]!;
  };
  /** A non-negative integer's digits, written from the last one back. */
  const digits = (n: number) => {
    let end = o + 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) end++;
    o = end;
    do {
      out[--end] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  };
  out[o++] = 0x5b; // [
  for (let i = from; i < to; i++) {
    if (i > from) out[o++] = 0x2c; // ,
    copy(T_KEY);
    digits(YEAR_START + i);
    copy(D_KEY);
    const cents = yearCents(i);
    if (cents < 0) out[o++] = 0x2d; // -
    digits(Math.floor(Math.abs(cents) / 100));
    const fraction = Math.abs(cents) % 100;
    if (fraction !== 0) {
      out[o++] = 0x2e; // .
      out[o++] = 48 + Math.floor(fraction / 10);
      if (fraction % 10 !== 0) out[o++] = 48 + (fraction % 10);
    }
    out[o++] = 0x7d; // }
  }
  out[o++] = 0x5d; // ]
  return out.subarray(0, o);
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
