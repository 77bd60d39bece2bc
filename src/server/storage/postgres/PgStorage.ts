/**
 * The PostgreSQL store, for several stateless servers on one database. Same tables and behaviour
 * as the SQLite store; every call is atomic (one statement or one transaction), and every server
 * sees every other server's writes as soon as they commit. Writes to one substream are serialised
 * by a row lock on its stats row (see PgWriteTransaction); small writes share transactions
 * (PgGroupCommit). An acknowledged write has committed.
 */
import type { Pool, PoolClient } from 'pg';
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
import { migrate } from './migrations';
import {
  createPool,
  isRetryable,
  isUniqueViolation,
  prepared,
  rollback,
  type PgConnectionOptions,
} from './pgConnection';
import { PgChunkSeries } from './PgChunkSeries';
import { PgGroupCommit } from './PgGroupCommit';
import { PgWriteTransaction, type SubstreamCode } from './PgWriteTransaction';

export type PgStorageOptions = PgConnectionOptions;

type Row = Record<string, unknown>;

interface InsertWrite {
  key: string;
  streamId: number;
  sub: SubstreamCode;
  points: readonly Datapoint[];
  mode: InsertMode;
  claim: IdempotencyClaim | undefined;
}

const USER_COLUMNS = 'id, name, nickname, email, description, icon, role, public, password_hash';
const DEVICE_COLUMNS = `d.id, d.user_id, u.name AS user_name, u.public AS user_public, d.name, d.nickname, d.description, d.icon, d.apikey,
  d.enabled, d.public, d.role, d.visible, d.user_editable`;
const STREAM_COLUMNS = `s.id, s.device_id, d.name AS device_name, d.public AS device_public,
  d.user_editable AS device_user_editable, d.user_id, u.name AS user_name, u.public AS user_public, s.name, s.nickname,
  s.description, s.icon, s.schema, s.datatype, s.ephemeral, s.downlink, s.tags, s.downlink_timeout`;
const DEVICE_FROM = 'devices d JOIN users u ON u.id = d.user_id';
const STREAM_FROM = 'streams s JOIN devices d ON d.id = s.device_id JOIN users u ON u.id = d.user_id';

const substreamCode = (s: Substream): SubstreamCode => (s === 'downlink' ? 1 : 0);

export class PgStorage implements Storage {
  readonly kind = 'postgres';
  private readonly series: PgChunkSeries;
  private readonly commits: PgGroupCommit<InsertWrite, InsertResult>;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    /** The schema holding the tables (the bus names its channel after it). */
    readonly schema: string,
  ) {
    this.series = new PgChunkSeries(pool);
    this.commits = new PgGroupCommit((writes) => this.runInserts(writes));
  }

  /** Connects, and brings the schema up to date (safe when several servers start together). */
  static async open(options: PgStorageOptions): Promise<PgStorage> {
    const pool = createPool(options);
    try {
      const client = await pool.connect();
      try {
        await migrate(client, options.schema);
        const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
        return new PgStorage(pool, rows[0]!.schema);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commits.drain();
    await this.pool.end();
  }

  private async rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    if (params.some((p) => typeof p === 'string' && p.includes('\0'))) {
      // PostgreSQL text cannot hold NUL, so no stored value has one: such a lookup or deletion
      // matches nothing (SQLite would say the same), and such a value cannot be stored.
      if (/^\s*(SELECT|DELETE)\b/.test(sql)) return [];
      throw new Error('PostgreSQL cannot store text containing the NUL character');
    }
    try {
      return (await this.pool.query(prepared(sql, params))).rows as Row[];
    } catch (err) {
      throw mapError(err);
    }
  }

  private async row(sql: string, params: unknown[] = []): Promise<Row | undefined> {
    return (await this.rows(sql, params))[0];
  }

  /** Runs `work` in a transaction, again if it deadlocked; maps uniqueness violations. */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        broken = await rollback(client);
        if (!isRetryable(err) || attempt >= 5) throw mapError(err);
      } finally {
        client.release(broken);
      }
    }
  }

  // ---- users ----

  async createUser(user: NewUser, devices: DeviceTree[]): Promise<UserRecord> {
    const id = await this.transaction(async (client) => {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO users (name, nickname, email, description, icon, role, public, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          user.name,
          user.nickname,
          user.email,
          user.description,
          user.icon,
          user.role,
          user.public,
          user.passwordHash,
        ],
      );
      const userId = rows[0]!.id;
      for (const tree of devices) await this.insertDeviceTree(client, userId, tree);
      return userId;
    });
    return (await this.getUserById(id))!;
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    return toUser(await this.row(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name]));
  }

  async getUserById(id: number): Promise<UserRecord | undefined> {
    return toUser(await this.row(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]));
  }

  async findUserForLogin(nameOrEmail: string): Promise<UserRecord | undefined> {
    return toUser(
      await this.row(
        `SELECT ${USER_COLUMNS} FROM users WHERE lower(name) = lower($1) OR lower(email) = lower($1)
         ORDER BY lower(name) = lower($1) DESC LIMIT 1`,
        [nameOrEmail],
      ),
    );
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.rows(`SELECT ${USER_COLUMNS} FROM users ORDER BY name COLLATE "C"`)).map((r) =>
      toUser(r)!,
    );
  }

  async updateUser(id: number, patch: UserPatch): Promise<UserRecord> {
    const columns: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) columns[key === 'passwordHash' ? 'password_hash' : key] = value;
    }
    await this.update('users', id, columns);
    return (await this.getUserById(id))!;
  }

  async deleteUser(id: number): Promise<void> {
    await this.transaction(async (client) => {
      const streams = await this.lockStreams(
        client,
        'SELECT s.id FROM streams s JOIN devices d ON d.id = s.device_id WHERE d.user_id = $1',
        id,
      );
      await this.series.deleteData(client, streams);
      await client.query('DELETE FROM users WHERE id = $1', [id]);
    });
  }

  async count(): Promise<StorageCounts> {
    const row = (await this.row(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM devices) AS devices,
              (SELECT count(*) FROM streams) AS streams`,
    ))!;
    return { users: Number(row.users), devices: Number(row.devices), streams: Number(row.streams) };
  }

  // ---- devices ----

  async createDevice(userId: number, tree: DeviceTree): Promise<DeviceRecord> {
    const id = await this.transaction((client) => this.insertDeviceTree(client, userId, tree));
    return (await this.getDeviceById(id))!;
  }

  private async insertDeviceTree(
    client: PoolClient,
    userId: number,
    { device, streams }: DeviceTree,
  ): Promise<number> {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO devices (user_id, name, nickname, description, icon, apikey, enabled, public, role, visible, user_editable)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        userId,
        device.name,
        device.nickname,
        device.description,
        device.icon,
        device.apikey,
        device.enabled,
        device.public,
        device.role,
        device.visible,
        device.user_editable,
      ],
    );
    const deviceId = rows[0]!.id;
    for (const stream of streams) await this.insertStream(client, deviceId, stream);
    return deviceId;
  }

  async getDevice(userName: string, deviceName: string): Promise<DeviceRecord | undefined> {
    return toDevice(
      await this.row(`SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE u.name = $1 AND d.name = $2`, [
        userName,
        deviceName,
      ]),
    );
  }

  async getDeviceById(id: number): Promise<DeviceRecord | undefined> {
    return toDevice(await this.row(`SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.id = $1`, [id]));
  }

  async findByApiKey(apikey: string): Promise<{ device: DeviceRecord; user: UserRecord } | undefined> {
    if (apikey === '') return undefined;
    // `apikey <> ''` lets the planner use the partial unique index on keys.
    const row = await this.row(
      `SELECT ${DEVICE_COLUMNS}, u.nickname AS u_nickname, u.email AS u_email, u.description AS u_description,
              u.icon AS u_icon, u.role AS u_role, u.password_hash AS u_password_hash
       FROM ${DEVICE_FROM} WHERE d.apikey = $1 AND d.apikey <> ''`,
      [apikey],
    );
    if (!row) return undefined;
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
    return { device: toDevice(row)!, user };
  }

  async listDevices(userId: number): Promise<DeviceRecord[]> {
    return (
      await this.rows(
        `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.user_id = $1 ORDER BY d.name COLLATE "C"`,
        [userId],
      )
    ).map((r) => toDevice(r)!);
  }

  async updateDevice(id: number, patch: DevicePatch): Promise<DeviceRecord> {
    await this.update('devices', id, definedValues(patch));
    return (await this.getDeviceById(id))!;
  }

  async deleteDevice(id: number): Promise<void> {
    await this.transaction(async (client) => {
      const streams = await this.lockStreams(client, 'SELECT id FROM streams WHERE device_id = $1', id);
      await this.series.deleteData(client, streams);
      await client.query('DELETE FROM devices WHERE id = $1', [id]);
    });
  }

  // ---- streams ----

  async createStream(deviceId: number, stream: NewStream): Promise<StreamRecord> {
    const id = await this.transaction((client) => this.insertStream(client, deviceId, stream));
    return (await this.getStreamById(id))!;
  }

  /** Inserts a stream with the stats rows of its two substreams (the anchors of their locks). */
  private async insertStream(client: PoolClient, deviceId: number, s: NewStream): Promise<number> {
    const { rows } = await client.query<{ id: number }>(
      `WITH stream AS (
         INSERT INTO streams (device_id, name, nickname, description, icon, schema, datatype, ephemeral, downlink, tags, downlink_timeout)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id
       ), stats AS (
         INSERT INTO stream_stats (stream_id, substream) SELECT id, sub FROM stream, (VALUES (0), (1)) AS v(sub)
       )
       SELECT id FROM stream`,
      [
        deviceId,
        s.name,
        s.nickname,
        s.description,
        s.icon,
        s.schema,
        s.datatype,
        s.ephemeral,
        s.downlink,
        s.tags,
        s.downlink_timeout,
      ],
    );
    return rows[0]!.id;
  }

  async getStream(
    userName: string,
    deviceName: string,
    streamName: string,
  ): Promise<StreamRecord | undefined> {
    return toStream(
      await this.row(
        `SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE u.name = $1 AND d.name = $2 AND s.name = $3`,
        [userName, deviceName, streamName],
      ),
    );
  }

  async getStreamById(id: number): Promise<StreamRecord | undefined> {
    return toStream(await this.row(`SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE s.id = $1`, [id]));
  }

  async listStreams(deviceId: number): Promise<StreamRecord[]> {
    return (
      await this.rows(
        `SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE s.device_id = $1 ORDER BY s.name COLLATE "C"`,
        [deviceId],
      )
    ).map((r) => toStream(r)!);
  }

  async listUserStreams(userId: number): Promise<StreamRecord[]> {
    return (
      await this.rows(
        `SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE d.user_id = $1
         ORDER BY d.name COLLATE "C", s.name COLLATE "C"`,
        [userId],
      )
    ).map((r) => toStream(r)!);
  }

  async updateStream(id: number, patch: StreamPatch): Promise<StreamRecord> {
    await this.update('streams', id, definedValues(patch));
    return (await this.getStreamById(id))!;
  }

  async deleteStream(id: number): Promise<void> {
    await this.transaction(async (client) => {
      const streams = await this.lockStreams(client, 'SELECT $1::integer', id);
      await this.series.deleteData(client, streams);
      await client.query('DELETE FROM streams WHERE id = $1', [id]);
    });
  }

  private async update(table: string, id: number, columns: Record<string, unknown>): Promise<void> {
    const keys = Object.keys(columns);
    if (keys.length === 0) return;
    // Column names come from typed patches, never from requests, so interpolating them is safe.
    const assignments = keys.map((k, i) => `${k} = $${i + 2}`).join(', ');
    await this.rows(`UPDATE ${table} SET ${assignments} WHERE id = $1`, [id, ...keys.map((k) => columns[k])]);
  }

  /**
   * Locks the stats rows of the streams selected by `streamIdSql` (with `$1` = param), in the
   * order writers lock them, and returns the stream ids: a deletion waits for writes in flight.
   */
  private async lockStreams(client: PoolClient, streamIdSql: string, param: number): Promise<number[]> {
    const { rows } = await client.query<{ stream_id: number }>(
      `SELECT stream_id FROM stream_stats WHERE stream_id IN (${streamIdSql})
       ORDER BY stream_id, substream FOR UPDATE`,
      [param],
    );
    return [...new Set(rows.map((r) => r.stream_id))];
  }

  // ---- data ----

  async insert(
    streamId: number,
    substream: Substream,
    points: readonly Datapoint[],
    mode: InsertMode,
    idempotency?: IdempotencyClaim,
  ): Promise<InsertResult> {
    const sub = substreamCode(substream);
    return this.commits.submit({
      key: `${streamId}:${sub}`,
      streamId,
      sub,
      points,
      mode,
      claim: idempotency,
    });
  }

  /** One group of inserts in one transaction (see PgGroupCommit and PgWriteTransaction). */
  private async runInserts(writes: readonly InsertWrite[]): Promise<InsertResult[]> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const tx = await PgWriteTransaction.begin(
        client,
        writes,
        writes.flatMap((w) => (w.claim ? [w.claim] : [])),
      );
      const results: InsertResult[] = [];
      for (const write of writes) {
        const existing = write.claim && tx.findClaim(write.claim.scope, write.claim.key);
        if (existing) {
          results.push({ ok: false, reason: 'duplicate', record: existing });
          continue;
        }
        const plan = await this.series.insert(tx, write.streamId, write.sub, write.points, write.mode);
        if (plan.ok && write.claim) tx.addClaim(write.claim);
        results.push(plan);
      }
      await tx.commit();
      return results;
    } catch (err) {
      broken = await rollback(client);
      throw err;
    } finally {
      // A connection that could not even roll back is discarded rather than reused.
      client.release(broken);
    }
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
    await this.transaction(async (client) => {
      const streams = await this.lockStreams(client, 'SELECT $1::integer', streamId);
      await this.series.deleteData(client, streams, substreamCode(substream));
    });
  }

  // ---- idempotency ----

  async getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    return toIdempotency(
      await this.row(
        'SELECT request_hash, status, body, created_at FROM idempotency WHERE scope = $1 AND key = $2',
        [scope, key],
      ),
    );
  }

  async putIdempotency(claim: IdempotencyClaim): Promise<IdempotencyRecord | undefined> {
    // ON CONFLICT waits for a concurrent claim of the same key to commit or roll back, so exactly
    // one of two racing servers records it; the other gets the winner's record.
    for (;;) {
      const inserted = await this.row(
        `INSERT INTO idempotency (scope, key, request_hash, status, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING RETURNING 1 AS ok`,
        [claim.scope, claim.key, claim.requestHash, claim.status, claim.body, Date.now() / 1000],
      );
      if (inserted) return undefined;
      const existing = await this.getIdempotency(claim.scope, claim.key);
      // Pruned between the two statements: claim it again.
      if (existing) return existing;
    }
  }

  async pruneIdempotency(before: number): Promise<void> {
    await this.rows('DELETE FROM idempotency WHERE created_at < $1', [before]);
  }

  // ---- sessions ----

  async createSession(tokenHash: string, deviceId: number, expiresAt: number): Promise<void> {
    await this.rows('INSERT INTO sessions (token_hash, device_id, expires_at) VALUES ($1, $2, $3)', [
      tokenHash,
      deviceId,
      expiresAt,
    ]);
  }

  async getSession(tokenHash: string): Promise<{ deviceId: number; expiresAt: number } | undefined> {
    const row = await this.row('SELECT device_id, expires_at FROM sessions WHERE token_hash = $1', [
      tokenHash,
    ]);
    return row ? { deviceId: Number(row.device_id), expiresAt: Number(row.expires_at) } : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.rows('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteDeviceSessions(deviceId: number): Promise<void> {
    await this.rows('DELETE FROM sessions WHERE device_id = $1', [deviceId]);
  }

  async pruneSessions(before: number): Promise<void> {
    await this.rows('DELETE FROM sessions WHERE expires_at < $1', [before]);
  }

  // ---- login failures ----

  async recordLoginFailure(address: string, at: number): Promise<void> {
    await this.rows('INSERT INTO login_failures (address, at) VALUES ($1, $2)', [address, at]);
  }

  async countLoginFailures(address: string, since: number): Promise<number> {
    const row = await this.row('SELECT count(*) AS n FROM login_failures WHERE address = $1 AND at >= $2', [
      address,
      since,
    ]);
    return Number(row?.n ?? 0);
  }

  async clearLoginFailures(address: string): Promise<void> {
    await this.rows('DELETE FROM login_failures WHERE address = $1', [address]);
  }
}

function mapError(err: unknown): unknown {
  return isUniqueViolation(err) ? new DuplicateError((err as Error).message) : err;
}

function definedValues(patch: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) out[key] = value;
  return out;
}

function toIdempotency(r: Row | undefined): IdempotencyRecord | undefined {
  if (!r) return undefined;
  return {
    requestHash: String(r.request_hash),
    status: Number(r.status),
    body: String(r.body),
    createdAt: Number(r.created_at),
  };
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
    public: r.public === true,
    passwordHash: String(r.password_hash),
  };
}

function toDevice(r: Row | undefined): DeviceRecord | undefined {
  if (!r) return undefined;
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    userName: String(r.user_name),
    userPublic: r.user_public === true,
    name: String(r.name),
    nickname: String(r.nickname),
    description: String(r.description),
    icon: String(r.icon),
    apikey: String(r.apikey),
    enabled: r.enabled === true,
    public: r.public === true,
    role: String(r.role),
    visible: r.visible === true,
    user_editable: r.user_editable === true,
  };
}

function toStream(r: Row | undefined): StreamRecord | undefined {
  if (!r) return undefined;
  return {
    id: Number(r.id),
    deviceId: Number(r.device_id),
    deviceName: String(r.device_name),
    devicePublic: r.device_public === true,
    deviceUserEditable: r.device_user_editable === true,
    userId: Number(r.user_id),
    userName: String(r.user_name),
    userPublic: r.user_public === true,
    name: String(r.name),
    nickname: String(r.nickname),
    description: String(r.description),
    icon: String(r.icon),
    schema: String(r.schema),
    datatype: String(r.datatype),
    ephemeral: r.ephemeral === true,
    downlink: r.downlink === true,
    tags: (r.tags as string[]).slice(),
    downlink_timeout: Number(r.downlink_timeout),
  };
}
