import { describe, expect, it } from 'vitest';
import { describeSchema } from '../../../core/schema';
import { buildFormFields, defaultFormValues, formValuesToValue, humanize, VALUE_FIELD } from './schemaFields';

const sleep = describeSchema({
  type: 'object',
  properties: {
    hours: { type: 'number', minimum: 0 },
    quality: { enum: ['bad', 'ok', 'good'] },
    dreamt: { type: 'boolean' },
    note: { type: 'string' },
    place: { type: 'object', properties: { lat: { type: 'number' } }, required: ['lat'] },
    extra: {},
  },
  required: ['hours'],
});

describe('buildFormFields', () => {
  it('makes a field per property, labelled for people, nested objects as groups', () => {
    const fields = buildFormFields(sleep);
    expect(fields.map((f) => [f.name, f.kind, f.label, f.isRequired])).toEqual([
      ['hours', 'number', 'Hours', true],
      ['quality', 'enum', 'Quality', false],
      ['dreamt', 'boolean', 'Dreamt', false],
      ['note', 'string', 'Note', false],
      ['place', 'object', 'Place', false],
      ['extra', 'json', 'Extra', false],
    ]);
    const place = fields[4]!;
    expect(place.kind === 'object' && place.fields.map((f) => f.name)).toEqual(['place.lat']);
  });

  it('makes one field for a schema that is not an object', () => {
    expect(buildFormFields(describeSchema({ enum: [1, 2] }), 'Level')).toEqual([
      { name: VALUE_FIELD, label: 'Level', isRequired: true, kind: 'enum', values: [1, 2] },
    ]);
  });
});

describe('defaultFormValues', () => {
  it('starts text-like fields empty and checkboxes off, nested like the fields', () => {
    expect(defaultFormValues(buildFormFields(sleep))).toEqual({
      hours: '',
      quality: '',
      dreamt: false,
      note: '',
      place: { lat: '' },
      extra: '',
    });
  });
});

describe('formValuesToValue', () => {
  const fields = buildFormFields(sleep);

  it('converts the inputs to the datapoint, leaving out empty optional fields', () => {
    const values = { hours: '7.5', quality: '2', dreamt: true, note: '', place: { lat: '' }, extra: '[1]' };
    expect(formValuesToValue(fields, values, true)).toEqual({
      ok: true,
      value: { hours: 7.5, quality: 'good', dreamt: true, extra: [1] },
    });
  });

  it('reports missing required fields and unparseable input by field name', () => {
    const values = { hours: '', quality: '', dreamt: false, note: '', place: { lat: 'north' }, extra: '{' };
    const result = formValuesToValue(fields, values, true);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual({
      hours: 'Required.',
      'place.lat': 'Enter a number.',
      extra: expect.stringMatching(/^This is not valid JSON/),
    });
  });

  it('unwraps the single field of a non-object schema', () => {
    const single = buildFormFields(describeSchema({ enum: [{ mode: 'eco' }, 'off'] }));
    expect(formValuesToValue(single, { value: '0' }, false)).toEqual({ ok: true, value: { mode: 'eco' } });
  });
});

describe('humanize', () => {
  it('turns keys into labels', () => {
    expect(humanize('heart_rate')).toBe('Heart rate');
    expect(humanize('stepCount')).toBe('Step count');
    expect(humanize('lux')).toBe('Lux');
  });
});
