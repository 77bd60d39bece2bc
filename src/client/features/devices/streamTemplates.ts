/**
 * The kinds of stream a person can create without writing a schema — ConnectorDB's creators
 * (`rating.stars`, `log.diary`) plus Number and Toggle — and the form values they turn into.
 */
import type { Stream } from '../../../core/model';
import type { StreamCreate } from '../../../sdk';

export type TemplateId = 'stars' | 'number' | 'toggle' | 'diary' | 'custom';

export interface StreamTemplate {
  id: TemplateId;
  label: string;
  description: string;
  datatype: string;
  /** The schema as the server stores it (minified); the Number template adds its bounds. */
  schema: string;
  icon: string;
}

export const STREAM_TEMPLATES: readonly StreamTemplate[] = [
  {
    id: 'stars',
    label: 'Star rating',
    description: 'Rate things like your mood or focus out of 10 stars.',
    datatype: 'rating.stars',
    schema: '{"type":"integer","minimum":0,"maximum":10}',
    icon: 'material:star',
  },
  {
    id: 'number',
    label: 'Number',
    description: 'A measurement: weight, hours slept, cups of coffee.',
    datatype: 'number',
    schema: '{"type":"number"}',
    icon: '',
  },
  {
    id: 'toggle',
    label: 'Toggle',
    description: 'On or off: a habit done, a light switched.',
    datatype: 'boolean',
    schema: '{"type":"boolean"}',
    icon: 'material:toggle_on',
  },
  {
    id: 'diary',
    label: 'Diary',
    description: 'Free text entries, like a journal.',
    datatype: 'log.diary',
    schema: '{"type":"string","minLength":1}',
    icon: 'material:library_books',
  },
  {
    id: 'custom',
    label: 'Custom schema',
    description: 'Any JSON Schema, for structured values.',
    datatype: '',
    schema: '{}',
    icon: '',
  },
];

export function templateById(id: TemplateId): StreamTemplate {
  return STREAM_TEMPLATES.find((t) => t.id === id) ?? STREAM_TEMPLATES[STREAM_TEMPLATES.length - 1]!;
}

/** The form of the stream create and edit dialogs. Numbers are text until submitted. */
export interface StreamFormValues {
  template: TemplateId;
  name: string;
  nickname: string;
  description: string;
  /** Number template: optional bounds, which also give the input a slider. */
  minimum: string;
  maximum: string;
  datatype: string;
  schema: string;
  icon: string;
  /** Comma-separated. */
  tags: string;
  downlink: boolean;
  /** Seconds; '' = the default. */
  downlinkTimeout: string;
  ephemeral: boolean;
}

/** The template a stream looks like it was made from, so editing shows the right choice. */
export function templateOf(stream: Pick<Stream, 'datatype' | 'schema'>): TemplateId {
  for (const template of STREAM_TEMPLATES) {
    if (template.id === 'custom') continue;
    if (template.datatype !== stream.datatype) continue;
    if (template.id === 'number') {
      try {
        const schema = JSON.parse(stream.schema) as { type?: unknown };
        if (schema.type === 'number') return 'number';
      } catch {
        continue;
      }
    } else if (template.schema === stream.schema) {
      return template.id;
    }
  }
  return 'custom';
}

export function emptyStreamForm(template: TemplateId = 'stars'): StreamFormValues {
  return {
    template,
    name: '',
    nickname: '',
    description: '',
    minimum: '',
    maximum: '',
    datatype: '',
    schema: '{}',
    icon: '',
    tags: '',
    downlink: false,
    downlinkTimeout: '',
    ephemeral: false,
  };
}

/** The form values of an existing stream. */
export function streamToForm(stream: Stream): StreamFormValues {
  let minimum = '';
  let maximum = '';
  try {
    const schema = JSON.parse(stream.schema) as { minimum?: unknown; maximum?: unknown };
    if (typeof schema.minimum === 'number') minimum = String(schema.minimum);
    if (typeof schema.maximum === 'number') maximum = String(schema.maximum);
  } catch {
    // A broken schema is shown as is in the schema box.
  }
  return {
    template: templateOf(stream),
    name: stream.name,
    nickname: stream.nickname,
    description: stream.description,
    minimum,
    maximum,
    datatype: stream.datatype,
    schema: stream.schema,
    icon: stream.icon,
    tags: stream.tags.join(', '),
    downlink: stream.downlink,
    downlinkTimeout: stream.downlink_timeout ? String(stream.downlink_timeout) : '',
    ephemeral: stream.ephemeral,
  };
}

/** "a, b ,, c" → ["a", "b", "c"] (duplicates dropped, order kept). */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** The schema a template produces from the form (the Number template with its bounds). */
export function schemaFromForm(values: StreamFormValues): string {
  const template = templateById(values.template);
  if (template.id === 'custom') return values.schema.trim() === '' ? '{}' : values.schema;
  if (template.id !== 'number') return template.schema;
  const schema: Record<string, unknown> = { type: 'number' };
  if (values.minimum.trim() !== '') schema.minimum = Number(values.minimum);
  if (values.maximum.trim() !== '') schema.maximum = Number(values.maximum);
  return JSON.stringify(schema);
}

/** What is sent to create or update the stream. Templates set datatype, schema and a default icon. */
export function streamPropsFromForm(values: StreamFormValues): StreamCreate {
  const template = templateById(values.template);
  const isCustom = template.id === 'custom';
  const timeout = Number(values.downlinkTimeout);
  return {
    nickname: values.nickname.trim(),
    description: values.description.trim(),
    datatype: isCustom ? values.datatype.trim() : template.datatype,
    schema: schemaFromForm(values),
    icon: values.icon.trim() || template.icon,
    tags: parseTags(values.tags),
    downlink: values.downlink,
    downlink_timeout: values.downlinkTimeout.trim() !== '' && Number.isFinite(timeout) ? timeout : 0,
    ephemeral: values.ephemeral,
  };
}
