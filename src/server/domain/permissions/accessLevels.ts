/**
 * Access levels of ConnectorDB's default permissions (connectordb-v1.md §4). An access level says
 * what an acting device may do to a target, given their relation; the effective level is the
 * user role's level AND the device role's level, so a device never exceeds its user.
 */
import type { Device, Stream, User } from '../../../core/model';

export type UserField = keyof User | 'password';
export type DeviceField = keyof Device;
export type StreamField = keyof Stream;

/** What may be read (or written) at one access level. */
export interface FieldAccess {
  user: boolean;
  device: boolean;
  stream: boolean;
  /** Devices with `user_editable: false` (the `meta` device) and their streams. */
  nonUserEditableDevices: boolean;
  userFields: ReadonlySet<UserField>;
  deviceFields: ReadonlySet<DeviceField>;
  streamFields: ReadonlySet<StreamField>;
  /** A stream's own data. */
  streamData: boolean;
  /** A stream's downlink substream. */
  streamDownlink: boolean;
}

export interface AccessLevel {
  createUser: boolean;
  deleteUser: boolean;
  createDevice: boolean;
  deleteDevice: boolean;
  createStream: boolean;
  deleteStream: boolean;
  listDevices: boolean;
  listStreams: boolean;
  read: FieldAccess;
  write: FieldAccess;
}

const USER_ALL: UserField[] = [
  'name',
  'nickname',
  'email',
  'description',
  'icon',
  'role',
  'public',
  'password',
];
const DEVICE_ALL: DeviceField[] = [
  'name',
  'nickname',
  'description',
  'icon',
  'apikey',
  'enabled',
  'public',
  'role',
  'visible',
  'user_editable',
];
const STREAM_ALL: StreamField[] = [
  'name',
  'nickname',
  'description',
  'icon',
  'schema',
  'datatype',
  'ephemeral',
  'downlink',
  'tags',
  'downlink_timeout',
];

const without = <T>(all: T[], ...excluded: T[]): Set<T> => new Set(all.filter((f) => !excluded.includes(f)));

const NO_FIELDS: FieldAccess = {
  user: false,
  device: false,
  stream: false,
  nonUserEditableDevices: false,
  userFields: new Set(),
  deviceFields: new Set(),
  streamFields: new Set(),
  streamData: false,
  streamDownlink: false,
};

const ALL_FIELDS: FieldAccess = {
  user: true,
  device: true,
  stream: true,
  nonUserEditableDevices: true,
  userFields: new Set(USER_ALL),
  deviceFields: new Set(DEVICE_ALL),
  streamFields: new Set(STREAM_ALL),
  streamData: true,
  streamDownlink: true,
};

const NOTHING = {
  createUser: false,
  deleteUser: false,
  createDevice: false,
  deleteDevice: false,
  createStream: false,
  deleteStream: false,
  listDevices: false,
  listStreams: false,
};

export const NONE: AccessLevel = { ...NOTHING, read: NO_FIELDS, write: NO_FIELDS };

export const FULL: AccessLevel = {
  createUser: true,
  deleteUser: true,
  createDevice: true,
  deleteDevice: true,
  createStream: true,
  deleteStream: true,
  listDevices: true,
  listStreams: true,
  read: ALL_FIELDS,
  write: ALL_FIELDS,
};

/** A user acting on itself: manage its own devices and streams; not its name or role. */
export const USERSELF: AccessLevel = {
  ...NOTHING,
  createDevice: true,
  deleteDevice: true,
  createStream: true,
  deleteStream: true,
  listDevices: true,
  listStreams: true,
  read: ALL_FIELDS,
  write: {
    ...ALL_FIELDS,
    nonUserEditableDevices: false,
    userFields: without(USER_ALL, 'name', 'role'),
    deviceFields: without(DEVICE_ALL, 'name', 'user_editable'),
    streamFields: without(STREAM_ALL, 'name'),
  },
};

/** A user looking at another user's public things: a read-only view without private fields. */
export const USERPUBLIC: AccessLevel = {
  ...NOTHING,
  listDevices: true,
  listStreams: true,
  read: {
    ...ALL_FIELDS,
    nonUserEditableDevices: false,
    userFields: new Set(['name', 'nickname', 'description', 'icon']),
    deviceFields: new Set(['name', 'nickname', 'description', 'icon', 'enabled', 'public', 'visible']),
  },
  write: NO_FIELDS,
};

/** A plain device acting on itself: everything about itself, except its role and its own downlinks. */
export const FULLDEVICE: AccessLevel = {
  ...NOTHING,
  createStream: true,
  deleteStream: true,
  listStreams: true,
  read: { ...ALL_FIELDS, user: false, userFields: new Set() },
  write: {
    ...ALL_FIELDS,
    user: false,
    userFields: new Set(),
    nonUserEditableDevices: false,
    deviceFields: without(DEVICE_ALL, 'name', 'role', 'user_editable'),
    streamFields: without(STREAM_ALL, 'name'),
    streamDownlink: false,
  },
};

/** A `reader` device looking at others: everything but API keys, no writes. */
export const DEVICEREADER: AccessLevel = {
  ...NOTHING,
  listDevices: true,
  listStreams: true,
  read: {
    ...ALL_FIELDS,
    deviceFields: without(DEVICE_ALL, 'apikey'),
    userFields: without(USER_ALL, 'password'),
  },
  write: NO_FIELDS,
};

/** A `writer` device: reads like a reader and may send commands (downlink writes). */
export const DEVICEWRITER: AccessLevel = {
  ...DEVICEREADER,
  write: { ...NO_FIELDS, stream: true, streamDownlink: true },
};

/** The `user` device looking at other devices: manage anything, but write only their downlinks. */
export const FULLDOWNLINK: AccessLevel = {
  ...FULL,
  write: { ...ALL_FIELDS, streamData: false },
};

function intersectFields(a: FieldAccess, b: FieldAccess): FieldAccess {
  const both = <T>(x: ReadonlySet<T>, y: ReadonlySet<T>) => new Set([...x].filter((f) => y.has(f)));
  return {
    user: a.user && b.user,
    device: a.device && b.device,
    stream: a.stream && b.stream,
    nonUserEditableDevices: a.nonUserEditableDevices && b.nonUserEditableDevices,
    userFields: both(a.userFields, b.userFields),
    deviceFields: both(a.deviceFields, b.deviceFields),
    streamFields: both(a.streamFields, b.streamFields),
    streamData: a.streamData && b.streamData,
    streamDownlink: a.streamDownlink && b.streamDownlink,
  };
}

/** The level allowed by both: a device's rights are its user's rights AND its role's rights. */
export function intersectLevels(a: AccessLevel, b: AccessLevel): AccessLevel {
  return {
    createUser: a.createUser && b.createUser,
    deleteUser: a.deleteUser && b.deleteUser,
    createDevice: a.createDevice && b.createDevice,
    deleteDevice: a.deleteDevice && b.deleteDevice,
    createStream: a.createStream && b.createStream,
    deleteStream: a.deleteStream && b.deleteStream,
    listDevices: a.listDevices && b.listDevices,
    listStreams: a.listStreams && b.listStreams,
    read: intersectFields(a.read, b.read),
    write: intersectFields(a.write, b.write),
  };
}
