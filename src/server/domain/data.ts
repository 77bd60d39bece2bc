/**
 * Stream data: inserting (with ConnectorDB's ordering, restamp, downlink and ephemeral rules plus
 * Tributary's `method=insert` and idempotency keys) and reading by index or time.
 */
import type { Datapoint } from '../../core/model';
import { compileStreamSchema } from '../../core/schema';
import type { IdempotencyRecord, InsertMode, StreamRecord, Substream } from '../storage/Storage';
import { actorPath, type Actor } from './Actor';
import type { DomainContext } from './DomainContext';
import type { AccessLevel } from './permissions/accessLevels';
import { badRequest, CANT_ACCESS, denied, invalid, Refusal, WRITE_DATA_DENIED } from './Refusal';
import { findReadableStream, type StreamName } from './streams';

export const OLDER_MESSAGE = 'Greater timestamp already exists for the stream. Insert Failed.';
export const UNORDERED_MESSAGE = 'Timestamps are not ordered!';
export const SCHEMA_MESSAGE = "At least one datapoint did not conform to the stream's schema";

export interface InsertRequest {
  /** The parsed request body: must be an array of `{t?, d}`. */
  body: unknown;
  mode: InsertMode;
  /** The request named the downlink substream explicitly (`?downlink=true`). */
  downlink: boolean;
  idempotency?: { key: string; requestHash: string };
}

export type InsertOutcome =
  | { kind: 'inserted'; stream: string; points: Datapoint[] }
  /** An earlier request with the same idempotency key: answer as it was answered. */
  | { kind: 'replay'; record: IdempotencyRecord };

const substreamPath = (s: StreamRecord, sub: Substream) =>
  `${s.userName}/${s.deviceName}/${s.name}${sub === 'downlink' ? '/downlink' : ''}`;

/**
 * Values nested deeper than this are refused: validating, storing and serialising them is recursive,
 * and no real datapoint comes near it.
 */
export const MAX_VALUE_DEPTH = 64;

/** Whether a JSON value nests objects or arrays more than `max` levels deep (checked without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Parses an insert body into datapoints; `t` missing or 0 becomes now (ConnectorDB rule 1). The
 * array and the `{t, d}` objects JSON.parse made are reused (a batch may hold 100,000 of them);
 * other keys, `o` included, are dropped: the server decides who wrote a datapoint.
 */
export function parseDatapoints(body: unknown, now: number): Datapoint[] {
  if (!Array.isArray(body))
    throw badRequest('The body must be a JSON array of datapoints, like [{"t": 1490000000, "d": 7}]');
  const points = body as Datapoint[];
  for (let i = 0; i < body.length; i++) {
    const item: unknown = body[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw badRequest(`Datapoint ${i} must be an object like {"t": 1490000000, "d": 7}`);
    }
    const { t, d } = item as { t?: unknown; d?: unknown };
    if (t !== undefined && t !== null && (typeof t !== 'number' || !Number.isFinite(t))) {
      throw badRequest(`Datapoint ${i} has a timestamp that is not a number of seconds`);
    }
    if (nestsDeeperThan(d, MAX_VALUE_DEPTH)) {
      throw badRequest(`Datapoint ${i} is nested more than ${MAX_VALUE_DEPTH} levels deep`);
    }
    const stamped = typeof t === 'number' && t !== 0 ? t : now;
    const value = d === undefined ? null : d;
    if (isPlainPoint(item)) {
      (item as Datapoint).t = stamped;
      (item as Datapoint).d = value;
    } else {
      points[i] = { t: stamped, d: value };
    }
  }
  return points;
}

/** An object whose only keys are `t` and `d` (the common case) can be used as it is. */
function isPlainPoint(item: object): boolean {
  let keys = 0;
  for (const key in item) {
    if (key !== 't' && key !== 'd') return false;
    keys++;
  }
  return keys === 2;
}

/** Where a write lands and as whom (connectordb-v1.md §2.5 rule 5 and §4). */
function routeWrite(
  actor: Actor,
  stream: StreamRecord,
  level: AccessLevel,
  explicitDownlink: boolean,
): Substream {
  const isOwner = actor.kind === 'device' && actor.device.id === stream.deviceId;
  if (isOwner) {
    if (explicitDownlink) {
      if (!level.write.streamDownlink) throw denied('Write access to the downlink substream denied.');
      return 'downlink';
    }
    if (!level.write.streamData) throw denied(WRITE_DATA_DENIED);
    return '';
  }
  // Only the owner writes a stream's data; anyone else may only send commands to a downlink stream.
  if (!stream.downlink || !level.write.streamDownlink) throw denied(WRITE_DATA_DENIED);
  return 'downlink';
}

export async function insertData(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  request: InsertRequest,
): Promise<InsertOutcome> {
  const found = await findReadableStream(ctx, actor, name);
  if (!found || actor.kind !== 'device') throw denied(CANT_ACCESS);
  const { record: stream, level } = found;
  const substream = routeWrite(actor, stream, level, request.downlink);
  const claim = request.idempotency && {
    scope: String(actor.device.id),
    key: request.idempotency.key,
    requestHash: request.idempotency.requestHash,
    status: 200,
    body: 'ok',
  };
  if (claim) {
    const earlier = await ctx.storage.getIdempotency(claim.scope, claim.key);
    if (earlier) return replay(earlier, claim.requestHash);
  }

  const points = parseDatapoints(request.body, ctx.now());
  const writer = actor.device.id === stream.deviceId ? undefined : actorPath(actor);
  for (const p of points) if (writer) p.o = writer;
  validateAgainstSchema(stream, points);

  let stored: Datapoint[];
  if (stream.ephemeral) {
    // Validated and published, never stored: only the batch's own order can be checked.
    if (request.mode !== 'insert' && !isNonDecreasing(points)) throw invalid(UNORDERED_MESSAGE);
    stored = request.mode === 'insert' ? points.slice().sort((a, b) => a.t - b.t) : points;
    // No data to store, but the claim is: a retry must not publish the batch again.
    const earlier = claim && (await ctx.storage.putIdempotency(claim));
    if (earlier) return replay(earlier, claim!.requestHash);
  } else {
    const result = await ctx.storage.insert(stream.id, substream, points, request.mode, claim);
    if (!result.ok) {
      if (result.reason === 'duplicate') return replay(result.record, claim!.requestHash);
      throw invalid(result.reason === 'older' ? OLDER_MESSAGE : UNORDERED_MESSAGE);
    }
    stored = result.points;
  }
  const path = substreamPath(stream, substream);
  if (stored.length > 0) await ctx.bus.publish({ stream: path, data: stored });
  return { kind: 'inserted', stream: path, points: stored };
}

function replay(record: IdempotencyRecord, requestHash: string): InsertOutcome {
  if (record.requestHash !== requestHash) {
    throw new Refusal('conflict', 'This Idempotency-Key was already used for a different request');
  }
  return { kind: 'replay', record };
}

function isNonDecreasing(points: readonly Datapoint[]): boolean {
  for (let i = 1; i < points.length; i++) if (points[i]!.t < points[i - 1]!.t) return false;
  return true;
}

/** The whole batch is refused if any value fails the schema (compiled once per schema). */
function validateAgainstSchema(stream: StreamRecord, points: readonly Datapoint[]): void {
  const validator = compileStreamSchema(stream.schema);
  if (validator.acceptsAll) return;
  for (let i = 0; i < points.length; i++) {
    const problem = validator.check(points[i]!.d);
    if (problem !== undefined) {
      throw invalid(
        `${SCHEMA_MESSAGE}: datapoint ${i} (${JSON.stringify(points[i]!.d)?.slice(0, 100)}) ${problem}`,
      );
    }
  }
}

// ---- reading ----

export type ReadRange =
  { kind: 'index'; i1: number; i2: number } | { kind: 'time'; t1: number; t2?: number; limit: number };

/**
 * Python-slice index rules: negative indexes count from the end, `i2 <= 0` means `length + i2`,
 * both are clamped to the stream; an end before the start is an error unless the stream is empty.
 */
export function resolveIndexRange(i1: number, i2: number, length: number): { start: number; end: number } {
  const start = i1 < 0 ? length + i1 : i1;
  const end = i2 <= 0 ? length + i2 : i2;
  if (end < start && length > 0)
    throw invalid(`Invalid index range [${i1}, ${i2}): the end comes before the start`);
  const clamp = (x: number) => Math.min(Math.max(x, 0), length);
  return { start: clamp(start), end: Math.max(clamp(end), clamp(start)) };
}

/** The stream and substream to read, if the actor may read that substream's data. */
export async function readableSubstream(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  downlink: boolean,
) {
  const found = await findReadableStream(ctx, actor, name);
  if (!found) throw denied(CANT_ACCESS);
  const allowed = downlink ? found.level.read.streamDownlink : found.level.read.streamData;
  if (!allowed) throw denied('Read access to stream data denied.');
  return { stream: found.record, substream: (downlink ? 'downlink' : '') as Substream };
}

/** Reads a range of datapoints; a time range's limit is left to the caller when a transform follows. */
export async function readData(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  range: ReadRange,
  downlink: boolean,
): Promise<Datapoint[]> {
  const { stream, substream } = await readableSubstream(ctx, actor, name, downlink);
  if (range.kind === 'time')
    return ctx.storage.readByTime(stream.id, substream, range.t1, range.t2, range.limit);
  const length = await ctx.storage.length(stream.id, substream);
  const { start, end } = resolveIndexRange(range.i1, range.i2, length);
  return ctx.storage.readByIndex(stream.id, substream, start, end);
}

export async function dataLength(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  downlink: boolean,
): Promise<number> {
  const { stream, substream } = await readableSubstream(ctx, actor, name, downlink);
  return ctx.storage.length(stream.id, substream);
}

export async function timeToIndex(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  t: number,
  downlink: boolean,
): Promise<number> {
  const { stream, substream } = await readableSubstream(ctx, actor, name, downlink);
  return ctx.storage.timeToIndex(stream.id, substream, t);
}
