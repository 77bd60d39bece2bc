import { describe, expect, it } from 'vitest';
import { STREAM_DEFAULTS, type Stream } from '../../../core/model';
import {
  emptyStreamForm,
  parseTags,
  streamPropsFromForm,
  streamToForm,
  STREAM_TEMPLATES,
  templateOf,
} from './streamTemplates';

const form = (overrides: Partial<ReturnType<typeof emptyStreamForm>>) => ({
  ...emptyStreamForm(),
  ...overrides,
});

describe('stream templates', () => {
  it('are the original creators plus Number, Toggle and a custom schema', () => {
    expect(STREAM_TEMPLATES.map((t) => [t.label, t.datatype, t.schema, t.icon])).toEqual([
      ['Star rating', 'rating.stars', '{"type":"integer","minimum":0,"maximum":10}', 'material:star'],
      ['Number', 'number', '{"type":"number"}', ''],
      ['Toggle', 'boolean', '{"type":"boolean"}', 'material:toggle_on'],
      ['Diary', 'log.diary', '{"type":"string","minLength":1}', 'material:library_books'],
      ['Custom schema', '', '{}', ''],
    ]);
  });

  it('turn the form into the stream to create', () => {
    expect(streamPropsFromForm(form({ template: 'stars', name: 'mood', nickname: ' Mood ' }))).toEqual({
      nickname: 'Mood',
      description: '',
      datatype: 'rating.stars',
      schema: '{"type":"integer","minimum":0,"maximum":10}',
      icon: 'material:star',
      tags: [],
      downlink: false,
      downlink_timeout: 0,
      ephemeral: false,
    });
  });

  it('give numbers the bounds that were entered', () => {
    expect(streamPropsFromForm(form({ template: 'number', minimum: '40', maximum: '120' })).schema).toBe(
      '{"type":"number","minimum":40,"maximum":120}',
    );
  });

  it('keep a custom schema, datatype, tags and downlink settings', () => {
    const props = streamPropsFromForm(
      form({
        template: 'custom',
        schema: '{"type":"object"}',
        datatype: 'location.gps',
        tags: 'home, , health,home',
        downlink: true,
        downlinkTimeout: '30',
        icon: 'material:place',
      }),
    );
    expect(props).toMatchObject({
      schema: '{"type":"object"}',
      datatype: 'location.gps',
      tags: ['home', 'health'],
      downlink: true,
      downlink_timeout: 30,
      icon: 'material:place',
    });
  });

  it('recognise the template of an existing stream, so editing shows it', () => {
    const stream = (datatype: string, schema: string): Stream => ({
      ...STREAM_DEFAULTS,
      name: 's',
      datatype,
      schema,
    });
    expect(templateOf(stream('rating.stars', '{"type":"integer","minimum":0,"maximum":10}'))).toBe('stars');
    expect(templateOf(stream('number', '{"type":"number","minimum":1}'))).toBe('number');
    expect(templateOf(stream('boolean', '{"type":"boolean"}'))).toBe('toggle');
    expect(templateOf(stream('rating.stars', '{"type":"string"}'))).toBe('custom');
    const values = streamToForm({ ...stream('number', '{"type":"number","minimum":1}'), tags: ['a', 'b'] });
    expect(values).toMatchObject({ template: 'number', minimum: '1', maximum: '', tags: 'a, b' });
  });

  it('split tags on commas', () => {
    expect(parseTags(' a ,b,,a ')).toEqual(['a', 'b']);
  });
});
