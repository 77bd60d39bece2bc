/**
 * Fakes for failure injection in engine tests: a transport whose answers a test scripts (with a
 * model of the server's idempotency rules, so duplicates are visible), manual timers and a
 * switchable connectivity. Tests against the real server use `startTestServer` instead.
 */
import type { Datapoint } from '../../../core/model';
import { ApiError, NetworkError, type DatapointInput, type InsertOptions } from '../../../sdk';
import type { Connectivity } from '../connectivity';
import type { SyncClient, Timers } from '../syncEngine';

/** One insert request as the fake server received it. */
export interface SentRequest {
  path: string;
  points: DatapointInput[];
  options: InsertOptions;
}

/** What the fake answers a request: store it (`ok`), or fail in a given way. */
export type FakeAnswer =
  | 'ok'
  /** Stores the points, then loses the answer (the client sees a NetworkError). */
  | 'lost'
  /** Never reaches the server. */
  | 'offline'
  | { status: number; msg: string };

/**
 * A fake `TributaryClient` that keeps inserted points per stream and applies the server's
 * idempotency rule (same key and body: replay; same key, other body: 409).
 */
export class FakeClient implements SyncClient {
  readonly requests: SentRequest[] = [];
  readonly stored = new Map<string, Datapoint[]>();
  private readonly keys = new Map<string, string>();
  /** Answers for the next requests, in order; `ok` when empty. */
  readonly script: FakeAnswer[] = [];
  /** Decides the answer when the script is empty. */
  answer: (request: SentRequest) => FakeAnswer = () => 'ok';
  /** Delay of every request (ms, real time). */
  delayMs = 0;
  identity = 'alice/user';
  whoamiCalls = 0;
  private readonly connectionListeners = new Set<(state: 'connecting' | 'open' | 'closed') => void>();

  async insert(path: string, points: readonly DatapointInput[], options: InsertOptions = {}): Promise<void> {
    const request: SentRequest = { path, points: points.map((p) => ({ ...p })), options: { ...options } };
    this.requests.push(request);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const answer = this.script.shift() ?? this.answer(request);
    if (answer === 'offline') throw new NetworkError(`POST ${path}: fetch failed (ECONNREFUSED)`);
    if (typeof answer === 'object') {
      throw new ApiError(answer.status, { code: answer.status, msg: answer.msg, ref: 'fake' });
    }
    this.store(request);
    if (answer === 'lost') throw new NetworkError(`POST ${path}: socket hang up`);
  }

  async whoami(): Promise<string> {
    this.whoamiCalls += 1;
    return this.identity;
  }

  onConnectionChange(listener: (state: 'connecting' | 'open' | 'closed') => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Simulates the websocket reconnecting. */
  emitConnection(state: 'connecting' | 'open' | 'closed'): void {
    for (const listener of this.connectionListeners) listener(state);
  }

  /** All stored points of a stream, in time order. */
  points(path: string): Datapoint[] {
    return (this.stored.get(path) ?? []).slice().sort((a, b) => a.t - b.t);
  }

  private store(request: SentRequest): void {
    const body = JSON.stringify(request.points);
    const key = request.options.idempotencyKey;
    if (key !== undefined) {
      const earlier = this.keys.get(key);
      if (earlier === body) return; // replayed: nothing inserted again
      if (earlier !== undefined) throw new ApiError(409, { code: 409, msg: 'key reused', ref: 'fake' });
      this.keys.set(key, body);
    }
    const list = this.stored.get(request.path) ?? [];
    for (const p of request.points) list.push({ t: p.t ?? 0, d: p.d });
    this.stored.set(request.path, list);
  }
}

/** Timers that fire only when the test says so; records every requested delay. */
export class ManualTimers implements Timers {
  readonly delays: number[] = [];
  private next = 1;
  private readonly pending = new Map<number, () => void>();

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.next++;
    this.delays.push(ms);
    this.pending.set(handle, callback);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** How many timers are waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** Fires every waiting timer. */
  fireAll(): void {
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    for (const callback of callbacks) callback();
  }
}

/** Connectivity a test switches on and off. */
export class SwitchableConnectivity implements Connectivity {
  private online = true;
  private readonly listeners = new Set<(isOnline: boolean) => void>();

  isOnline(): boolean {
    return this.online;
  }

  subscribe(listener: (isOnline: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(isOnline: boolean): void {
    this.online = isOnline;
    for (const listener of this.listeners) listener(isOnline);
  }
}

/** An in-process stand-in for Web Locks: one holder at a time, the others wait in order. */
export function createMutex(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Resolves when `predicate` holds, polling every few ms (for live-query driven status). */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 3000,
): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
