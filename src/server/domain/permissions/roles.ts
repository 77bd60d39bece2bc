/**
 * The default roles of ConnectorDB 0.3 (`src/config/permissions/default.go`): a private,
 * family/IoT-style server where users see only their own things and what others made public.
 */
import {
  DEVICEREADER,
  DEVICEWRITER,
  FULL,
  FULLDEVICE,
  FULLDOWNLINK,
  NONE,
  USERPUBLIC,
  USERSELF,
  intersectLevels,
  type AccessLevel,
} from './accessLevels';

/** How the acting device relates to the target object. */
export type Relation = 'self' | 'user' | 'public' | 'private';

export interface Role {
  levels: Record<Relation, AccessLevel>;
  /** `GET /crud/?q=ls` */
  canListUsers: boolean;
  /** `q=countusers`, `countdevices`, `countstreams` */
  canCount: boolean;
}

const everywhere = (level: AccessLevel) => ({ self: level, user: level, public: level, private: level });

export const USER_ROLES: Readonly<Record<string, Role>> = {
  nobody: { levels: everywhere(NONE), canListUsers: false, canCount: false },
  user: {
    levels: { self: USERSELF, user: USERSELF, public: USERPUBLIC, private: NONE },
    canListUsers: false,
    canCount: false,
  },
  admin: { levels: everywhere(FULL), canListUsers: true, canCount: true },
};

/** Device roles; a device's empty role means `none`. */
export const DEVICE_ROLES: Readonly<Record<string, Role>> = {
  none: {
    levels: { self: FULLDEVICE, user: NONE, public: NONE, private: NONE },
    canListUsers: false,
    canCount: false,
  },
  reader: {
    levels: { self: FULLDEVICE, user: DEVICEREADER, public: DEVICEREADER, private: DEVICEREADER },
    canListUsers: false,
    canCount: false,
  },
  writer: {
    levels: { self: FULLDEVICE, user: DEVICEWRITER, public: DEVICEWRITER, private: DEVICEWRITER },
    canListUsers: false,
    canCount: false,
  },
  user: {
    levels: { self: FULL, user: FULLDOWNLINK, public: FULLDOWNLINK, private: FULLDOWNLINK },
    canListUsers: true,
    canCount: true,
  },
};

export const isUserRole = (role: string): boolean => Object.hasOwn(USER_ROLES, role);
export const isDeviceRole = (role: string): boolean => role === '' || Object.hasOwn(DEVICE_ROLES, role);

const deviceRole = (role: string): Role => DEVICE_ROLES[role === '' ? 'none' : role] ?? DEVICE_ROLES.none!;
const userRole = (role: string): Role => USER_ROLES[role] ?? USER_ROLES.nobody!;

const levelCache = new Map<string, AccessLevel>();

/** The effective access level of a device of a user with the given roles, at a relation. */
export function effectiveLevel(
  userRoleName: string,
  deviceRoleName: string,
  relation: Relation,
): AccessLevel {
  const key = `${userRoleName}\0${deviceRoleName}\0${relation}`;
  let level = levelCache.get(key);
  if (!level) {
    level = intersectLevels(
      userRole(userRoleName).levels[relation],
      deviceRole(deviceRoleName).levels[relation],
    );
    levelCache.set(key, level);
  }
  return level;
}

export function effectiveRoleFlags(
  userRoleName: string,
  deviceRoleName: string,
): Pick<Role, 'canListUsers' | 'canCount'> {
  const u = userRole(userRoleName);
  const d = deviceRole(deviceRoleName);
  return { canListUsers: u.canListUsers && d.canListUsers, canCount: u.canCount && d.canCount };
}
