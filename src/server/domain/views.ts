/**
 * What a caller sees of an object: only the fields its access level may read. GET responses leave
 * unreadable keys out; device and stream PUT responses keep every key and blank the unreadable
 * ones, as ConnectorDB did (connectordb-v1.md §2.4).
 */
import type { Device, Stream, User, UserStream } from '../../core/model';
import { DEVICE_FIELDS, STREAM_FIELDS, USER_FIELDS } from '../../core/model';
import type { DeviceRecord, StreamRecord, UserRecord } from '../storage/Storage';
import type { DeviceField, StreamField, UserField } from './permissions/accessLevels';

export type ViewMode = 'omit' | 'blank';

const BLANK = { string: '', boolean: false, number: 0, 'string[]': [] as string[] } as const;

function project<T>(
  record: T,
  spec: Record<string, keyof typeof BLANK>,
  readable: ReadonlySet<string>,
  mode: ViewMode,
): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) {
    if (readable.has(key)) out[key] = (record as Record<string, unknown>)[key];
    else if (mode === 'blank') out[key] = BLANK[spec[key]!];
  }
  return out as Partial<T>;
}

export function userView(user: UserRecord, readable: ReadonlySet<UserField>): Partial<User> {
  return project<User>(user, USER_FIELDS, readable, 'omit');
}

export function deviceView(
  device: DeviceRecord,
  readable: ReadonlySet<DeviceField>,
  mode: ViewMode = 'omit',
): Partial<Device> {
  return project<Device>(device, DEVICE_FIELDS, readable, mode);
}

export function streamView(
  stream: StreamRecord,
  readable: ReadonlySet<StreamField>,
  mode: ViewMode = 'omit',
): Partial<Stream> {
  return project<Stream>(stream, STREAM_FIELDS, readable, mode);
}

/** A stream in `q=streams` listings: the stream plus its device's name. */
export function userStreamView(
  stream: StreamRecord,
  readable: ReadonlySet<StreamField>,
): Partial<UserStream> {
  return { ...streamView(stream, readable), device: stream.deviceName };
}
