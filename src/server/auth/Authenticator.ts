/**
 * Turns credentials into an Actor, in ConnectorDB's order (connectordb-v1.md §2.2): HTTP Basic
 * (a username or email with a password, or an empty username with an API key), then `?apikey=`,
 * then the session cookie, else nobody. Every failed login is slowed down; password logins are also
 * limited per address. API keys and sessions are never refused for their address's failures: they
 * are 128-bit random values nobody can guess, and one person mistyping a password behind a shared
 * proxy must not lock out every device behind it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { NOBODY, type Actor } from '../domain/Actor';
import { Refusal } from '../domain/Refusal';
import type { DeviceRecord, Storage } from '../storage/Storage';
import { verifyPassword } from './passwords';

export const SESSION_COOKIE = 'connectordb-session';

export interface AuthenticatorOptions {
  /** ConnectorDB waited 300 ms before answering a failed login. */
  failedLoginDelayMs: number;
  /** Failed password logins allowed per address within the window before further ones are refused. */
  maxFailedLogins: number;
  failedLoginWindowSeconds: number;
  /** Unix seconds. */
  now(): number;
}

export const DEFAULT_AUTH_OPTIONS: AuthenticatorOptions = {
  failedLoginDelayMs: 300,
  maxFailedLogins: 10,
  failedLoginWindowSeconds: 300,
  now: () => Date.now() / 1000,
};

/** What a request offers: the parts of HTTP that carry credentials. */
export interface CredentialSource {
  authorization?: string;
  apikey?: string;
  sessionToken?: string;
  address: string;
}

export type AuthMethod = 'basic' | 'apikey' | 'cookie' | 'none';

export interface Authenticated {
  actor: Actor;
  method: AuthMethod;
}

const SESSION_SECONDS = 30 * 86_400;
/** A verified password stays cached this long, so clients that send Basic auth on every request stay fast. */
const VERIFIED_TTL_SECONDS = 600;
const VERIFIED_CACHE_LIMIT = 1000;

const LOGIN_FAILED = 'Login failed: the username, password or API key is not valid';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

export class Authenticator {
  /** Hashes of (login, password, stored hash) that verified recently; a password change invalidates them. */
  private readonly verified = new Map<string, number>();

  constructor(
    private readonly storage: Storage,
    private readonly options: AuthenticatorOptions = DEFAULT_AUTH_OPTIONS,
  ) {}

  /**
   * `isRecheck`: the credentials signed in before (an open websocket checks them again), so a
   * failure is no guess: it is neither delayed nor counted against the address, and the limit on
   * failures does not apply.
   */
  async authenticate(source: CredentialSource, { isRecheck = false } = {}): Promise<Authenticated> {
    // A recheck's failure is refused at once; a login's is delayed first.
    const refuseMissing = (actor: Actor | undefined) => (isRecheck ? orRefuse(actor) : this.orFail(actor));
    if (source.authorization?.startsWith('Basic ')) {
      const { user, password } = decodeBasic(source.authorization.slice(6));
      const actor =
        user === ''
          ? await refuseMissing(await this.byApiKey(password))
          : isRecheck
            ? orRefuse(await this.byPassword(user, password))
            : await this.byPasswordLimited(user, password, source.address);
      return { actor, method: 'basic' };
    }
    if (source.apikey) {
      return { actor: await refuseMissing(await this.byApiKey(source.apikey)), method: 'apikey' };
    }
    if (source.sessionToken) {
      // An unusable cookie silently means nobody, as in ConnectorDB.
      const actor = await this.bySession(source.sessionToken);
      if (actor) return { actor, method: 'cookie' };
    }
    return { actor: NOBODY, method: 'none' };
  }

  /** Logs in with a username or email and a password; undefined when they do not match. */
  async byPassword(login: string, password: string): Promise<Actor | undefined> {
    const user = await this.storage.findUserForLogin(login);
    if (!user) return undefined;
    const cacheKey = sha256(`${user.id}\0${password}\0${user.passwordHash}`);
    const now = this.options.now();
    if ((this.verified.get(cacheKey) ?? 0) < now) {
      if (!(await verifyPassword(password, user.passwordHash))) return undefined;
      if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.clear();
      this.verified.set(cacheKey, now + VERIFIED_TTL_SECONDS);
    }
    const device = await this.storage.getDevice(user.name, 'user');
    return device ? { kind: 'device', device, user } : undefined;
  }

  async byApiKey(apikey: string): Promise<Actor | undefined> {
    const found = await this.storage.findByApiKey(apikey);
    return found && { kind: 'device', ...found };
  }

  private async bySession(token: string): Promise<Actor | undefined> {
    const session = await this.storage.getSession(sha256(token));
    if (!session || session.expiresAt < this.options.now()) return undefined;
    const device = await this.storage.getDeviceById(session.deviceId);
    return device && this.actorOf(device);
  }

  private async actorOf(device: DeviceRecord): Promise<Actor | undefined> {
    const user = await this.storage.getUserById(device.userId);
    return user && { kind: 'device', device, user };
  }

  /**
   * Recent failure counts per address, re-read from storage at most once a second: clients that
   * send a password with every request stay fast. Failures recorded by another server show up
   * here within that second.
   */
  private readonly failureCounts = new Map<string, { count: number; readAt: number }>();

  private async recentFailures(address: string): Promise<number> {
    const now = this.options.now();
    const cached = this.failureCounts.get(address);
    if (cached && now - cached.readAt < 1) return cached.count;
    const count = await this.storage.countLoginFailures(address, now - this.options.failedLoginWindowSeconds);
    if (this.failureCounts.size > 10_000) this.failureCounts.clear();
    this.failureCounts.set(address, { count, readAt: now });
    return count;
  }

  /** Password attempts being checked now, by address and credentials: identical ones share a check. */
  private readonly attempts = new Map<string, Promise<Actor | undefined>>();
  /** How many distinct attempts each address has being checked; they count as failures until settled. */
  private readonly checking = new Map<string, number>();

  /**
   * A password login, refused outright while its address has too many recent failures (so guesses
   * cannot be checked at all), and recorded when it fails. The counts live in storage, so every
   * server sharing a database enforces the same limit. Guesses sent in parallel count too: each
   * is counted from the moment it is admitted, and nothing awaits between the check and that count.
   * A client's identical parallel requests (Basic auth on each) share one check; each of them
   * that fails is still recorded, as it was when each ran its own check.
   */
  private async byPasswordLimited(login: string, password: string, address: string): Promise<Actor> {
    const failures = await this.recentFailures(address);
    const key = sha256(`${address}\0${login}\0${password}`);
    const running = this.attempts.get(key);
    if (running) {
      const actor = await running;
      if (!actor) await this.recordFailure(address);
      return this.orFail(actor);
    }
    if (failures + (this.checking.get(address) ?? 0) >= this.options.maxFailedLogins) {
      const minutes = Math.ceil(this.options.failedLoginWindowSeconds / 60);
      throw new Refusal(
        'too_many_requests',
        `Too many failed logins from this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      );
    }
    return this.orFail(await this.checkAttempt(key, login, password, address));
  }

  private async recordFailure(address: string): Promise<void> {
    await this.storage.recordLoginFailure(address, this.options.now());
    this.failureCounts.delete(address);
  }

  private checkAttempt(key: string, login: string, password: string, address: string) {
    this.checking.set(address, (this.checking.get(address) ?? 0) + 1);
    const attempt = (async () => {
      try {
        const actor = await this.byPassword(login, password);
        if (!actor) {
          // Recorded before the attempt stops counting, so the limit never misses it.
          await this.recordFailure(address);
        }
        return actor;
      } finally {
        this.attempts.delete(key);
        const left = this.checking.get(address)! - 1;
        if (left === 0) this.checking.delete(address);
        else this.checking.set(address, left);
      }
    })();
    this.attempts.set(key, attempt);
    return attempt;
  }

  /** Slows down a failed login (as ConnectorDB did) before refusing it. */
  private async orFail(actor: Actor | undefined): Promise<Actor> {
    if (actor) return actor;
    await sleep(this.options.failedLoginDelayMs);
    return orRefuse(actor);
  }

  /** Starts a cookie session; `remember` keeps it for 30 days, else until the browser closes. */
  async startSession(actor: Actor, remember: boolean): Promise<{ token: string; maxAgeSeconds?: number }> {
    if (actor.kind !== 'device')
      throw new Refusal('unauthorized', 'Log in with a username and password or an API key');
    const token = randomBytes(32).toString('base64url');
    await this.storage.createSession(sha256(token), actor.device.id, this.options.now() + SESSION_SECONDS);
    await this.storage.pruneSessions(this.options.now());
    return remember ? { token, maxAgeSeconds: SESSION_SECONDS } : { token };
  }

  async endSession(token: string): Promise<void> {
    await this.storage.deleteSession(sha256(token));
  }
}

function orRefuse(actor: Actor | undefined): Actor {
  if (!actor) throw new Refusal('unauthorized', LOGIN_FAILED);
  return actor;
}

function decodeBasic(encoded: string): { user: string; password: string } {
  const text = Buffer.from(encoded.trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0
    ? { user: text, password: '' }
    : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}
