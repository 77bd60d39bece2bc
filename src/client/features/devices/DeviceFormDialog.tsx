import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { isValidName, MAX_NAME_LENGTH, type Device } from '../../../core/model';
import { useAppStore } from '../../store';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';

interface DeviceFormValues {
  name: string;
  nickname: string;
  description: string;
  icon: string;
  role: string;
  enabled: boolean;
  public: boolean;
  visible: boolean;
}

export interface DeviceFormDialogProps {
  open: boolean;
  onClose: () => void;
  user: string;
  /** The device being edited; absent to create one. */
  device?: Device;
  /** Admins may set a device's role. */
  canSetRole: boolean;
  onDone?: (device: Device) => void;
}

const ROLES = [
  { value: '', label: 'None: sees and writes only itself' },
  { value: 'reader', label: 'Reader: reads all your data' },
  { value: 'writer', label: 'Writer: reads all, sends to downlinks' },
  { value: 'user', label: 'User: acts as you' },
];

/** Create or edit a device: a phone, a sensor, an app — anything with its own API key. */
export function DeviceFormDialog({ open, onClose, user, device, canSetRole, onDone }: DeviceFormDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={device ? `Edit ${device.nickname || device.name}` : 'Add device'}
      description={device ? undefined : 'Each device gets its own API key to send data with.'}
    >
      <DeviceForm user={user} device={device} canSetRole={canSetRole} onClose={onClose} onDone={onDone} />
    </Dialog>
  );
}

function DeviceForm({ user, device, canSetRole, onClose, onDone }: Omit<DeviceFormDialogProps, 'open'>) {
  const createDevice = useAppStore((s) => s.createDevice);
  const updateDevice = useAppStore((s) => s.updateDevice);
  const notify = useAppStore((s) => s.notify);
  const [error, setError] = useState<string>();
  const isEdit = device !== undefined;
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<DeviceFormValues>({
    defaultValues: {
      name: device?.name ?? '',
      nickname: device?.nickname ?? '',
      description: device?.description ?? '',
      icon: device?.icon ?? '',
      role: device?.role ?? '',
      enabled: device?.enabled ?? true,
      public: device?.public ?? false,
      visible: device?.visible ?? true,
    },
  });

  const submit = handleSubmit(async (values) => {
    setError(undefined);
    const props = {
      nickname: values.nickname.trim(),
      description: values.description.trim(),
      icon: values.icon.trim(),
      enabled: values.enabled,
      public: values.public,
      visible: values.visible,
      ...(canSetRole && { role: values.role }),
    };
    const result = isEdit
      ? await updateDevice(user, device.name, props)
      : await createDevice(user, values.name.trim(), props);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    notify(isEdit ? 'Device saved' : `Created ${result.value.nickname || result.value.name}`);
    onDone?.(result.value);
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
          <label htmlFor="device-name">Name</label>
          <input
            id="device-name"
            className="input"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            placeholder="phone"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'device-name-error' : 'device-name-hint'}
            {...register('name', {
              required: 'Give the device a name.',
              validate: (v) =>
                isValidName(v.trim()) ||
                `Start with a letter; then letters, digits, - or _ (at most ${MAX_NAME_LENGTH}).`,
            })}
          />
          <span id="device-name-hint" className="field-hint">
            Part of its address ({user}/name); it cannot change later.
          </span>
          <FormError id="device-name-error" message={errors.name?.message} />
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="device-nickname">Display name</label>
          <input id="device-nickname" className="input" placeholder="My phone" {...register('nickname')} />
        </div>
        <div className="field">
          <label htmlFor="device-description">Description</label>
          <input id="device-description" className="input" {...register('description')} />
        </div>
        <div className="field">
          <label htmlFor="device-icon">Icon</label>
          <input id="device-icon" className="input" placeholder="material:smartphone" {...register('icon')} />
        </div>
        {canSetRole && (
          <div className="field">
            <label htmlFor="device-role">Access</label>
            <select id="device-role" className="select" {...register('role')}>
              {ROLES.map((role) => (
                <option key={role.value} value={role.value}>
                  {role.label}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <div className="stack" style={{ gap: 'var(--space-2)' }}>
        <label className="checkbox">
          <input type="checkbox" {...register('enabled')} />
          <span>Enabled: the device may log in with its key</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" {...register('visible')} />
          <span>Visible in lists</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" {...register('public')} />
          <span>Public: other users of this server may see it</span>
        </label>
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
          {isEdit ? 'Save changes' : 'Create device'}
        </button>
      </div>
    </form>
  );
}
