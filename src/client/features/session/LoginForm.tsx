import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useAppStore } from '../../store';
import { FormError } from '../../ui/FormError';

interface LoginValues {
  username: string;
  password: string;
  remember: boolean;
}

export function LoginForm() {
  const logIn = useAppStore((s) => s.logIn);
  const [error, setError] = useState<string>();
  const {
    register,
    handleSubmit,
    formState: { isSubmitting, errors },
  } = useForm<LoginValues>({ defaultValues: { username: '', password: '', remember: true } });

  const submit = handleSubmit(async (values) => {
    setError(undefined);
    const result = await logIn(values.username, values.password, values.remember);
    if (!result.ok) setError(result.error);
  });

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="login-title">
      <div>
        <h1 id="login-title">Log in</h1>
        <p className="muted">Use the username (or email) and password of your account.</p>
      </div>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="login-username">Username</label>
        <input
          id="login-username"
          className="input"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={errors.username ? true : undefined}
          aria-describedby={errors.username ? 'login-username-error' : undefined}
          {...register('username', { required: 'Enter your username.' })}
        />
        <FormError id="login-username-error" message={errors.username?.message} />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          className="input"
          type="password"
          autoComplete="current-password"
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={errors.password ? 'login-password-error' : undefined}
          {...register('password', { required: 'Enter your password.' })}
        />
        <FormError id="login-password-error" message={errors.password?.message} />
      </div>
      <label className="checkbox">
        <input type="checkbox" {...register('remember')} />
        <span>Keep me logged in on this device</span>
      </label>
      <button type="submit" className="btn btn-primary btn-block" disabled={isSubmitting}>
        {isSubmitting ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
