/**
 * Calendar transforms of the datapoint's timestamp in a time zone (the server's by default). Days,
 * weeks and months follow the local calendar, so a day starts at local midnight also under daylight
 * saving time; `hour` counts real hours since local midnight of 1970-01-01.
 */
import { civilFromDays, daysFromCivil, getZone } from '../calendar';
import type { Zone } from '../calendar';
import type { Series } from '../program';
import type { TransformDef } from '../registry';
import { ZONE_ARG, constString } from './helpers';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Local seconds since 1970-01-01 00:00 of the zone's calendar. */
function localSeconds(zone: Zone, t: number): number {
  return t + zone.offsetAt(t);
}

function localDays(zone: Zone, t: number): number {
  return Math.floor(localSeconds(zone, t) / 86400);
}

function calendar(
  name: string,
  description: string,
  documentation: string,
  value: (zone: Zone, t: number) => unknown,
): TransformDef {
  return {
    name,
    description,
    documentation: `${documentation} The optional argument is a time zone: \`${name}("America/New_York")\`.`,
    args: [ZONE_ARG],
    oneToOne: true,
    stateless: true,
    peek: false,
    build({ consts }) {
      const zoneName = constString(consts[0], 'The time zone');
      const zone = getZone(zoneName);
      if (!zone) throw new Error(`unknown time zone ${zoneName}`);
      return (input: Series) => {
        const n = input.t.length;
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = value(zone, input.t[i]!);
        return { t: input.t, d: out };
      };
    },
  };
}

export const calendarTransforms: TransformDef[] = [
  calendar(
    'hour',
    'Returns the number of hours since Jan 1 1970 in the given time zone.',
    'A number that changes every hour, for grouping: `while(not hour:changed, mean)` averages per hour.',
    (zone, t) => Math.floor((t - zone.midnight1970) / 3600),
  ),
  calendar(
    'day',
    'Returns the number of days since Jan 1 1970 in the given time zone.',
    'A number that changes at local midnight: `while(not day:changed, sum)` sums per day.',
    (zone, t) => localDays(zone, t),
  ),
  calendar(
    'week',
    'Returns the number of weeks since Jan 5 1970 (First Monday after unix time) in the given time zone.',
    'A number that changes on Monday at local midnight.',
    (zone, t) => Math.floor((localDays(zone, t) - 4) / 7),
  ),
  calendar(
    'month',
    'Returns the number of months since Jan 1970 in the given time zone.',
    'A number that changes on the first of each month (January 1970 is 1).',
    (zone, t) => {
      const [year, month] = civilFromDays(localDays(zone, t));
      return 12 * (year - 1970) + month;
    },
  ),
  calendar(
    'year',
    'Returns the year of the datapoint in the given time zone.',
    'For example 2016.',
    (zone, t) => {
      return civilFromDays(localDays(zone, t))[0];
    },
  ),
  calendar(
    'dayhour',
    'Returns the hour of the day (0-23) of the datapoint in the given time zone.',
    '`map(dayhour, count)` shows at which hours of the day data arrives.',
    (zone, t) => {
      const seconds = localSeconds(zone, t);
      return Math.floor((seconds - Math.floor(seconds / 86400) * 86400) / 3600);
    },
  ),
  calendar(
    'weekday',
    "Returns the weekday during which the datapoint happened ('Monday','Tuesday'...)",
    '`map(weekday, count)` counts datapoints per weekday.',
    (zone, t) => WEEKDAYS[(((localDays(zone, t) + 4) % 7) + 7) % 7],
  ),
  calendar(
    'monthday',
    'Returns the day of the month (1-31) of the datapoint in the given time zone.',
    'For example 22 for November 22.',
    (zone, t) => civilFromDays(localDays(zone, t))[2],
  ),
  calendar(
    'yearday',
    'Returns the day of the year (1-366) of the datapoint in the given time zone.',
    'January 1 is 1.',
    (zone, t) => {
      const days = localDays(zone, t);
      return days - daysFromCivil(civilFromDays(days)[0], 1, 1) + 1;
    },
  ),
  calendar(
    'yearmonth',
    "Returns the month of the year ('January','February'...) of the datapoint in the given time zone.",
    '`map(yearmonth, sum)` sums per month of the year.',
    (zone, t) => MONTHS[civilFromDays(localDays(zone, t))[1] - 1],
  ),
];
