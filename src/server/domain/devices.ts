/** Devices: list, read, create (with nested streams), update (including API key reset), delete. */
import type { Device } from '../../core/model';
import { DuplicateError, type DeviceRecord } from '../storage/Storage';
import { levelAt, relationToDevice, relationToUser, type Actor } from './Actor';
import type { DomainContext } from './DomainContext';
import { checkNameSanitation } from './fieldRules';
import { appendMetaLog } from './metaLog';
import { parseDeviceCreate, parseDevicePatch } from './objectInput';
import type { AccessLevel } from './permissions/accessLevels';
import { denied, notFound } from './Refusal';
import { deviceView, type ViewMode } from './views';

const canRead = (level: AccessLevel, device: DeviceRecord) =>
  level.read.device && (device.user_editable || level.read.nonUserEditableDevices);

const canWrite = (level: AccessLevel, device: DeviceRecord) =>
  level.write.device && (device.user_editable || level.write.nonUserEditableDevices);

export function viewDevice(actor: Actor, device: DeviceRecord, mode: ViewMode = 'omit'): Partial<Device> {
  return deviceView(device, levelAt(actor, relationToDevice(actor, device)).read.deviceFields, mode);
}

/** The device, if the actor may see it; the same refusal whether it is missing or hidden. */
export async function findReadableDevice(ctx: DomainContext, actor: Actor, user: string, device: string) {
  const record = await ctx.storage.getDevice(user, device);
  if (!record) return undefined;
  const level = levelAt(actor, relationToDevice(actor, record));
  return canRead(level, record) ? { record, level } : undefined;
}

export async function listDevices(
  ctx: DomainContext,
  actor: Actor,
  userName: string,
): Promise<Partial<Device>[]> {
  const user = await ctx.storage.getUser(userName);
  const level = user && levelAt(actor, relationToUser(actor, user));
  if (!user || !level?.read.user || !level.listDevices) throw notFound();
  const devices = await ctx.storage.listDevices(user.id);
  return devices
    .filter((d) => canRead(levelAt(actor, relationToDevice(actor, d)), d))
    .map((d) => viewDevice(actor, d));
}

export async function readDevice(
  ctx: DomainContext,
  actor: Actor,
  user: string,
  device: string,
): Promise<Partial<Device>> {
  const found = await findReadableDevice(ctx, actor, user, device);
  if (!found) throw notFound();
  return viewDevice(actor, found.record);
}

export async function createDevice(
  ctx: DomainContext,
  actor: Actor,
  userName: string,
  name: string,
  body: unknown,
): Promise<DeviceRecord> {
  checkNameSanitation(name);
  const user = await ctx.storage.getUser(userName);
  const level = user && levelAt(actor, relationToUser(actor, user));
  if (!user || !level?.read.user) throw denied();
  if (!level.createDevice) throw denied('This device does not have permission to create devices here');
  const tree = parseDeviceCreate(name, body, {
    writableDevice: level.write.deviceFields,
    writableStream: level.write.streamFields,
  });
  try {
    const device = await ctx.storage.createDevice(user.id, tree);
    await appendMetaLog(ctx, userName, { cmd: 'CreateDevice', arg: `${userName}/${name}` });
    return device;
  } catch (err) {
    if (err instanceof DuplicateError) throw denied(`The device '${userName}/${name}' already exists`);
    throw err;
  }
}

export async function updateDevice(
  ctx: DomainContext,
  actor: Actor,
  userName: string,
  name: string,
  body: unknown,
): Promise<DeviceRecord> {
  const found = await findReadableDevice(ctx, actor, userName, name);
  if (!found) throw denied();
  if (!canWrite(found.level, found.record))
    throw denied('This device does not have permission to modify this device');
  const patch = parseDevicePatch(body, found.record, found.level.write.deviceFields);
  if (Object.keys(patch).length === 0) return found.record;
  const updated = await ctx.storage.updateDevice(found.record.id, patch);
  // A new key ends the device's cookie sessions, as it did in ConnectorDB (the cookie held the key).
  if (patch.apikey !== undefined && patch.apikey !== found.record.apikey)
    await ctx.storage.deleteDeviceSessions(found.record.id);
  await appendMetaLog(ctx, userName, { cmd: 'UpdateDevice', arg: `${userName}/${name}` });
  return updated;
}

export async function deleteDevice(
  ctx: DomainContext,
  actor: Actor,
  userName: string,
  name: string,
): Promise<void> {
  const found = await findReadableDevice(ctx, actor, userName, name);
  if (!found) throw denied();
  if (name === 'user' || name === 'meta') throw denied(`The ${name} device cannot be deleted`);
  if (!found.level.deleteDevice || !canWrite(found.level, found.record)) {
    throw denied('This device does not have permission to delete this device');
  }
  await ctx.storage.deleteDevice(found.record.id);
  await appendMetaLog(ctx, userName, { cmd: 'DeleteDevice', arg: `${userName}/${name}` });
}
