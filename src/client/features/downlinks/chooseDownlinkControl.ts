/**
 * Which control a downlink stream gets, from its schema alone (DESIGN.md §5): a switch for a
 * boolean, a slider with a number box for a number bounded at both ends, a number box for any
 * other number, a select for an enum, and a text field otherwise (a string as typed, or JSON).
 */
import { describeSchema } from '../../../core/schema/describeSchema';

export type DownlinkControlChoice =
  | { kind: 'switch' }
  | { kind: 'range'; integer: boolean; minimum: number; maximum: number; step: number }
  | { kind: 'number'; integer: boolean; minimum?: number; maximum?: number }
  | { kind: 'select'; options: unknown[] }
  | { kind: 'text'; maxLength?: number }
  | { kind: 'json' };

export function chooseDownlinkControl(schema: string): DownlinkControlChoice {
  const shape = describeSchema(schema);
  switch (shape.kind) {
    case 'boolean':
      return { kind: 'switch' };
    case 'number': {
      const { integer, minimum, maximum } = shape;
      if (minimum !== undefined && maximum !== undefined && maximum > minimum) {
        return { kind: 'range', integer, minimum, maximum, step: sliderStep(minimum, maximum, integer) };
      }
      const choice: DownlinkControlChoice = { kind: 'number', integer };
      if (minimum !== undefined) choice.minimum = minimum;
      if (maximum !== undefined) choice.maximum = maximum;
      return choice;
    }
    case 'enum':
      return { kind: 'select', options: shape.values };
    case 'string':
      return shape.maxLength === undefined ? { kind: 'text' } : { kind: 'text', maxLength: shape.maxLength };
    case 'object':
    case 'any':
      return { kind: 'json' };
  }
}

/**
 * A slider step a thumb can hit: about 50 positions over the range, rounded to the nearest 1, 2 or
 * 5 times a power of ten (10–30 °C → 0.5), and whole numbers for an integer schema.
 */
export function sliderStep(minimum: number, maximum: number, integer: boolean): number {
  const raw = (maximum - minimum) / 50;
  const power = 10 ** Math.floor(Math.log10(raw));
  const distance = (candidate: number) => Math.abs(Math.log(candidate / raw));
  const nice = [1, 2, 5, 10]
    .map((m) => m * power)
    .reduce((best, candidate) => (distance(candidate) < distance(best) ? candidate : best));
  const step = Number(nice.toPrecision(12));
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** What a control takes, in words: the line under a stream's name when it has no description. */
export function describeControl(choice: DownlinkControlChoice): string {
  switch (choice.kind) {
    case 'switch':
      return 'On or off';
    case 'range':
      return `A ${choice.integer ? 'whole ' : ''}number from ${choice.minimum} to ${choice.maximum}`;
    case 'number':
      if (choice.minimum !== undefined)
        return `A ${choice.integer ? 'whole ' : ''}number from ${choice.minimum}`;
      if (choice.maximum !== undefined)
        return `A ${choice.integer ? 'whole ' : ''}number up to ${choice.maximum}`;
      return choice.integer ? 'A whole number' : 'A number';
    case 'select':
      return `One of ${choice.options.length} choices`;
    case 'text':
      return 'Text';
    case 'json':
      return 'A JSON value';
  }
}
