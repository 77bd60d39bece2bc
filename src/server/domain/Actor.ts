/**
 * Who is making a request. Logging in with a username and password *is* logging in as that user's
 * `user` device; an API key logs in as its device; no credentials make the `nobody` actor.
 */
import type { DeviceRecord, StreamRecord, UserRecord } from '../storage/Storage';
import { effectiveLevel, effectiveRoleFlags, type Relation } from './permissions/roles';
import { NONE, type AccessLevel } from './permissions/accessLevels';

export type Actor = { kind: 'device'; device: DeviceRecord; user: UserRecord } | { kind: 'nobody' };

export const NOBODY: Actor = { kind: 'nobody' };

/** `user/device`, or `nobody` — what `?q=this` answers and what `o` records. */
export function actorPath(actor: Actor): string {
  return actor.kind === 'device' ? `${actor.user.name}/${actor.device.name}` : 'nobody';
}

export function relationToUser(actor: Actor, user: { id: number; public: boolean }): Relation {
  if (actor.kind === 'device' && actor.user.id === user.id) return 'user';
  return user.public ? 'public' : 'private';
}

/** A device is public when both it and its owner are. */
export function relationToDevice(actor: Actor, device: DeviceRecord): Relation {
  if (actor.kind === 'device') {
    if (actor.device.id === device.id) return 'self';
    if (actor.user.id === device.userId) return 'user';
  }
  return device.public && device.userPublic ? 'public' : 'private';
}

export function relationToStream(actor: Actor, stream: StreamRecord): Relation {
  if (actor.kind === 'device') {
    if (actor.device.id === stream.deviceId) return 'self';
    if (actor.user.id === stream.userId) return 'user';
  }
  return stream.devicePublic && stream.userPublic ? 'public' : 'private';
}

export function levelAt(actor: Actor, relation: Relation): AccessLevel {
  return actor.kind === 'device' ? effectiveLevel(actor.user.role, actor.device.role, relation) : NONE;
}

export function roleFlags(actor: Actor): { canListUsers: boolean; canCount: boolean } {
  return actor.kind === 'device'
    ? effectiveRoleFlags(actor.user.role, actor.device.role)
    : { canListUsers: false, canCount: false };
}
