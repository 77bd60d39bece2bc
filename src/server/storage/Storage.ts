/**
 * The storage contract. Every adapter (SQLite, PostgreSQL) implements it and passes the same
 * contract suite (`testing/storageContract.ts`). Nothing outside `src/server/storage/` talks SQL.
 *
 * Permission checks, schema validation and the wire format live above this layer; storage keeps
 * objects and datapoints, enforces uniqueness, and makes each call atomic.
 */
import type { Datapoint, Device, Stream, User } from '../../core/model';
import type { M4Result, RollupPlan, RollupSeries } from '../../core/timeseries';
import type { NumericSamples } from './series/rollupPeriods';

export interface UserRecord extends User {
  id: number;
  passwordHash: string;
}

export interface DeviceRecord extends Device {
  id: number;
  userId: number;
  userName: string;
  /** The owner's `public` flag, which permission checks need with every device. */
  userPublic: boolean;
}

export interface StreamRecord extends Stream {
  id: number;
  deviceId: number;
  deviceName: string;
  userId: number;
  userName: string;
  /** The device's and owner's flags, which permission checks need with every stream. */
  devicePublic: boolean;
  deviceUserEditable: boolean;
  userPublic: boolean;
}

export type NewUser = Omit<UserRecord, 'id'>;
export type NewDevice = Omit<Device, never>;
export type NewStream = Omit<Stream, never>;
/** A device to create together with its streams. */
export interface DeviceTree {
  device: NewDevice;
  streams: NewStream[];
}

export type UserPatch = Partial<Omit<UserRecord, 'id' | 'name'>>;
export type DevicePatch = Partial<Omit<Device, 'name'>>;
export type StreamPatch = Partial<Omit<Stream, 'name'>>;

/** `''` is a stream's own data; `'downlink'` its downlink substream (commands not yet acknowledged). */
export type Substream = '' | 'downlink';

/**
 * How an insert treats timestamps older than the stream's last one:
 * - `append` (POST): refuse the batch;
 * - `restamp` (PUT, websocket): move them up to the last timestamp;
 * - `insert` (Tributary's `?method=insert`): store them in time order wherever they fall.
 */
export type InsertMode = 'append' | 'restamp' | 'insert';

/** A write the client may retry; remembered so that a replay inserts nothing again. */
export interface IdempotencyClaim {
  /** Who may replay (the writing device's id), so keys of different devices never collide. */
  scope: string;
  key: string;
  /** A hash of the request (method, path, parameters, body). */
  requestHash: string;
  /** The response to replay. */
  status: number;
  body: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  status: number;
  body: string;
  createdAt: number;
}

export type InsertResult =
  | { ok: true; points: Datapoint[] }
  | { ok: false; reason: 'older' | 'unordered' }
  /** Another request with the same idempotency key committed first. */
  | { ok: false; reason: 'duplicate'; record: IdempotencyRecord };

export interface StorageCounts {
  users: number;
  devices: number;
  streams: number;
}

/** Raised for a uniqueness violation (a name or email already taken). */
export class DuplicateError extends Error {
  override name = 'DuplicateError';
}

export interface Storage {
  /** `sqlite`, `postgres`, …, for logs and benchmark tables. */
  readonly kind: string;
  close(): Promise<void>;

  // Users. Creating a user creates its device trees (the `user` and `meta` devices included) atomically.
  createUser(user: NewUser, devices: DeviceTree[]): Promise<UserRecord>;
  getUser(name: string): Promise<UserRecord | undefined>;
  getUserById(id: number): Promise<UserRecord | undefined>;
  /** Finds a user by name or email, ignoring case (how people type them at a login prompt). */
  findUserForLogin(nameOrEmail: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  updateUser(id: number, patch: UserPatch): Promise<UserRecord>;
  /** Deletes the user with all its devices, streams and data. */
  deleteUser(id: number): Promise<void>;
  count(): Promise<StorageCounts>;

  // Devices.
  createDevice(userId: number, tree: DeviceTree): Promise<DeviceRecord>;
  getDevice(userName: string, deviceName: string): Promise<DeviceRecord | undefined>;
  getDeviceById(id: number): Promise<DeviceRecord | undefined>;
  /** The device with this API key and its user, in one lookup: every API-key request needs both. */
  findByApiKey(apikey: string): Promise<{ device: DeviceRecord; user: UserRecord } | undefined>;
  listDevices(userId: number): Promise<DeviceRecord[]>;
  updateDevice(id: number, patch: DevicePatch): Promise<DeviceRecord>;
  deleteDevice(id: number): Promise<void>;

  // Streams.
  createStream(deviceId: number, stream: NewStream): Promise<StreamRecord>;
  getStream(userName: string, deviceName: string, streamName: string): Promise<StreamRecord | undefined>;
  getStreamById(id: number): Promise<StreamRecord | undefined>;
  listStreams(deviceId: number): Promise<StreamRecord[]>;
  listUserStreams(userId: number): Promise<StreamRecord[]>;
  updateStream(id: number, patch: StreamPatch): Promise<StreamRecord>;
  deleteStream(id: number): Promise<void>;

  // Data. Datapoints are kept in time order; equal timestamps keep their insertion order.
  /**
   * Inserts a batch atomically. Points must already have their final `t` (no zeros) and validated
   * `d`; ordering rules follow `mode`. With an idempotency claim, the claim is recorded in the same
   * transaction, so a crash can never leave data without its claim or the other way round.
   */
  insert(
    streamId: number,
    substream: Substream,
    points: readonly Datapoint[],
    mode: InsertMode,
    idempotency?: IdempotencyClaim,
  ): Promise<InsertResult>;
  /** Datapoints at positions [start, end) (absolute, already clamped by the caller). */
  readByIndex(streamId: number, substream: Substream, start: number, end: number): Promise<Datapoint[]>;
  /**
   * The plottable values at positions [start, end): finite numbers, and booleans as 0 and 1; other
   * values are left out. For raw plots, which would otherwise make a datapoint object per point.
   */
  readSamples(streamId: number, substream: Substream, start: number, end: number): Promise<NumericSamples>;
  /** Datapoints with t1 < t <= t2 (t2 undefined: no upper bound), at most `limit` (0: no limit). */
  readByTime(
    streamId: number,
    substream: Substream,
    t1: number,
    t2: number | undefined,
    limit: number,
  ): Promise<Datapoint[]>;
  length(streamId: number, substream: Substream): Promise<number>;
  /** The position of the first datapoint with a timestamp greater than `t`. */
  timeToIndex(streamId: number, substream: Substream, t: number): Promise<number>;
  /**
   * The buckets of one rollup level (seconds, one of ROLLUP_LEVELS) overlapping [t0, t1), over the
   * numeric datapoints (booleans count as 0 and 1). Plots and downsampling read these.
   */
  readRollup(
    streamId: number,
    substream: Substream,
    level: number,
    t0: number,
    t1: number,
  ): Promise<RollupSeries>;
  /**
   * The M4 plot of a plan that reads a rollup level (`m4FromRollup` over the level's buckets in
   * the plan's columns), written into `scratch` when given (see `allocateM4`). Computed inside
   * the adapter from the M4 columns alone, neither copied into one series nor decoded beyond
   * those columns, which a plot of a long window would spend most of its time on.
   */
  plotRollup(
    streamId: number,
    substream: Substream,
    plan: RollupPlan,
    scratch?: ArrayBuffer,
  ): Promise<M4Result>;
  /** Deletes every datapoint of a substream (turning `downlink` off wipes the downlink). */
  clearData(streamId: number, substream: Substream): Promise<void>;

  // Idempotency keys.
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Records a claim; returns the existing record instead when the key was claimed first. */
  putIdempotency(claim: IdempotencyClaim): Promise<IdempotencyRecord | undefined>;
  /** Forgets claims older than `before` (unix seconds). */
  pruneIdempotency(before: number): Promise<void>;

  // Cookie sessions (shared by every server on the same database).
  createSession(tokenHash: string, deviceId: number, expiresAt: number): Promise<void>;
  getSession(tokenHash: string): Promise<{ deviceId: number; expiresAt: number } | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of a device (its API key changed; in ConnectorDB the cookie held the key). */
  deleteDeviceSessions(deviceId: number): Promise<void>;
  pruneSessions(before: number): Promise<void>;

  // Failed logins per client address, for rate limiting.
  recordLoginFailure(address: string, at: number): Promise<void>;
  countLoginFailures(address: string, since: number): Promise<number>;
  clearLoginFailures(address: string): Promise<void>;
}
