import { describe, expect, it } from 'vitest';
import type { DownlinkControlChoice } from './chooseDownlinkControl';
import { commandValueText, parseCommandValue } from './parseCommandValue';

const thermostat: DownlinkControlChoice = {
  kind: 'range',
  integer: false,
  minimum: 10,
  maximum: 30,
  step: 0.5,
};
const mode: DownlinkControlChoice = { kind: 'select', options: ['eco', 2, { boost: true }] };

describe('parseCommandValue', () => {
  it('reads a number within the bounds and refuses one outside them', () => {
    expect(parseCommandValue(thermostat, ' 25 ')).toEqual({ ok: true, value: 25 });
    expect(parseCommandValue(thermostat, '21.5')).toEqual({ ok: true, value: 21.5 });
    expect(parseCommandValue(thermostat, '31')).toEqual({ ok: false, error: 'Between 10 and 30.' });
    expect(parseCommandValue(thermostat, '')).toEqual({ ok: false, error: 'Enter a number.' });
    expect(parseCommandValue({ kind: 'number', integer: true, minimum: 0 }, '-1')).toEqual({
      ok: false,
      error: 'At least 0.',
    });
    expect(parseCommandValue({ kind: 'number', integer: true }, '2.5')).toEqual({
      ok: false,
      error: 'Enter a whole number.',
    });
  });

  it('reads a select by option index, so enum values need not be strings', () => {
    expect(parseCommandValue(mode, '1')).toEqual({ ok: true, value: 2 });
    expect(parseCommandValue(mode, '2')).toEqual({ ok: true, value: { boost: true } });
    expect(parseCommandValue(mode, '')).toEqual({ ok: false, error: 'Choose one.' });
    expect(parseCommandValue(mode, '7')).toEqual({ ok: false, error: 'Choose one.' });
  });

  it('keeps text as typed and reads anything else as JSON', () => {
    expect(parseCommandValue({ kind: 'text' }, ' hello ')).toEqual({ ok: true, value: ' hello ' });
    expect(parseCommandValue({ kind: 'text', maxLength: 3 }, 'long')).toEqual({
      ok: false,
      error: 'At most 3 characters.',
    });
    expect(parseCommandValue({ kind: 'json' }, '{"r": 255}')).toEqual({ ok: true, value: { r: 255 } });
    expect(parseCommandValue({ kind: 'json' }, '{r}')).toMatchObject({ ok: false });
  });

  it('round-trips the text a control starts from', () => {
    expect(commandValueText(thermostat, 22.5)).toBe('22.5');
    expect(commandValueText(mode, { boost: true })).toBe('2');
    expect(commandValueText(mode, 'unknown')).toBe('');
    expect(commandValueText({ kind: 'json' }, [1, 2])).toBe('[1,2]');
    expect(commandValueText(thermostat, undefined)).toBe('');
    for (const [choice, value] of [
      [thermostat, 22.5],
      [mode, 2],
      [{ kind: 'switch' }, true],
      [{ kind: 'json' }, { a: [1] }],
    ] as const) {
      expect(parseCommandValue(choice, commandValueText(choice, value))).toEqual({ ok: true, value });
    }
  });
});
