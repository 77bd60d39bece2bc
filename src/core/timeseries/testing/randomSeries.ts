import { gaussian, pick, randomInt } from './seededRandom';

export type SeriesShape = 'regular' | 'irregular' | 'gaps' | 'spikes' | 'duplicates' | 'fractional' | 'steps';
export const SERIES_SHAPES: readonly SeriesShape[] = [
  'regular',
  'irregular',
  'gaps',
  'spikes',
  'duplicates',
  'fractional',
  'steps',
];

/**
 * A sorted numeric series of `n` points starting near `tStart` (unix seconds), shaped like data
 * people plot: 1 Hz sensors, irregular app events, long outages, spikes, repeated timestamps,
 * sub-second stamps and step-like ratings.
 */
export function randomSeries(
  random: () => number,
  n: number,
  shape: SeriesShape,
  tStart = 1_700_000_000,
): { t: Float64Array; v: Float64Array } {
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let time = tStart;
  let level = 20;
  for (let i = 0; i < n; i++) {
    switch (shape) {
      case 'regular':
      case 'spikes':
      case 'steps':
        time += 1;
        break;
      case 'irregular':
        time += Math.round(-Math.log(1 - random()) * 30);
        break;
      case 'gaps':
        time += random() < 0.002 ? randomInt(random, 3600, 86_400 * 3) : randomInt(random, 1, 5);
        break;
      case 'duplicates':
        time += random() < 0.3 ? 0 : randomInt(random, 1, 3);
        break;
      case 'fractional':
        time += random() * 2;
        break;
    }
    t[i] = time;
    if (shape === 'steps') {
      if (random() < 0.01) level = randomInt(random, 0, 10);
      v[i] = level;
    } else {
      level += gaussian(random) * 0.5;
      const spike = shape === 'spikes' && random() < 0.003 ? pick(random, [-1, 1]) * 1000 * random() : 0;
      v[i] = Math.round((level + spike) * 100) / 100;
    }
  }
  return { t, v };
}
