/**
 * What the sdk accepts when creating or updating users, devices and streams (contract §2.4). Names
 * are never part of a patch: the server refuses renames.
 */
import type { Device, Stream, User } from '../core/model';

/**
 * A JSON Schema given as an object; the sdk serialises it, since the wire carries schemas as
 * strings.
 */
export type JsonSchemaObject = Record<string, unknown>;

/** Fields of a new stream. Everything is optional; the server fills defaults (`schema: "{}"`). */
export interface StreamCreate {
  /** A JSON Schema (draft 4) as an object or as a JSON string; sent as a string. */
  schema?: string | JsonSchemaObject;
  nickname?: string;
  description?: string;
  icon?: string;
  /** UI hint, dotted (`rating.stars`, `log.diary`, `location.gps`, …). */
  datatype?: string;
  /** Validate and publish, but do not store. */
  ephemeral?: boolean;
  /** Writes by other devices go to the `downlink` substream. */
  downlink?: boolean;
  /** Tributary extension. */
  tags?: string[];
  /** Tributary extension: seconds to wait for a downlink acknowledgement (0 = default). */
  downlink_timeout?: number;
}

/** A partial update of a stream. */
export type StreamPatch = StreamCreate;

/** Fields of a new device, optionally with streams to create inside it. */
export interface DeviceCreate {
  nickname?: string;
  description?: string;
  icon?: string;
  enabled?: boolean;
  public?: boolean;
  /** Device role: `''` (= none), `reader`, `writer` or `user`. */
  role?: string;
  visible?: boolean;
  user_editable?: boolean;
  streams?: Record<string, StreamCreate>;
}

/** A partial update of a device. `apikey: ''` regenerates the key (see `resetApiKey`). */
export type DevicePatch = Partial<Omit<Device, 'name'>>;

/** Fields of a new user; `devices` may not contain `user` or `meta`, `streams` go into the `user` device. */
export interface UserCreate {
  email: string;
  password: string;
  role?: string;
  public?: boolean;
  nickname?: string;
  description?: string;
  icon?: string;
  devices?: Record<string, DeviceCreate>;
  streams?: Record<string, StreamCreate>;
}

/** A partial update of a user; `password` re-hashes it. */
export type UserPatch = Partial<Omit<User, 'name'>> & { password?: string };

/** A stream's fields as sent: the schema as a string. */
export function streamToWire(props: StreamCreate): Partial<Omit<Stream, 'name'>> {
  const { schema, ...rest } = props;
  return schema === undefined
    ? rest
    : { ...rest, schema: typeof schema === 'string' ? schema : JSON.stringify(schema) };
}

/** A device's fields as sent, nested stream schemas as strings. */
export function deviceToWire(props: DeviceCreate): Record<string, unknown> {
  const { streams, ...rest } = props;
  return streams === undefined ? rest : { ...rest, streams: mapValues(streams, streamToWire) };
}

/** A user's fields as sent, nested device and stream schemas as strings. */
export function userToWire(props: UserCreate): Record<string, unknown> {
  const { devices, streams, ...rest } = props;
  const out: Record<string, unknown> = { ...rest };
  if (devices !== undefined) out.devices = mapValues(devices, deviceToWire);
  if (streams !== undefined) out.streams = mapValues(streams, streamToWire);
  return out;
}

function mapValues<A, B>(record: Record<string, A>, f: (a: A) => B): Record<string, B> {
  const out: Record<string, B> = {};
  for (const [key, value] of Object.entries(record)) out[key] = f(value);
  return out;
}
