import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { isAllowedUsername, MAX_NAME_LENGTH, type User } from '../../../core/model';
import { useAppStore } from '../../store';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';

interface UserFormValues {
  name: string;
  email: string;
  password: string;
  nickname: string;
  description: string;
  role: string;
  public: boolean;
}

export interface UserFormDialogProps {
  open: boolean;
  onClose: () => void;
  /** The user being edited; absent for an admin adding someone. */
  user?: User;
  /** Admins may set roles. */
  canSetRole: boolean;
}

/** An admin adds a person; anyone edits their own profile (a new password is optional there). */
export function UserFormDialog({ open, onClose, user, canSetRole }: UserFormDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={user ? 'Edit profile' : 'Add user'}
      description={user ? undefined : 'They log in with this username (or email) and password.'}
    >
      <UserForm user={user} canSetRole={canSetRole} onClose={onClose} />
    </Dialog>
  );
}

function UserForm({ user, canSetRole, onClose }: Omit<UserFormDialogProps, 'open'>) {
  const createUser = useAppStore((s) => s.createUser);
  const updateUser = useAppStore((s) => s.updateUser);
  const notify = useAppStore((s) => s.notify);
  const [error, setError] = useState<string>();
  const isEdit = user !== undefined;
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<UserFormValues>({
    defaultValues: {
      name: user?.name ?? '',
      email: user?.email ?? '',
      password: '',
      nickname: user?.nickname ?? '',
      description: user?.description ?? '',
      role: user?.role ?? 'user',
      public: user?.public ?? false,
    },
  });

  const submit = handleSubmit(async (values) => {
    setError(undefined);
    const common = {
      email: values.email.trim(),
      nickname: values.nickname.trim(),
      description: values.description.trim(),
      public: values.public,
      ...(canSetRole && { role: values.role }),
    };
    const result = isEdit
      ? await updateUser(user.name, { ...common, ...(values.password && { password: values.password }) })
      : await createUser(values.name.trim(), { ...common, password: values.password });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    notify(isEdit ? 'Profile saved' : `Added ${result.value.name}`);
    onClose();
  });

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!isEdit && (
        <div className="field">
          <label htmlFor="user-name">Username</label>
          <input
            id="user-name"
            className="input"
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'user-name-error' : undefined}
            {...register('name', {
              required: 'Choose a username.',
              validate: (v) =>
                isAllowedUsername(v.trim()) ||
                `Use a letter, then letters, digits, - or _ (at most ${MAX_NAME_LENGTH}); some names are reserved.`,
            })}
          />
          <FormError id="user-name-error" message={errors.name?.message} />
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="user-email">Email</label>
          <input
            id="user-email"
            className="input"
            type="email"
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? 'user-email-error' : undefined}
            {...register('email', {
              required: 'Enter an email address.',
              pattern: {
                value: /^[^\s@]+@[^\s@]+$/,
                message: 'Enter an email address like you@example.com.',
              },
            })}
          />
          <FormError id="user-email-error" message={errors.email?.message} />
        </div>
        <div className="field">
          <label htmlFor="user-password">{isEdit ? 'New password (optional)' : 'Password'}</label>
          <input
            id="user-password"
            className="input"
            type="password"
            autoComplete="new-password"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? 'user-password-error' : undefined}
            {...register('password', {
              validate: (v) => (isEdit && v === '') || v.length >= 8 || 'Use at least 8 characters.',
            })}
          />
          <FormError id="user-password-error" message={errors.password?.message} />
        </div>
        <div className="field">
          <label htmlFor="user-nickname">Display name</label>
          <input id="user-nickname" className="input" {...register('nickname')} />
        </div>
        {canSetRole && (
          <div className="field">
            <label htmlFor="user-role">Role</label>
            <select id="user-role" className="select" {...register('role')}>
              <option value="user">User</option>
              <option value="admin">Administrator</option>
            </select>
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor="user-description">About</label>
        <input id="user-description" className="input" {...register('description')} />
      </div>
      <label className="checkbox">
        <input type="checkbox" {...register('public')} />
        <span>Public: other users of this server may see this profile</span>
      </label>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
          {isEdit ? 'Save changes' : 'Add user'}
        </button>
      </div>
    </form>
  );
}
