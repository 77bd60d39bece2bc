/** Users: list, read, create (with nested devices and streams), update, delete. */
import { DEVICE_DEFAULTS, isAllowedUsername, type User } from '../../core/model';
import { newApiKey } from '../auth/apiKeys';
import { hashPassword } from '../auth/passwords';
import { DuplicateError, type DeviceTree, type UserPatch, type UserRecord } from '../storage/Storage';
import { levelAt, relationToUser, roleFlags, type Actor } from './Actor';
import { FULL } from './permissions/accessLevels';
import type { DomainContext } from './DomainContext';
import { checkNameSanitation } from './fieldRules';
import { requireObjectBody } from './fieldInput';
import { appendMetaLog, metaDeviceTree } from './metaLog';
import {
  childMap,
  parseDeviceCreate,
  parseStreamCreate,
  parseUserFields,
  parseUserPatch,
} from './objectInput';
import { denied, invalid, notFound } from './Refusal';
import { userView } from './views';

/** The automatic `user` device: logging in with a password is logging in as it. */
function userDeviceTree(streams: DeviceTree['streams']): DeviceTree {
  return {
    device: {
      ...DEVICE_DEFAULTS,
      name: 'user',
      apikey: newApiKey(),
      role: 'user',
      description: 'Holds manually inserted data for the user',
      icon: 'material:person',
    },
    streams,
  };
}

async function findReadable(ctx: DomainContext, actor: Actor, name: string): Promise<UserRecord> {
  const user = await ctx.storage.getUser(name);
  if (!user || !levelAt(actor, relationToUser(actor, user)).read.user) throw notFound();
  return user;
}

export function viewUser(actor: Actor, user: UserRecord): Partial<User> {
  return userView(user, levelAt(actor, relationToUser(actor, user)).read.userFields);
}

export async function listUsers(ctx: DomainContext, actor: Actor): Promise<Partial<User>[]> {
  if (!roleFlags(actor).canListUsers) throw denied('This device does not have permission to list users');
  const users = await ctx.storage.listUsers();
  return users
    .filter((u) => levelAt(actor, relationToUser(actor, u)).read.user)
    .map((u) => viewUser(actor, u));
}

export async function readUser(ctx: DomainContext, actor: Actor, name: string): Promise<Partial<User>> {
  return viewUser(actor, await findReadable(ctx, actor, name));
}

export interface CreateUserOptions {
  /** Bypasses permissions: the CLI, the first-run setup and the admin-from-environment at start. */
  trusted?: boolean;
}

export async function createUser(
  ctx: DomainContext,
  actor: Actor,
  name: string,
  body: unknown,
  options: CreateUserOptions = {},
): Promise<UserRecord> {
  checkNameSanitation(name);
  // A brand-new user is nobody's own and not yet public: creating one needs the private level.
  const level = levelAt(actor, 'private');
  if (!options.trusted && !level.createUser)
    throw denied('This device does not have permission to create users');
  if (!isAllowedUsername(name)) throw invalid(`The username '${name}' is reserved`);

  const object = requireObjectBody(body);
  const fields = parseUserFields(object, ['devices', 'streams']);
  if (fields.name !== undefined && fields.name !== name)
    throw invalid(`The name in the body differs from the path`);
  if (fields.email === undefined) throw invalid('A user needs an email address');
  if (fields.password === undefined) throw invalid('A user needs a password');

  const writable = options.trusted ? FULL.write : level.write;
  const deviceOptions = { writableDevice: writable.deviceFields, writableStream: writable.streamFields };
  const userStreams = childMap(object.streams, 'streams').map(([n, b]) =>
    parseStreamCreate(n, b, deviceOptions.writableStream),
  );
  const devices = childMap(object.devices, 'devices').map(([n, b]) => {
    if (n === 'user' || n === 'meta') throw invalid(`The '${n}' device is created automatically`);
    return parseDeviceCreate(n, b, deviceOptions);
  });

  try {
    const user = await ctx.storage.createUser(
      {
        name,
        nickname: fields.nickname ?? '',
        email: fields.email,
        description: fields.description ?? '',
        icon: fields.icon ?? '',
        role: fields.role ?? 'user',
        public: fields.public ?? true,
        passwordHash: await hashPassword(fields.password),
      },
      [userDeviceTree(userStreams), metaDeviceTree(), ...devices],
    );
    await appendMetaLog(ctx, name, { cmd: 'CreateUser', arg: name });
    return user;
  } catch (err) {
    if (err instanceof DuplicateError)
      throw denied(`A user named '${name}' or with that email already exists`);
    throw err;
  }
}

export async function updateUser(
  ctx: DomainContext,
  actor: Actor,
  name: string,
  body: unknown,
): Promise<UserRecord> {
  const user = await ctx.storage.getUser(name);
  const level = user && levelAt(actor, relationToUser(actor, user));
  if (!user || !level?.read.user) throw denied();
  if (!level.write.user) throw denied('This device does not have permission to modify this user');
  const { password, ...fields } = parseUserPatch(body, user, level.write.userFields);
  const patch: UserPatch = { ...fields };
  if (password !== undefined) patch.passwordHash = await hashPassword(password);
  if (Object.keys(patch).length === 0) return user;
  try {
    const updated = await ctx.storage.updateUser(user.id, patch);
    await appendMetaLog(ctx, name, { cmd: 'UpdateUser', arg: name });
    return updated;
  } catch (err) {
    if (err instanceof DuplicateError) throw denied('That email address is already in use');
    throw err;
  }
}

export async function deleteUser(ctx: DomainContext, actor: Actor, name: string): Promise<void> {
  const user = await ctx.storage.getUser(name);
  const level = user && levelAt(actor, relationToUser(actor, user));
  if (!user || !level?.read.user) throw denied();
  if (!level.deleteUser) throw denied('This device does not have permission to delete this user');
  await ctx.storage.deleteUser(user.id);
}

/** Sets a password without a logged-in actor (the CLI's `passwd`). */
export async function setPasswordTrusted(ctx: DomainContext, name: string, password: string): Promise<void> {
  const user = await ctx.storage.getUser(name);
  if (!user) throw notFound(`There is no user '${name}'`);
  const { password: checked } = parseUserFields({ password });
  await ctx.storage.updateUser(user.id, { passwordHash: await hashPassword(checked!) });
  await appendMetaLog(ctx, name, { cmd: 'UpdateUser', arg: name });
}

/** Creates the configured admin at start when that user does not exist yet; returns whether it did. */
export async function ensureAdmin(
  ctx: DomainContext,
  admin: { name: string; password: string; email: string },
): Promise<boolean> {
  if (await ctx.storage.getUser(admin.name)) return false;
  await createUser(
    ctx,
    { kind: 'nobody' },
    admin.name,
    { email: admin.email, password: admin.password, role: 'admin', public: false },
    { trusted: true },
  );
  return true;
}
