import { formatValue } from '../../ui/formatTime';
import { starLabel, type WidgetChoice } from './chooseWidget';

const MAX_LENGTH = 60;

/** A value as a confirmation or "last value" line says it: "7 stars", "On", "Slept well…". */
export function describeEntryValue(choice: WidgetChoice, value: unknown): string {
  if (choice.kind === 'stars' && typeof value === 'number') return starLabel(value);
  const text = formatValue(value);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
