import { Check } from 'lucide-react';
import { useMemo } from 'react';
import { useForm, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import type { SchemaShape } from '../../../core/schema';
import { formatValue } from '../../ui/formatTime';
import { buildFormFields, defaultFormValues, formValuesToValue, type FormField } from './schemaFields';

export interface SchemaFormProps {
  id: string;
  label: string;
  shape: SchemaShape;
  onSave(value: unknown): Promise<string | undefined>;
}

type Values = Record<string, unknown>;

/** The error message react-hook-form holds for a dotted field name. */
function errorAt(errors: FieldErrors<Values>, name: string): string | undefined {
  let node: unknown = errors;
  for (const key of name.split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
  const message = (node as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

function Field({
  field,
  formId,
  register,
  errors,
}: {
  field: FormField;
  formId: string;
  register: UseFormRegister<Values>;
  errors: FieldErrors<Values>;
}) {
  const id = `${formId}-${field.name.replace(/\./g, '-')}`;
  const error = errorAt(errors, field.name);
  const describedBy = error ? `${id}-error` : undefined;
  const label = field.isRequired ? field.label : `${field.label} (optional)`;
  const errorLine = error && (
    <span id={`${id}-error`} className="field-error" role="alert">
      {error}
    </span>
  );

  switch (field.kind) {
    case 'object':
      return (
        <fieldset className="schema-fieldset">
          <legend>{label}</legend>
          <div className="form-grid">
            {field.fields.map((child) => (
              <Field key={child.name} field={child} formId={formId} register={register} errors={errors} />
            ))}
          </div>
        </fieldset>
      );
    case 'boolean':
      return (
        <label className="checkbox">
          <input type="checkbox" id={id} {...register(field.name)} />
          <span>{field.label}</span>
        </label>
      );
    case 'enum':
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <select
            id={id}
            className="select"
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            {...register(field.name)}
          >
            <option value="">Choose…</option>
            {field.values.map((value, i) => (
              <option key={i} value={String(i)}>
                {formatValue(value)}
              </option>
            ))}
          </select>
          {errorLine}
        </div>
      );
    case 'number':
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input
            id={id}
            className="input"
            type="number"
            inputMode={field.integer ? 'numeric' : 'decimal'}
            step={field.integer ? 1 : 'any'}
            min={field.minimum}
            max={field.maximum}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            {...register(field.name)}
          />
          {errorLine}
        </div>
      );
    case 'string':
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input
            id={id}
            className="input"
            type="text"
            maxLength={field.maxLength}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            {...register(field.name)}
          />
          {errorLine}
        </div>
      );
    case 'json':
      return (
        <div className="field">
          <label htmlFor={id}>{label} (JSON)</label>
          <textarea
            id={id}
            className="textarea mono"
            rows={2}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            {...register(field.name)}
          />
          {errorLine}
        </div>
      );
  }
}

/** A form generated from the stream's JSON Schema: a field per property, checked on submit. */
export function SchemaForm({ id, label, shape, onSave }: SchemaFormProps) {
  const fields = useMemo(() => buildFormFields(shape, label), [shape, label]);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({ defaultValues: defaultFormValues(fields) });

  const submit = handleSubmit(async (values) => {
    const converted = formValuesToValue(fields, values, shape.kind === 'object');
    if (!converted.ok) {
      for (const [name, message] of Object.entries(converted.errors)) setError(name, { message });
      return;
    }
    const error = await onSave(converted.value);
    if (error) setError('root', { message: error });
  });

  return (
    <form className="entry-form" onSubmit={(event) => void submit(event)} noValidate aria-label={label}>
      <div className="form-grid">
        {fields.map((field) => (
          <Field key={field.name} field={field} formId={id} register={register} errors={errors} />
        ))}
      </div>
      {errors.root?.message && (
        <p className="field-error" role="alert">
          {errors.root.message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
          <Check size={16} aria-hidden />
          Save
        </button>
      </div>
    </form>
  );
}
