import { describe, expect, it } from 'vitest';
import { chooseDownlinkControl, describeControl, sliderStep } from './chooseDownlinkControl';

const control = (schema: unknown) => chooseDownlinkControl(JSON.stringify(schema));

describe('chooseDownlinkControl', () => {
  it('gives a boolean a switch', () => {
    expect(control({ type: 'boolean' })).toEqual({ kind: 'switch' });
  });

  it('gives a number bounded at both ends a slider with a number box', () => {
    expect(control({ type: 'number', minimum: 10, maximum: 30 })).toEqual({
      kind: 'range',
      integer: false,
      minimum: 10,
      maximum: 30,
      step: 0.5,
    });
    expect(control({ type: 'integer', minimum: 0, maximum: 255 })).toMatchObject({ kind: 'range', step: 5 });
  });

  it('gives a number open at one end, or with an empty range, a number box only', () => {
    expect(control({ type: 'number', minimum: 0 })).toEqual({ kind: 'number', integer: false, minimum: 0 });
    expect(control({ type: 'integer' })).toEqual({ kind: 'number', integer: true });
    expect(control({ type: 'number', minimum: 5, maximum: 5 })).toEqual({
      kind: 'number',
      integer: false,
      minimum: 5,
      maximum: 5,
    });
  });

  it('gives an enum a select, whatever the type of its values', () => {
    expect(control({ enum: ['eco', 'comfort', 'off'] })).toEqual({
      kind: 'select',
      options: ['eco', 'comfort', 'off'],
    });
    expect(control({ type: 'integer', enum: [1, 2, 3] })).toEqual({ kind: 'select', options: [1, 2, 3] });
  });

  it('gives a string a text field, and anything else a JSON text field', () => {
    expect(control({ type: 'string', maxLength: 40 })).toEqual({ kind: 'text', maxLength: 40 });
    expect(control({ type: 'string' })).toEqual({ kind: 'text' });
    expect(control({ type: 'object', properties: { r: { type: 'number' } } })).toEqual({ kind: 'json' });
    expect(chooseDownlinkControl('{}')).toEqual({ kind: 'json' });
    expect(chooseDownlinkControl('not json')).toEqual({ kind: 'json' });
  });
});

describe('sliderStep', () => {
  it('takes about fifty 1-2-5 steps over the range', () => {
    expect(sliderStep(10, 30, false)).toBe(0.5);
    expect(sliderStep(0, 1, false)).toBe(0.02);
    expect(sliderStep(0, 100, false)).toBe(2);
    expect(sliderStep(-40, 60, false)).toBe(2);
  });

  it('steps whole numbers for an integer schema', () => {
    expect(sliderStep(0, 10, true)).toBe(1);
    expect(sliderStep(0, 1000, true)).toBe(20);
  });
});

describe('describeControl', () => {
  it('says what a control takes', () => {
    expect(describeControl(control({ type: 'boolean' }))).toBe('On or off');
    expect(describeControl(control({ type: 'number', minimum: 10, maximum: 28 }))).toBe(
      'A number from 10 to 28',
    );
    expect(describeControl(control({ type: 'integer', minimum: 0 }))).toBe('A whole number from 0');
    expect(describeControl(control({ enum: ['a', 'b'] }))).toBe('One of 2 choices');
    expect(describeControl(control({ type: 'string' }))).toBe('Text');
  });
});
