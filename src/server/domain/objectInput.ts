/**
 * Turning create and update bodies into records and patches: field types, value rules, names
 * (never changed), and the caller's write permission per field. A field the caller may not write
 * is accepted only when it leaves the value unchanged, as ConnectorDB's RevertUneditableFields did,
 * so exported objects can be sent back as they are.
 */
import {
  DEVICE_DEFAULTS,
  DEVICE_FIELDS,
  STREAM_DEFAULTS,
  STREAM_FIELDS,
  USER_FIELDS,
  type Device,
  type Stream,
  type User,
} from '../../core/model';
import { newApiKey } from '../auth/apiKeys';
import type { DevicePatch, DeviceTree, NewStream, StreamPatch } from '../storage/Storage';
import {
  checkDeviceRole,
  checkDownlinkTimeout,
  checkEmail,
  checkNameSanitation,
  checkPassword,
  checkSchema,
  checkTags,
  checkTexts,
  checkUserRole,
} from './fieldRules';
import { readFields, requireObjectBody } from './fieldInput';
import type { DeviceField, StreamField, UserField } from './permissions/accessLevels';
import { denied, invalid } from './Refusal';

const cannotWrite = (field: string) => denied(`This device does not have permissions to write ${field}`);

/** Accepts a schema given as a JSON object too, though the wire format is a string. */
function schemaAsString(body: Record<string, unknown>): Record<string, unknown> {
  const schema = body.schema;
  if (schema !== undefined && schema !== null && typeof schema === 'object')
    return { ...body, schema: JSON.stringify(schema) };
  return body;
}

function requireName(given: unknown, name: string): void {
  if (given !== undefined && given !== name)
    throw invalid(`The name in the body ('${String(given)}') differs from the path ('${name}')`);
}

/** Object maps of nested children (`{"devices": {name: {...}}}`), validated by name. */
export function childMap(value: unknown, what: string): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid(`'${what}' must be an object mapping names to ${what}`);
  const entries = Object.entries(value);
  for (const [name] of entries) checkNameSanitation(name);
  return entries;
}

// ---- streams ----

function checkStreamValues(fields: Partial<Stream>): Partial<Stream> {
  const out = { ...fields };
  checkTexts(out);
  if (out.schema !== undefined) out.schema = checkSchema(out.schema);
  if (out.tags !== undefined) out.tags = checkTags(out.tags);
  if (out.downlink_timeout !== undefined) out.downlink_timeout = checkDownlinkTimeout(out.downlink_timeout);
  return out;
}

export function parseStreamCreate(
  name: string,
  body: unknown,
  writable: ReadonlySet<StreamField>,
): NewStream {
  const fields = readFields<Stream>(schemaAsString(requireObjectBody(body)), STREAM_FIELDS);
  requireName(fields.name, name);
  delete fields.name;
  for (const key of Object.keys(fields) as StreamField[]) if (!writable.has(key)) throw cannotWrite(key);
  return { ...STREAM_DEFAULTS, ...checkStreamValues(fields), name };
}

export function parseStreamPatch(
  body: unknown,
  current: Stream,
  writable: ReadonlySet<StreamField>,
): StreamPatch {
  const fields = readFields<Stream>(schemaAsString(requireObjectBody(body)), STREAM_FIELDS);
  requireUnchangedName(fields.name, current.name);
  delete fields.name;
  const patch = checkStreamValues(fields);
  return keepChanges(patch, current, writable) as StreamPatch;
}

// ---- devices ----

export interface DeviceCreateOptions {
  writableDevice: ReadonlySet<DeviceField>;
  writableStream: ReadonlySet<StreamField>;
}

function checkDeviceValues(fields: Partial<Device>): Partial<Device> {
  checkTexts(fields);
  if (fields.role !== undefined) checkDeviceRole(fields.role);
  return fields;
}

export function parseDeviceCreate(name: string, body: unknown, options: DeviceCreateOptions): DeviceTree {
  const object = requireObjectBody(body);
  const fields = readFields<Device>(object, DEVICE_FIELDS, ['streams']);
  requireName(fields.name, name);
  delete fields.name;
  // A new device always gets a fresh key; a key in the body (from an export) is ignored.
  delete fields.apikey;
  for (const key of Object.keys(fields) as DeviceField[])
    if (!options.writableDevice.has(key)) throw cannotWrite(key);
  const streams = childMap(object.streams, 'streams').map(([streamName, streamBody]) =>
    parseStreamCreate(streamName, streamBody, options.writableStream),
  );
  return { device: { ...DEVICE_DEFAULTS, ...checkDeviceValues(fields), name, apikey: newApiKey() }, streams };
}

export function parseDevicePatch(
  body: unknown,
  current: Device,
  writable: ReadonlySet<DeviceField>,
): DevicePatch {
  const fields = readFields<Device>(requireObjectBody(body), DEVICE_FIELDS);
  requireUnchangedName(fields.name, current.name);
  delete fields.name;
  // `"apikey": ""` asks for a new key (the "reset API key" of the original clients).
  if (fields.apikey === '') {
    if (!writable.has('apikey')) throw cannotWrite('apikey');
    fields.apikey = newApiKey();
  } else if (fields.apikey !== undefined && fields.apikey !== current.apikey) {
    throw invalid('An API key cannot be chosen; send "apikey": "" to get a new one');
  }
  return keepChanges(checkDeviceValues(fields), current, writable) as DevicePatch;
}

// ---- users ----

export type UserInput = Partial<User> & { password?: string };

export function parseUserFields(body: Record<string, unknown>, extra: readonly string[] = []): UserInput {
  const fields = readFields<UserInput>(body, { ...USER_FIELDS, password: 'string' }, extra);
  checkTexts(fields);
  if (fields.email !== undefined) fields.email = checkEmail(fields.email);
  if (fields.role !== undefined) checkUserRole(fields.role);
  if (fields.password !== undefined) checkPassword(fields.password);
  return fields;
}

export function parseUserPatch(body: unknown, current: User, writable: ReadonlySet<UserField>): UserInput {
  const fields = parseUserFields(requireObjectBody(body));
  requireUnchangedName(fields.name, current.name);
  delete fields.name;
  const { password, ...rest } = fields;
  const patch: UserInput = keepChanges(rest, current, writable);
  if (password !== undefined) {
    if (!writable.has('password')) throw cannotWrite('password');
    patch.password = password;
  }
  return patch;
}

// ---- shared ----

function requireUnchangedName(given: unknown, current: string): void {
  if (given !== undefined && given !== current) throw invalid('Names cannot be changed');
}

/** Drops fields equal to the current value; refuses changes to fields the caller may not write. */
function keepChanges<T extends object>(
  fields: Partial<T>,
  current: T,
  writable: ReadonlySet<string>,
): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T & string)[]) {
    const value = fields[key];
    if (JSON.stringify(value) === JSON.stringify(current[key])) continue;
    if (!writable.has(key)) throw cannotWrite(key);
    out[key] = value;
  }
  return out;
}
