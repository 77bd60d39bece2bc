/**
 * Labels of the plot's time axis in the browser's locale and time zone (uPlot's own labels are
 * US-English). The step between ticks decides the detail: times, days, months or years; sub-day
 * ticks also name the day where it changes, on a second line.
 */
const DAY = 86_400;

const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const month = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });
const year = new Intl.DateTimeFormat(undefined, { year: 'numeric' });

/** Labels for ticks at `splits` (unix seconds) spaced `stepSeconds` apart. */
export function timeAxisLabels(splits: readonly number[], stepSeconds: number): string[] {
  if (stepSeconds >= 365 * DAY) return splits.map((s) => year.format(s * 1000));
  if (stepSeconds >= 28 * DAY) return splits.map((s) => month.format(s * 1000));
  if (stepSeconds >= DAY) return splits.map((s) => day.format(s * 1000));
  let previousDay = '';
  return splits.map((s) => {
    const date = new Date(s * 1000);
    const dayLabel = day.format(date);
    const label = dayLabel !== previousDay ? `${time.format(date)}\n${dayLabel}` : time.format(date);
    previousDay = dayLabel;
    return label;
  });
}
