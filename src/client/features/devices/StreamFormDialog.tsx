import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { isValidName, MAX_NAME_LENGTH, type Stream } from '../../../core/model';
import { compileStreamSchema, SchemaError } from '../../../core/schema';
import { useAppStore } from '../../store';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import {
  emptyStreamForm,
  STREAM_TEMPLATES,
  streamPropsFromForm,
  streamToForm,
  type StreamFormValues,
} from './streamTemplates';
import './devices.css';

/** The server's limit on `downlink_timeout`. */
const MAX_DOWNLINK_TIMEOUT_SECONDS = 86_400;

export interface StreamFormDialogProps {
  open: boolean;
  onClose: () => void;
  /** `user/device` the new stream goes into (create mode). */
  owner: string;
  /** The stream being edited (edit mode). */
  stream?: Stream;
  /** Called with the created or updated stream's path. */
  onDone?: (path: string, stream: Stream) => void;
}

/** Create a stream from a template, or edit one. Names are checked here before the server sees them. */
export function StreamFormDialog({ open, onClose, owner, stream, onDone }: StreamFormDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={stream ? `Edit ${stream.nickname || stream.name}` : 'Add stream'}
      description={stream ? undefined : 'A stream holds one kind of value over time.'}
    >
      <StreamForm owner={owner} stream={stream} onClose={onClose} onDone={onDone} />
    </Dialog>
  );
}

function StreamForm({ owner, stream, onClose, onDone }: Omit<StreamFormDialogProps, 'open'>) {
  const createStream = useAppStore((s) => s.createStream);
  const updateStream = useAppStore((s) => s.updateStream);
  const notify = useAppStore((s) => s.notify);
  const [error, setError] = useState<string>();
  const isEdit = stream !== undefined;
  const {
    register,
    handleSubmit,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<StreamFormValues>({ defaultValues: stream ? streamToForm(stream) : emptyStreamForm() });
  const template = watch('template');

  const submit = handleSubmit(async (values) => {
    setError(undefined);
    const props = streamPropsFromForm(values);
    const path = isEdit ? `${owner}/${stream.name}` : `${owner}/${values.name.trim()}`;
    const result = isEdit ? await updateStream(path, props) : await createStream(path, props);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    notify(isEdit ? 'Stream saved' : `Created ${result.value.nickname || result.value.name}`);
    onDone?.(path, result.value);
    onClose();
  });

  const describedBy = (name: keyof StreamFormValues, hint?: boolean) =>
    errors[name] ? `stream-${name}-error` : hint ? `stream-${name}-hint` : undefined;

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <fieldset>
        <legend>Type</legend>
        <div className="template-grid">
          {STREAM_TEMPLATES.map((t) => (
            <label key={t.id} className="template-option">
              <input type="radio" value={t.id} {...register('template')} />
              <span className="template-text">
                <strong>{t.label}</strong>
                <span>{t.description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {!isEdit && (
        <div className="field">
          <label htmlFor="stream-name">Name</label>
          <input
            id="stream-name"
            className="input"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy('name', true)}
            {...register('name', {
              required: 'Give the stream a name.',
              validate: (v) =>
                isValidName(v.trim()) ||
                `Start with a letter; then letters, digits, - or _ (at most ${MAX_NAME_LENGTH}).`,
            })}
          />
          <span id="stream-name-hint" className="field-hint">
            Part of its address ({owner}/name); it cannot change later.
          </span>
          <FormError id="stream-name-error" message={errors.name?.message} />
        </div>
      )}

      <div className="form-grid">
        <div className="field">
          <label htmlFor="stream-nickname">Display name</label>
          <input id="stream-nickname" className="input" placeholder="Mood" {...register('nickname')} />
        </div>
        <div className="field">
          <label htmlFor="stream-description">Description</label>
          <input id="stream-description" className="input" {...register('description')} />
        </div>
      </div>

      {template === 'number' && (
        <div className="form-grid">
          <div className="field">
            <label htmlFor="stream-minimum">Minimum (optional)</label>
            <input
              id="stream-minimum"
              className="input"
              type="number"
              step="any"
              aria-invalid={errors.minimum ? true : undefined}
              aria-describedby={describedBy('minimum')}
              {...register('minimum', {
                validate: (v) => v.trim() === '' || Number.isFinite(Number(v)) || 'Enter a number.',
              })}
            />
            <FormError id="stream-minimum-error" message={errors.minimum?.message} />
          </div>
          <div className="field">
            <label htmlFor="stream-maximum">Maximum (optional)</label>
            <input
              id="stream-maximum"
              className="input"
              type="number"
              step="any"
              aria-invalid={errors.maximum ? true : undefined}
              aria-describedby={describedBy('maximum')}
              {...register('maximum', {
                validate: (v, all) =>
                  v.trim() === '' ||
                  (Number.isFinite(Number(v)) &&
                    (all.minimum.trim() === '' || Number(v) > Number(all.minimum))) ||
                  'Enter a number above the minimum.',
              })}
            />
            <FormError id="stream-maximum-error" message={errors.maximum?.message} />
          </div>
        </div>
      )}

      {template === 'custom' && (
        <>
          <div className="field">
            <label htmlFor="stream-schema">JSON Schema</label>
            <textarea
              id="stream-schema"
              className="textarea mono"
              rows={5}
              spellCheck={false}
              aria-invalid={errors.schema ? true : undefined}
              aria-describedby={describedBy('schema', true)}
              {...register('schema', {
                validate: (v) => {
                  try {
                    compileStreamSchema(v);
                    return true;
                  } catch (e) {
                    return e instanceof SchemaError ? e.message : String(e);
                  }
                },
              })}
            />
            <span id="stream-schema-hint" className="field-hint">
              Every value is checked against it. {'{}'} accepts anything.
            </span>
            <FormError id="stream-schema-error" message={errors.schema?.message} />
          </div>
          <div className="field">
            <label htmlFor="stream-datatype">Datatype</label>
            <input
              id="stream-datatype"
              className="input"
              placeholder="e.g. location.gps"
              aria-describedby="stream-datatype-hint"
              {...register('datatype')}
            />
            <span id="stream-datatype-hint" className="field-hint">
              A hint for apps about what the values mean.
            </span>
          </div>
        </>
      )}

      <details className="advanced">
        <summary>More options</summary>
        <div className="stack advanced-body">
          <div className="form-grid">
            <div className="field">
              <label htmlFor="stream-icon">Icon</label>
              <input
                id="stream-icon"
                className="input"
                placeholder="material:star"
                aria-describedby="stream-icon-hint"
                {...register('icon')}
              />
              <span id="stream-icon-hint" className="field-hint">
                material:name, or an image as base64.
              </span>
            </div>
            <div className="field">
              <label htmlFor="stream-tags">Tags</label>
              <input
                id="stream-tags"
                className="input"
                placeholder="health, home"
                aria-describedby="stream-tags-hint"
                {...register('tags')}
              />
              <span id="stream-tags-hint" className="field-hint">
                Separated by commas.
              </span>
            </div>
          </div>
          <label className="checkbox">
            <input type="checkbox" {...register('downlink')} />
            <span>
              Downlink: other devices may send values to this stream&apos;s device, which confirms them.
            </span>
          </label>
          <div className="field">
            <label htmlFor="stream-timeout">Downlink timeout (seconds)</label>
            <input
              id="stream-timeout"
              className="input"
              type="number"
              min={0}
              max={MAX_DOWNLINK_TIMEOUT_SECONDS}
              step="any"
              inputMode="decimal"
              placeholder="10"
              aria-invalid={errors.downlinkTimeout ? true : undefined}
              aria-describedby={describedBy('downlinkTimeout', true)}
              {...register('downlinkTimeout', {
                validate: (v) => {
                  const seconds = Number(v);
                  return (
                    v.trim() === '' ||
                    (Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_DOWNLINK_TIMEOUT_SECONDS) ||
                    `Between 0 and ${MAX_DOWNLINK_TIMEOUT_SECONDS} seconds (a day).`
                  );
                },
              })}
            />
            <span id="stream-downlinkTimeout-hint" className="field-hint">
              How long a command may wait for the device to confirm it before every client shows it as timed
              out. Empty or 0: 10 seconds.
            </span>
            <FormError id="stream-downlinkTimeout-error" message={errors.downlinkTimeout?.message} />
          </div>
          <label className="checkbox">
            <input type="checkbox" {...register('ephemeral')} />
            <span>Ephemeral: pass values on to live listeners without storing them.</span>
          </label>
        </div>
      </details>

      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
          {isEdit ? 'Save changes' : 'Create stream'}
        </button>
      </div>
    </form>
  );
}
