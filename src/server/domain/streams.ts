/** Streams: list (per device and per user), read, create, update, delete. */
import type { Stream, UserStream } from '../../core/model';
import { DuplicateError, type StreamRecord } from '../storage/Storage';
import { levelAt, relationToStream, relationToUser, type Actor } from './Actor';
import { findReadableDevice } from './devices';
import type { DomainContext } from './DomainContext';
import { checkNameSanitation } from './fieldRules';
import { appendMetaLog } from './metaLog';
import { parseStreamCreate, parseStreamPatch } from './objectInput';
import type { AccessLevel } from './permissions/accessLevels';
import { denied, notFound } from './Refusal';
import { streamView, userStreamView, type ViewMode } from './views';

export interface StreamName {
  user: string;
  device: string;
  stream: string;
}

const pathOf = (s: StreamName) => `${s.user}/${s.device}/${s.stream}`;

export const canReadStream = (level: AccessLevel, stream: StreamRecord) =>
  level.read.stream && (stream.deviceUserEditable || level.read.nonUserEditableDevices);

const canWriteStream = (level: AccessLevel, stream: StreamRecord) =>
  level.write.stream && (stream.deviceUserEditable || level.write.nonUserEditableDevices);

export function streamLevel(actor: Actor, stream: StreamRecord): AccessLevel {
  return levelAt(actor, relationToStream(actor, stream));
}

export function viewStream(actor: Actor, stream: StreamRecord, mode: ViewMode = 'omit'): Partial<Stream> {
  return streamView(stream, streamLevel(actor, stream).read.streamFields, mode);
}

/** The stream, if the actor may see it; the same answer whether it is missing or hidden. */
export async function findReadableStream(ctx: DomainContext, actor: Actor, name: StreamName) {
  const record = await ctx.storage.getStream(name.user, name.device, name.stream);
  if (!record) return undefined;
  const level = streamLevel(actor, record);
  return canReadStream(level, record) ? { record, level } : undefined;
}

export async function listStreams(
  ctx: DomainContext,
  actor: Actor,
  user: string,
  device: string,
): Promise<Partial<Stream>[]> {
  const found = await findReadableDevice(ctx, actor, user, device);
  if (!found || !found.level.listStreams) throw notFound();
  const streams = await ctx.storage.listStreams(found.record.id);
  return streams.filter((s) => canReadStream(streamLevel(actor, s), s)).map((s) => viewStream(actor, s));
}

export interface UserStreamFilter {
  /** Only streams of public devices. */
  public?: boolean;
  /** Only downlink streams. */
  downlink?: boolean;
  /** Only streams of visible devices (hides `meta`). */
  visible?: boolean;
  /** Tributary extension: only streams carrying this tag. */
  tag?: string;
}

export async function listUserStreams(
  ctx: DomainContext,
  actor: Actor,
  userName: string,
  filter: UserStreamFilter,
): Promise<Partial<UserStream>[]> {
  const user = await ctx.storage.getUser(userName);
  const level = user && levelAt(actor, relationToUser(actor, user));
  if (!user || !level?.read.user || !level.listStreams) throw notFound();
  const [streams, devices] = await Promise.all([
    ctx.storage.listUserStreams(user.id),
    ctx.storage.listDevices(user.id),
  ]);
  const visibleDevices = new Set(devices.filter((d) => d.visible).map((d) => d.id));
  return streams
    .filter(
      (s) =>
        (!filter.public || s.devicePublic) &&
        (!filter.downlink || s.downlink) &&
        (!filter.visible || visibleDevices.has(s.deviceId)) &&
        (filter.tag === undefined || s.tags.includes(filter.tag)),
    )
    .filter((s) => canReadStream(streamLevel(actor, s), s))
    .map((s) => userStreamView(s, streamLevel(actor, s).read.streamFields));
}

export async function readStream(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
): Promise<Partial<Stream>> {
  const found = await findReadableStream(ctx, actor, name);
  if (!found) throw notFound();
  return viewStream(actor, found.record);
}

export async function createStream(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  body: unknown,
): Promise<StreamRecord> {
  checkNameSanitation(name.stream);
  const device = await findReadableDevice(ctx, actor, name.user, name.device);
  if (!device) throw denied();
  const { level, record } = device;
  if (!level.createStream || !(record.user_editable || level.write.nonUserEditableDevices)) {
    throw denied('This device does not have permission to create streams here');
  }
  const stream = parseStreamCreate(name.stream, body, level.write.streamFields);
  try {
    const created = await ctx.storage.createStream(record.id, stream);
    await appendMetaLog(ctx, name.user, { cmd: 'CreateStream', arg: pathOf(name) });
    return created;
  } catch (err) {
    if (err instanceof DuplicateError) throw denied(`The stream '${pathOf(name)}' already exists`);
    throw err;
  }
}

export async function updateStream(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  body: unknown,
): Promise<StreamRecord> {
  const found = await findReadableStream(ctx, actor, name);
  if (!found) throw denied();
  if (!canWriteStream(found.level, found.record))
    throw denied('This device does not have permission to modify this stream');
  const patch = parseStreamPatch(body, found.record, found.level.write.streamFields);
  if (Object.keys(patch).length === 0) return found.record;
  const updated = await ctx.storage.updateStream(found.record.id, patch);
  // A stream that stops being a downlink forgets its pending commands.
  if (patch.downlink === false) await ctx.storage.clearData(found.record.id, 'downlink');
  await appendMetaLog(ctx, name.user, { cmd: 'UpdateStream', arg: pathOf(name) });
  return updated;
}

export async function deleteStream(ctx: DomainContext, actor: Actor, name: StreamName): Promise<void> {
  const found = await findReadableStream(ctx, actor, name);
  if (!found) throw denied();
  if (!found.level.deleteStream || !canWriteStream(found.level, found.record)) {
    throw denied('This device does not have permission to delete this stream');
  }
  await ctx.storage.deleteStream(found.record.id);
  await appendMetaLog(ctx, name.user, { cmd: 'DeleteStream', arg: pathOf(name) });
}
