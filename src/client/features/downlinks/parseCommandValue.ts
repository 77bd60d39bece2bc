/**
 * What a person typed or chose in a downlink control, as the command's value. Checked before
 * anything is sent, so a refused value never becomes a command.
 */
import { formatValue } from '../../ui/formatTime';
import { parseJsonText, parseNumberText, type Parsed } from '../entry/parseEntry';
import type { DownlinkControlChoice } from './chooseDownlinkControl';

/**
 * The value of a control's text: a number within its bounds, the enum option at the chosen index
 * (select values are indexes, since enum values need not be strings), the text itself, or JSON.
 */
export function parseCommandValue(choice: DownlinkControlChoice, text: string): Parsed<unknown> {
  switch (choice.kind) {
    case 'switch':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, error: 'Choose on or off.' };
    case 'range':
    case 'number': {
      const parsed = parseNumberText(text, choice.integer);
      if (!parsed.ok) return parsed;
      const { minimum, maximum } = choice;
      if (
        (minimum !== undefined && parsed.value < minimum) ||
        (maximum !== undefined && parsed.value > maximum)
      ) {
        return { ok: false, error: boundsText(minimum, maximum) };
      }
      return parsed;
    }
    case 'select': {
      const index = text.trim() === '' ? NaN : Number(text);
      if (!Number.isInteger(index) || index < 0 || index >= choice.options.length) {
        return { ok: false, error: 'Choose one.' };
      }
      return { ok: true, value: choice.options[index] };
    }
    case 'text':
      if (choice.maxLength !== undefined && text.length > choice.maxLength) {
        return { ok: false, error: `At most ${choice.maxLength} characters.` };
      }
      return { ok: true, value: text };
    case 'json':
      return parseJsonText(text);
  }
}

/** "Between 10 and 30.", "At least 0.", "At most 100." */
function boundsText(minimum: number | undefined, maximum: number | undefined): string {
  if (minimum !== undefined && maximum !== undefined) {
    return `Between ${formatValue(minimum)} and ${formatValue(maximum)}.`;
  }
  return minimum !== undefined ? `At least ${formatValue(minimum)}.` : `At most ${formatValue(maximum)}.`;
}

/** The text a control starts from for a value (the requested or reported one): the inverse of parsing. */
export function commandValueText(choice: DownlinkControlChoice, value: unknown): string {
  if (value === undefined) return '';
  switch (choice.kind) {
    case 'switch':
      return typeof value === 'boolean' ? String(value) : '';
    case 'range':
    case 'number':
      return typeof value === 'number' ? String(value) : '';
    case 'select': {
      const index = choice.options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
      return index < 0 ? '' : String(index);
    }
    case 'text':
      return typeof value === 'string' ? value : '';
    case 'json':
      return JSON.stringify(value);
  }
}
