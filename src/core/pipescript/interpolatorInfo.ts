/** Metadata of the dataset interpolators, as served by `GET /api/v1/meta/interpolators`. */
export interface InterpolatorInfo {
  name: string;
  description: string;
  documentation: string;
}

/** Where the window of the first row starts, for the interpolators that aggregate a window. */
const FIRST_WINDOW =
  ' The first row of a T-dataset looks back one dt; the first row of an X-dataset takes only the datapoints at its timestamp.';

const INTERPOLATORS: readonly InterpolatorInfo[] = [
  {
    name: 'closest',
    description: 'Uses the datapoint closest to the interpolation timestamp (both before and after)',
    documentation:
      'Takes the datapoint nearest in time to each row, before or after it; on a tie the earlier one. ' +
      'Good for slowly changing values such as a temperature.',
  },
  {
    name: 'before',
    description: 'Uses the closest datapoint before the interpolation timestamp',
    documentation:
      'Takes the last datapoint at or before each row (null when there is none yet): the state at that time.',
  },
  {
    name: 'after',
    description: 'Uses the closest datapoint after the interpolation timestamp',
    documentation: 'Takes the first datapoint after each row (null when there is none).',
  },
  {
    name: 'sum',
    description: 'Returns the sum of datapoints in its interpolation time.',
    documentation:
      'Sums the data of the datapoints since the previous row, up to and including this row (0 when none).' +
      FIRST_WINDOW,
  },
  {
    name: 'count',
    description: 'Returns the number of datapoints in its interpolation time.',
    documentation:
      'Counts the datapoints since the previous row, up to and including this row.' + FIRST_WINDOW,
  },
  {
    name: 'mean',
    description: 'Returns the mean of the datapoints in its interpolation time',
    documentation:
      'Averages the data of the datapoints since the previous row, up to and including this row (0 when none).' +
      FIRST_WINDOW,
  },
];

export function listInterpolators(): Record<string, InterpolatorInfo> {
  return Object.fromEntries(INTERPOLATORS.map((info) => [info.name, { ...info }]));
}
