import { Pencil, Plus, UserPlus, Users } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAppStore, useAppStoreShallow } from '../../store';
import { EmptyState } from '../../ui/EmptyState';
import { ObjectIcon } from '../../ui/ObjectIcon';
import { PageHeader } from '../../ui/PageHeader';
import { CachedNotice } from '../sync/CachedNotice';
import { Skeleton } from '../../ui/Skeleton';
import { usePageTitle } from '../../ui/usePageTitle';
import { DeviceFormDialog } from './DeviceFormDialog';
import { UserFormDialog } from './UserFormDialog';
import './devices.css';

/** `/{user}`: a person with their devices; an admin's own page also lists everyone. */
export function UserPage() {
  const { user = '' } = useParams();
  const navigate = useNavigate();
  const session = useAppStore((s) => s.session);
  const profile = useAppStore((s) => s.users[user]);
  const profileError = useAppStore((s) => s.objectErrors[user]);
  const deviceList = useAppStore((s) => s.deviceLists[user]);
  const loadUser = useAppStore((s) => s.loadUser);
  const loadDevices = useAppStore((s) => s.loadDevices);
  const isOnline = useAppStore((s) => s.sync.online);
  const [showHidden, setShowHidden] = useState(false);
  const [isAddingDevice, setIsAddingDevice] = useState(false);
  const [isEditing, setIsEditing] = useState(false);
  const devices = useAppStoreShallow((s) =>
    (s.deviceLists[user]?.value ?? []).flatMap((name) => s.devices[`${user}/${name}`] ?? []),
  );
  usePageTitle(profile?.nickname || user);

  useEffect(() => {
    void loadUser(user);
    void loadDevices(user);
  }, [user, loadUser, loadDevices]);

  const isAdmin = session?.isAdmin ?? false;
  const isSelf = session?.user === user;
  const canEdit = isSelf || isAdmin;
  const shown = devices.filter((d) => showHidden || d.visible);
  const hiddenCount = devices.length - devices.filter((d) => d.visible).length;

  if (profileError && !profile) {
    return (
      <div className="card">
        <EmptyState
          icon={<Users size={28} />}
          title={isOnline ? `No user “${user}”` : `“${user}” is not on this device`}
        >
          {profileError} Check the address, or ask an administrator.
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="stack-lg">
      <PageHeader
        icon={<ObjectIcon icon={profile?.icon ?? ''} kind="user" size="lg" />}
        title={profile ? profile.nickname || profile.name : user}
        description={
          profile ? (
            [profile.nickname && profile.name, profile.email, profile.role === 'admin' && 'Administrator']
              .filter(Boolean)
              .join(' · ')
          ) : (
            <Skeleton height="1rem" width="12rem" />
          )
        }
        actions={
          canEdit &&
          profile && (
            <button type="button" className="btn" onClick={() => setIsEditing(true)}>
              <Pencil size={16} aria-hidden />
              Edit profile
            </button>
          )
        }
      />

      <CachedNotice keys={[`user/${user}`, `devices/${user}`, ...(isAdmin && isSelf ? ['users'] : [])]} />

      <section className="card section" aria-labelledby="devices-title">
        <div className="section-title">
          <h2 id="devices-title">Devices</h2>
          {canEdit && (
            <button
              type="button"
              className="btn btn-primary btn-small"
              onClick={() => setIsAddingDevice(true)}
            >
              <Plus size={16} aria-hidden />
              Add device
            </button>
          )}
        </div>
        <p className="muted">
          A device is anything that sends or receives data — a phone, a sensor, a script — each with its own
          API key. <strong>user</strong> holds what you enter by hand.
        </p>
        {deviceList?.status === 'error' && !deviceList.value && (
          <p className="alert alert-error" role="alert">
            {deviceList.error}
          </p>
        )}
        {!deviceList?.value && deviceList?.status !== 'error' ? (
          <div role="status" aria-label="Loading devices" className="stack" style={{ gap: 'var(--space-2)' }}>
            <Skeleton height="3.5rem" />
            <Skeleton height="3.5rem" />
          </div>
        ) : (
          <ul className="list" aria-label="Devices">
            {shown.map((device) => (
              <li key={device.name}>
                <Link to={`/${user}/${device.name}`} className="list-item">
                  <ObjectIcon icon={device.icon} kind="device" />
                  <span className="list-item-text">
                    <strong>{device.nickname || device.name}</strong>
                    <span>{device.description || `${user}/${device.name}`}</span>
                  </span>
                  {(!device.enabled || !device.visible || device.role) && (
                    <span className="list-item-badges">
                      {!device.enabled && <span className="badge">disabled</span>}
                      {!device.visible && <span className="badge">hidden</span>}
                      {device.role && <span className="badge badge-accent">{device.role}</span>}
                    </span>
                  )}
                </Link>
              </li>
            ))}
          </ul>
        )}
        {hiddenCount > 0 && (
          <label className="checkbox">
            <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} />
            <span>Show hidden devices ({hiddenCount})</span>
          </label>
        )}
      </section>

      {isAdmin && isSelf && <PeopleSection />}

      <DeviceFormDialog
        open={isAddingDevice}
        onClose={() => setIsAddingDevice(false)}
        user={user}
        canSetRole={isAdmin}
        onDone={(device) => void navigate(`/${user}/${device.name}`)}
      />
      {profile && (
        <UserFormDialog
          open={isEditing}
          onClose={() => setIsEditing(false)}
          user={profile}
          canSetRole={isAdmin && !isSelf}
        />
      )}
    </div>
  );
}

/** For admins: everyone on this server, and a way to add someone. */
function PeopleSection() {
  const userList = useAppStore((s) => s.userList);
  const loadUsers = useAppStore((s) => s.loadUsers);
  const users = useAppStoreShallow((s) => (s.userList?.value ?? []).flatMap((name) => s.users[name] ?? []));
  const [isAdding, setIsAdding] = useState(false);

  useEffect(() => {
    void loadUsers();
  }, [loadUsers]);

  return (
    <section className="card section" aria-labelledby="people-title">
      <div className="section-title">
        <h2 id="people-title">People on this server</h2>
        <button type="button" className="btn btn-small" onClick={() => setIsAdding(true)}>
          <UserPlus size={16} aria-hidden />
          Add user
        </button>
      </div>
      {userList?.status === 'error' && (
        <p className="alert alert-error" role="alert">
          {userList.error}
        </p>
      )}
      {!userList?.value ? (
        <Skeleton height="3.5rem" />
      ) : (
        <ul className="list" aria-label="Users">
          {users.map((u) => (
            <li key={u.name}>
              <Link to={`/${u.name}`} className="list-item">
                <ObjectIcon icon={u.icon} kind="user" />
                <span className="list-item-text">
                  <strong>{u.nickname || u.name}</strong>
                  <span>
                    {u.name}
                    {u.email && ` · ${u.email}`}
                  </span>
                </span>
                {u.role === 'admin' && <span className="badge badge-accent">admin</span>}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <UserFormDialog open={isAdding} onClose={() => setIsAdding(false)} canSetRole />
    </section>
  );
}
