/**
 * The embedded store: one SQLite file in WAL mode through better-sqlite3. better-sqlite3 is
 * synchronous, so every method runs to completion without interleaving: each call is atomic by
 * construction, and multi-statement calls run inside one transaction.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Datapoint } from '../../../core/model';
import type { M4Result, RollupPlan, RollupSeries } from '../../../core/timeseries';
import type { NumericSamples } from '../series/rollupPeriods';
import {
  DuplicateError,
  type DeviceRecord,
  type DevicePatch,
  type DeviceTree,
  type IdempotencyClaim,
  type IdempotencyRecord,
  type InsertMode,
  type InsertResult,
  type NewStream,
  type NewUser,
  type Storage,
  type StorageCounts,
  type StreamPatch,
  type StreamRecord,
  type Substream,
  type UserPatch,
  type UserRecord,
} from '../Storage';
import {
  BackgroundCheckpointer,
  FALLBACK_AUTOCHECKPOINT_PAGES,
  type CheckpointResult,
} from './BackgroundCheckpointer';
import { LruCache } from '../series/LruCache';
import { GroupCommit } from './GroupCommit';
import { SQLITE_MIGRATIONS } from './migrations';
import { SqliteChunkSeries } from './SqliteChunkSeries';
import { SqliteRowSeries } from './SqliteRowSeries';
import type { SqliteSeries, SubstreamCode } from './SqliteSeries';

export interface SqliteStorageOptions {
  /** Path of the database file, or `:memory:`. */
  filename: string;
  /**
   * `NORMAL` (default) makes every commit survive a crash of the process (kill -9): a commit is in
   * the WAL file before the call returns. `FULL` also survives power loss, at an fsync per commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How datapoints are stored: chunked columnar (default) or one row per datapoint (the benchmark baseline). */
  layout?: 'chunked' | 'rows';
  /**
   * Checkpoint the WAL on a worker thread instead of inside commits (see BackgroundCheckpointer).
   * The server turns this on; short-lived storages in tests leave it off.
   */
  backgroundCheckpoints?: boolean;
}

type Row = Record<string, unknown>;

const USER_COLUMNS = 'id, name, nickname, email, description, icon, role, public, password_hash';
const DEVICE_COLUMNS = `d.id, d.user_id, u.name AS user_name, u.public AS user_public, d.name, d.nickname, d.description, d.icon, d.apikey,
  d.enabled, d.public, d.role, d.visible, d.user_editable`;
const STREAM_COLUMNS = `s.id, s.device_id, d.name AS device_name, d.public AS device_public,
  d.user_editable AS device_user_editable, d.user_id, u.name AS user_name, u.public AS user_public, s.name, s.nickname,
  s.description, s.icon, s.schema, s.datatype, s.ephemeral, s.downlink, s.tags, s.downlink_timeout`;
const DEVICE_FROM = 'devices d JOIN users u ON u.id = d.user_id';
const STREAM_FROM = 'streams s JOIN devices d ON d.id = s.device_id JOIN users u ON u.id = d.user_id';

const substreamCode = (s: Substream): SubstreamCode => (s === 'downlink' ? 1 : 0);

export class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly series: SqliteSeries;
  private readonly commits: GroupCommit;
  private readonly checkpointer: BackgroundCheckpointer | undefined;
  /**
   * Every request looks up its API key and its stream path; those two reads were a quarter of the
   * CPU of a single-datapoint POST. This process is the database's only writer of users, devices
   * and streams (the CLI only adds users and sets passwords, which these records do not depend
   * on), so the cache is exact: any change of those tables empties it, and misses are not cached.
   * Cached records are frozen, because callers share them.
   */
  private readonly lookups = new LruCache<string, object>(10_000);
  /** A fold of a full tail is queued in the group commit (see `foldSoon`). */
  private folding = false;
  private closing = false;

  constructor(options: SqliteStorageOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    const handle = { db: this.db, stmt: (sql: string) => this.stmt(sql) };
    this.series = options.layout === 'rows' ? new SqliteRowSeries(handle) : new SqliteChunkSeries(handle);
    this.commits = new GroupCommit(this.db, () => this.series.forgetCaches());
    if (options.backgroundCheckpoints && options.filename !== ':memory:') {
      this.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      this.checkpointer = new BackgroundCheckpointer(options.filename);
    }
  }

  /** Checkpoints the WAL now, on the worker (undefined without background checkpoints). */
  checkpointNow(): Promise<CheckpointResult> | undefined {
    return this.checkpointer?.checkpointNow();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < SQLITE_MIGRATIONS.length; version++) {
      this.db.transaction(() => {
        this.db.exec(SQLITE_MIGRATIONS[version]!);
        this.db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private get(sql: string, ...params: unknown[]): Row | undefined {
    return this.stmt(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.stmt(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    try {
      return this.stmt(sql).run(...params);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT_UNIQUE')) {
        throw new DuplicateError((err as Error).message);
      }
      throw err;
    }
  }

  async close(): Promise<void> {
    // Tails left unfolded stay in the tail table and are folded after the next start's writes.
    this.closing = true;
    await this.commits.drain();
    await this.checkpointer?.close();
    this.db.close();
  }

  // ---- users ----

  async createUser(user: NewUser, devices: DeviceTree[]): Promise<UserRecord> {
    this.lookups.clear();
    const id = this.db.transaction(() => {
      const result = this.run(
        `INSERT INTO users (name, nickname, email, description, icon, role, public, password_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        user.name,
        user.nickname,
        user.email,
        user.description,
        user.icon,
        user.role,
        user.public ? 1 : 0,
        user.passwordHash,
      );
      const userId = Number(result.lastInsertRowid);
      for (const tree of devices) this.insertDeviceTree(userId, tree);
      return userId;
    })();
    return (await this.getUserById(id))!;
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    return toUser(this.get(`SELECT ${USER_COLUMNS} FROM users WHERE name = ?`, name));
  }

  async getUserById(id: number): Promise<UserRecord | undefined> {
    return toUser(this.get(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, id));
  }

  async findUserForLogin(nameOrEmail: string): Promise<UserRecord | undefined> {
    return toUser(
      this.get(
        `SELECT ${USER_COLUMNS} FROM users WHERE name = ? COLLATE NOCASE OR email = ? COLLATE NOCASE
         ORDER BY name = ? COLLATE NOCASE DESC LIMIT 1`,
        nameOrEmail,
        nameOrEmail,
        nameOrEmail,
      ),
    );
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.all(`SELECT ${USER_COLUMNS} FROM users ORDER BY name`).map((r) => toUser(r)!);
  }

  async updateUser(id: number, patch: UserPatch): Promise<UserRecord> {
    this.lookups.clear();
    const columns: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      columns[key === 'passwordHash' ? 'password_hash' : key] =
        typeof value === 'boolean' ? (value ? 1 : 0) : value;
    }
    this.update('users', id, columns);
    return (await this.getUserById(id))!;
  }

  async deleteUser(id: number): Promise<void> {
    this.lookups.clear();
    this.deletingData(() => {
      this.series.deleteData(
        'SELECT s.id FROM streams s JOIN devices d ON d.id = s.device_id WHERE d.user_id = ?',
        id,
      );
      this.run('DELETE FROM users WHERE id = ?', id);
    });
  }

  async count(): Promise<StorageCounts> {
    const row = this.get(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM devices) AS devices,
              (SELECT count(*) FROM streams) AS streams`,
    )!;
    return { users: Number(row.users), devices: Number(row.devices), streams: Number(row.streams) };
  }

  // ---- devices ----

  async createDevice(userId: number, tree: DeviceTree): Promise<DeviceRecord> {
    this.lookups.clear();
    const id = this.db.transaction(() => this.insertDeviceTree(userId, tree))();
    return (await this.getDeviceById(id))!;
  }

  private insertDeviceTree(userId: number, { device, streams }: DeviceTree): number {
    const result = this.run(
      `INSERT INTO devices (user_id, name, nickname, description, icon, apikey, enabled, public, role, visible, user_editable)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      userId,
      device.name,
      device.nickname,
      device.description,
      device.icon,
      device.apikey,
      device.enabled ? 1 : 0,
      device.public ? 1 : 0,
      device.role,
      device.visible ? 1 : 0,
      device.user_editable ? 1 : 0,
    );
    const deviceId = Number(result.lastInsertRowid);
    for (const stream of streams) this.insertStream(deviceId, stream);
    return deviceId;
  }

  async getDevice(userName: string, deviceName: string): Promise<DeviceRecord | undefined> {
    return toDevice(
      this.get(
        `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE u.name = ? AND d.name = ?`,
        userName,
        deviceName,
      ),
    );
  }

  async getDeviceById(id: number): Promise<DeviceRecord | undefined> {
    return toDevice(this.get(`SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.id = ?`, id));
  }

  async findByApiKey(apikey: string): Promise<{ device: DeviceRecord; user: UserRecord } | undefined> {
    if (apikey === '') return undefined;
    const cacheKey = `key:${apikey}`;
    const cached = this.lookups.get(cacheKey) as { device: DeviceRecord; user: UserRecord } | undefined;
    if (cached) return cached;
    const found = this.readByApiKey(apikey);
    if (found) this.lookups.set(cacheKey, deepFreeze(found));
    return found;
  }

  private readByApiKey(apikey: string): { device: DeviceRecord; user: UserRecord } | undefined {
    // `apikey <> ''` lets SQLite use the partial unique index on keys.
    const row = this.get(
      `SELECT ${DEVICE_COLUMNS}, u.nickname AS u_nickname, u.email AS u_email, u.description AS u_description,
              u.icon AS u_icon, u.role AS u_role, u.password_hash AS u_password_hash
       FROM ${DEVICE_FROM} WHERE d.apikey = ? AND d.apikey <> ''`,
      apikey,
    );
    if (!row) return undefined;
    const device = toDevice(row)!;
    const user = toUser({
      id: row.user_id,
      name: row.user_name,
      nickname: row.u_nickname,
      email: row.u_email,
      description: row.u_description,
      icon: row.u_icon,
      role: row.u_role,
      public: row.user_public,
      password_hash: row.u_password_hash,
    })!;
    return { device, user };
  }

  async listDevices(userId: number): Promise<DeviceRecord[]> {
    return this.all(
      `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.user_id = ? ORDER BY d.name`,
      userId,
    ).map((r) => toDevice(r)!);
  }

  async updateDevice(id: number, patch: DevicePatch): Promise<DeviceRecord> {
    this.lookups.clear();
    this.update('devices', id, sqlValues(patch));
    return (await this.getDeviceById(id))!;
  }

  async deleteDevice(id: number): Promise<void> {
    this.lookups.clear();
    this.deletingData(() => {
      this.series.deleteData('SELECT id FROM streams WHERE device_id = ?', id);
      this.run('DELETE FROM devices WHERE id = ?', id);
    });
  }

  // ---- streams ----

  async createStream(deviceId: number, stream: NewStream): Promise<StreamRecord> {
    this.lookups.clear();
    const id = this.insertStream(deviceId, stream);
    return (await this.getStreamById(id))!;
  }

  private insertStream(deviceId: number, s: NewStream): number {
    const result = this.run(
      `INSERT INTO streams (device_id, name, nickname, description, icon, schema, datatype, ephemeral, downlink, tags, downlink_timeout)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      deviceId,
      s.name,
      s.nickname,
      s.description,
      s.icon,
      s.schema,
      s.datatype,
      s.ephemeral ? 1 : 0,
      s.downlink ? 1 : 0,
      JSON.stringify(s.tags),
      s.downlink_timeout,
    );
    return Number(result.lastInsertRowid);
  }

  async getStream(
    userName: string,
    deviceName: string,
    streamName: string,
  ): Promise<StreamRecord | undefined> {
    // Names cannot contain '/'.
    const cacheKey = `stream:${userName}/${deviceName}/${streamName}`;
    const cached = this.lookups.get(cacheKey) as StreamRecord | undefined;
    if (cached) return cached;
    const found = toStream(
      this.get(
        `SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE u.name = ? AND d.name = ? AND s.name = ?`,
        userName,
        deviceName,
        streamName,
      ),
    );
    if (found) this.lookups.set(cacheKey, deepFreeze(found));
    return found;
  }

  async getStreamById(id: number): Promise<StreamRecord | undefined> {
    return toStream(this.get(`SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE s.id = ?`, id));
  }

  async listStreams(deviceId: number): Promise<StreamRecord[]> {
    return this.all(
      `SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE s.device_id = ? ORDER BY s.name`,
      deviceId,
    ).map((r) => toStream(r)!);
  }

  async listUserStreams(userId: number): Promise<StreamRecord[]> {
    return this.all(
      `SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE d.user_id = ? ORDER BY d.name, s.name`,
      userId,
    ).map((r) => toStream(r)!);
  }

  async updateStream(id: number, patch: StreamPatch): Promise<StreamRecord> {
    this.lookups.clear();
    const values = sqlValues(patch);
    if (patch.tags) values.tags = JSON.stringify(patch.tags);
    this.update('streams', id, values);
    return (await this.getStreamById(id))!;
  }

  async deleteStream(id: number): Promise<void> {
    this.lookups.clear();
    this.deletingData(() => {
      this.series.deleteData('?', id);
      this.run('DELETE FROM streams WHERE id = ?', id);
    });
  }

  /**
   * A transaction that deletes datapoints. If it rolls back, the series' caches (the tail's order
   * among them) may lack what it had deleted: they are rebuilt from the database.
   */
  private deletingData(run: () => void): void {
    try {
      this.db.transaction(run)();
    } catch (error) {
      this.series.forgetCaches();
      throw error;
    }
  }

  private update(table: string, id: number, columns: Record<string, unknown>): void {
    const keys = Object.keys(columns);
    if (keys.length === 0) return;
    // Column names come from typed patches, never from requests, so interpolating them is safe.
    const assignments = keys.map((k) => `${k} = ?`).join(', ');
    this.run(`UPDATE ${table} SET ${assignments} WHERE id = ?`, ...keys.map((k) => columns[k]), id);
  }

  // ---- data ----

  async insert(
    streamId: number,
    substream: Substream,
    points: readonly Datapoint[],
    mode: InsertMode,
    idempotency?: IdempotencyClaim,
  ): Promise<InsertResult> {
    const result = await this.commits.submit((): InsertResult => {
      if (idempotency) {
        const existing = this.readIdempotency(idempotency.scope, idempotency.key);
        if (existing) return { ok: false, reason: 'duplicate', record: existing };
      }
      const plan = this.series.insert(streamId, substreamCode(substream), points, mode);
      if (plan.ok && idempotency) this.writeIdempotency(idempotency);
      return plan;
    });
    this.foldSoon();
    return result;
  }

  /**
   * Folds the tails that reached their fold size, one per group commit, after the writes that
   * filled them were acknowledged: the writes of a group wait for its fold (a few milliseconds),
   * and streams written at the same pace fill their tails together. A fold that fails (a full
   * disk) leaves its tail as it was, to be tried again after the next write.
   */
  private foldSoon(): void {
    if (this.folding || this.closing || !this.series.hasFoldDue()) return;
    this.folding = true;
    this.commits
      .submit(() => this.series.foldDue())
      .then(
        () => {
          this.folding = false;
          this.foldSoon();
        },
        (error: unknown) => {
          this.folding = false;
          console.error(`folding a stream's tail into chunks failed: ${(error as Error).message}`);
        },
      );
  }

  async readByIndex(
    streamId: number,
    substream: Substream,
    start: number,
    end: number,
  ): Promise<Datapoint[]> {
    return this.series.readByIndex(streamId, substreamCode(substream), start, end);
  }

  async readSamples(
    streamId: number,
    substream: Substream,
    start: number,
    end: number,
  ): Promise<NumericSamples> {
    return this.series.readSamples(streamId, substreamCode(substream), start, end);
  }

  async readByTime(
    streamId: number,
    substream: Substream,
    t1: number,
    t2: number | undefined,
    limit: number,
  ): Promise<Datapoint[]> {
    return this.series.readByTime(streamId, substreamCode(substream), t1, t2, limit);
  }

  async length(streamId: number, substream: Substream): Promise<number> {
    return this.series.length(streamId, substreamCode(substream));
  }

  async timeToIndex(streamId: number, substream: Substream, t: number): Promise<number> {
    return this.series.timeToIndex(streamId, substreamCode(substream), t);
  }

  async readRollup(
    streamId: number,
    substream: Substream,
    level: number,
    t0: number,
    t1: number,
  ): Promise<RollupSeries> {
    return this.series.readRollup(streamId, substreamCode(substream), level, t0, t1);
  }

  async plotRollup(
    streamId: number,
    substream: Substream,
    plan: RollupPlan,
    scratch?: ArrayBuffer,
  ): Promise<M4Result> {
    return this.series.plotRollup(streamId, substreamCode(substream), plan, scratch);
  }

  async clearData(streamId: number, substream: Substream): Promise<void> {
    this.deletingData(() => this.series.deleteData('?', streamId, substreamCode(substream)));
  }

  // ---- idempotency ----

  private readIdempotency(scope: string, key: string): IdempotencyRecord | undefined {
    const row = this.get(
      'SELECT request_hash, status, body, created_at FROM idempotency WHERE scope = ? AND key = ?',
      scope,
      key,
    );
    return row
      ? {
          requestHash: String(row.request_hash),
          status: Number(row.status),
          body: String(row.body),
          createdAt: Number(row.created_at),
        }
      : undefined;
  }

  private writeIdempotency(claim: IdempotencyClaim): void {
    this.run(
      'INSERT INTO idempotency (scope, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      claim.scope,
      claim.key,
      claim.requestHash,
      claim.status,
      claim.body,
      Date.now() / 1000,
    );
  }

  async getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.readIdempotency(scope, key);
  }

  async putIdempotency(claim: IdempotencyClaim): Promise<IdempotencyRecord | undefined> {
    return this.db.transaction(() => {
      const existing = this.readIdempotency(claim.scope, claim.key);
      if (existing) return existing;
      this.writeIdempotency(claim);
      return undefined;
    })();
  }

  async pruneIdempotency(before: number): Promise<void> {
    this.run('DELETE FROM idempotency WHERE created_at < ?', before);
  }

  // ---- sessions ----

  async createSession(tokenHash: string, deviceId: number, expiresAt: number): Promise<void> {
    this.run(
      'INSERT INTO sessions (token_hash, device_id, expires_at) VALUES (?, ?, ?)',
      tokenHash,
      deviceId,
      expiresAt,
    );
  }

  async getSession(tokenHash: string): Promise<{ deviceId: number; expiresAt: number } | undefined> {
    const row = this.get('SELECT device_id, expires_at FROM sessions WHERE token_hash = ?', tokenHash);
    return row ? { deviceId: Number(row.device_id), expiresAt: Number(row.expires_at) } : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.run('DELETE FROM sessions WHERE token_hash = ?', tokenHash);
  }

  async deleteDeviceSessions(deviceId: number): Promise<void> {
    this.run('DELETE FROM sessions WHERE device_id = ?', deviceId);
  }

  async pruneSessions(before: number): Promise<void> {
    this.run('DELETE FROM sessions WHERE expires_at < ?', before);
  }

  // ---- login failures ----

  async recordLoginFailure(address: string, at: number): Promise<void> {
    this.run('INSERT INTO login_failures (address, at) VALUES (?, ?)', address, at);
  }

  async countLoginFailures(address: string, since: number): Promise<number> {
    const row = this.get(
      'SELECT count(*) AS n FROM login_failures WHERE address = ? AND at >= ?',
      address,
      since,
    );
    return Number(row?.n ?? 0);
  }

  async clearLoginFailures(address: string): Promise<void> {
    this.run('DELETE FROM login_failures WHERE address = ?', address);
  }
}

/** Freezes a record and what it holds, so a cached one cannot be changed by a caller. */
function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

function sqlValues(patch: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return out;
}

function toUser(r: Row | undefined): UserRecord | undefined {
  if (!r) return undefined;
  return {
    id: Number(r.id),
    name: String(r.name),
    nickname: String(r.nickname),
    email: String(r.email),
    description: String(r.description),
    icon: String(r.icon),
    role: String(r.role),
    public: r.public === 1,
    passwordHash: String(r.password_hash),
  };
}

function toDevice(r: Row | undefined): DeviceRecord | undefined {
  if (!r) return undefined;
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    userName: String(r.user_name),
    userPublic: r.user_public === 1,
    name: String(r.name),
    nickname: String(r.nickname),
    description: String(r.description),
    icon: String(r.icon),
    apikey: String(r.apikey),
    enabled: r.enabled === 1,
    public: r.public === 1,
    role: String(r.role),
    visible: r.visible === 1,
    user_editable: r.user_editable === 1,
  };
}

function toStream(r: Row | undefined): StreamRecord | undefined {
  if (!r) return undefined;
  return {
    id: Number(r.id),
    deviceId: Number(r.device_id),
    deviceName: String(r.device_name),
    devicePublic: r.device_public === 1,
    deviceUserEditable: r.device_user_editable === 1,
    userId: Number(r.user_id),
    userName: String(r.user_name),
    userPublic: r.user_public === 1,
    name: String(r.name),
    nickname: String(r.nickname),
    description: String(r.description),
    icon: String(r.icon),
    schema: String(r.schema),
    datatype: String(r.datatype),
    ephemeral: r.ephemeral === 1,
    downlink: r.downlink === 1,
    tags: JSON.parse(String(r.tags)) as string[],
    downlink_timeout: Number(r.downlink_timeout),
  };
}
