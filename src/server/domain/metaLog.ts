/**
 * Every user's `meta/log` stream records changes to their things (`{"cmd":"CreateStream","arg":"u/d/s"}`),
 * as ConnectorDB's metalog did. Logging never fails the change it records.
 */
import { DEVICE_DEFAULTS, META_LOG_SCHEMA, STREAM_DEFAULTS, type MetaLogEntry } from '../../core/model';
import type { DeviceTree, StreamRecord } from '../storage/Storage';
import type { DomainContext } from './DomainContext';

export function metaDeviceTree(): DeviceTree {
  return {
    device: {
      ...DEVICE_DEFAULTS,
      name: 'meta',
      apikey: '',
      visible: false,
      user_editable: false,
      description: 'Holds metadata about the user',
      icon: 'material:bug_report',
    },
    streams: [
      {
        ...STREAM_DEFAULTS,
        name: 'log',
        schema: META_LOG_SCHEMA,
        description: 'A log of changes to the user, its devices and streams',
        icon: 'material:assignment',
      },
    ],
  };
}

/** Finds the user's log stream, recreating the meta device or the stream if someone removed them. */
export async function ensureMetaLog(ctx: DomainContext, userName: string): Promise<StreamRecord | undefined> {
  const existing = await ctx.storage.getStream(userName, 'meta', 'log');
  if (existing) return existing;
  const user = await ctx.storage.getUser(userName);
  if (!user) return undefined;
  const tree = metaDeviceTree();
  const device = await ctx.storage.getDevice(userName, 'meta');
  if (device) await ctx.storage.createStream(device.id, tree.streams[0]!);
  else await ctx.storage.createDevice(user.id, tree);
  return ctx.storage.getStream(userName, 'meta', 'log');
}

export async function appendMetaLog(
  ctx: DomainContext,
  userName: string,
  entry: MetaLogEntry,
): Promise<void> {
  try {
    const stream = await ensureMetaLog(ctx, userName);
    if (!stream) return;
    const result = await ctx.storage.insert(stream.id, '', [{ t: ctx.now(), d: entry }], 'restamp');
    if (result.ok) await ctx.bus.publish({ stream: `${userName}/meta/log`, data: result.points });
  } catch (err) {
    console.error(`meta log of ${userName} failed`, err);
  }
}
