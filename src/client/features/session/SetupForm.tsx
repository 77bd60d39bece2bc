import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { isAllowedUsername, MAX_NAME_LENGTH } from '../../../core/model';
import { useAppStore } from '../../store';
import { FormError } from '../../ui/FormError';

interface SetupValues {
  name: string;
  email: string;
  password: string;
  repeat: string;
}

const MIN_PASSWORD_LENGTH = 8;

/** First run: no user exists yet, so the first person creates the administrator account. */
export function SetupForm() {
  const setUp = useAppStore((s) => s.setUp);
  const [error, setError] = useState<string>();
  const {
    register,
    handleSubmit,
    getValues,
    formState: { isSubmitting, errors },
  } = useForm<SetupValues>({ defaultValues: { name: '', email: '', password: '', repeat: '' } });

  const submit = handleSubmit(async ({ name, email, password }) => {
    setError(undefined);
    const result = await setUp({ name: name.trim(), email: email.trim(), password });
    if (!result.ok) setError(result.error);
  });

  const field = (id: keyof SetupValues) => ({
    id: `setup-${id}`,
    'aria-invalid': errors[id] ? true : undefined,
    'aria-describedby': errors[id] ? `setup-${id}-error` : `setup-${id}-hint`,
  });

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="setup-title">
      <div>
        <h1 id="setup-title">Welcome to Tributary</h1>
        <p className="muted">
          This server has no accounts yet. Create yours: it will be the administrator, who can add everyone
          else.
        </p>
      </div>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="setup-name">Username</label>
        <input
          className="input"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          {...field('name')}
          {...register('name', {
            required: 'Choose a username.',
            validate: (v) =>
              isAllowedUsername(v.trim()) ||
              `Use a letter, then letters, digits, - or _ (at most ${MAX_NAME_LENGTH}); some names are reserved.`,
          })}
        />
        <span id="setup-name-hint" className="field-hint">
          Part of every address, like /{'{username}'}/phone. It cannot change later.
        </span>
        <FormError id="setup-name-error" message={errors.name?.message} />
      </div>
      <div className="field">
        <label htmlFor="setup-email">Email</label>
        <input
          className="input"
          type="email"
          autoComplete="email"
          {...field('email')}
          {...register('email', {
            required: 'Enter an email address.',
            pattern: { value: /^[^\s@]+@[^\s@]+$/, message: 'Enter an email address like you@example.com.' },
          })}
        />
        <span id="setup-email-hint" className="field-hint">
          You can log in with it instead of the username.
        </span>
        <FormError id="setup-email-error" message={errors.email?.message} />
      </div>
      <div className="field">
        <label htmlFor="setup-password">Password</label>
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          {...field('password')}
          {...register('password', {
            required: 'Choose a password.',
            minLength: {
              value: MIN_PASSWORD_LENGTH,
              message: `Use at least ${MIN_PASSWORD_LENGTH} characters.`,
            },
          })}
        />
        <span id="setup-password-hint" className="field-hint">
          At least {MIN_PASSWORD_LENGTH} characters.
        </span>
        <FormError id="setup-password-error" message={errors.password?.message} />
      </div>
      <div className="field">
        <label htmlFor="setup-repeat">Repeat password</label>
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          {...field('repeat')}
          {...register('repeat', {
            validate: (v) => v === getValues('password') || 'The passwords do not match.',
          })}
        />
        <span id="setup-repeat-hint" className="visually-hidden">
          Type the password again.
        </span>
        <FormError id="setup-repeat-error" message={errors.repeat?.message} />
      </div>
      <button type="submit" className="btn btn-primary btn-block" disabled={isSubmitting}>
        {isSubmitting ? 'Creating…' : 'Create administrator'}
      </button>
    </form>
  );
}
