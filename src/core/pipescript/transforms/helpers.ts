/** Shared pieces of the transform implementations. */
import { RunError } from '../PipeScriptError';
import { describe, toBool, toFloat, toInt, toStr } from '../coerce';
import type { Series } from '../program';
import type { ArgSpec } from '../registry';

export function floatOf(value: unknown): number {
  if (typeof value === 'number') return value;
  const f = toFloat(value);
  if (f === undefined) throw new RunError(`Could not convert ${describe(value)} to Float`);
  return f;
}

export function boolOf(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const b = toBool(value);
  if (b === undefined) throw new RunError(`Could not convert ${describe(value)} to Bool`);
  return b;
}

export function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const s = toStr(value);
  if (s === undefined) throw new RunError(`Could not convert ${describe(value)} to String`);
  return s;
}

/** For `build`: a constant argument as an integer, or a parse-time error. */
export function constInt(value: unknown, what: string): number {
  const i = toInt(value);
  if (i === undefined) throw new Error(`${what} must be an integer, got ${describe(value)}`);
  return i;
}

export function constFloat(value: unknown, what: string): number {
  const f = toFloat(value);
  if (f === undefined || !Number.isFinite(f))
    throw new Error(`${what} must be a number, got ${describe(value)}`);
  return f;
}

export function constString(value: unknown, what: string): string {
  const s = toStr(value);
  if (s === undefined) throw new Error(`${what} must be a string, got ${describe(value)}`);
  return s;
}

/** A one-to-one transform of the data that keeps the timestamps. */
export function mapData(input: Series, f: (d: unknown, i: number) => unknown): Series {
  const n = input.t.length;
  const out = new Array<unknown>(n);
  const d = input.d;
  for (let i = 0; i < n; i++) out[i] = f(d[i], i);
  return { t: input.t, d: out };
}

/** Output builder for transforms that emit a varying number of datapoints. */
export class SeriesBuilder {
  readonly t: number[] = [];
  readonly d: unknown[] = [];
  push(t: number, d: unknown): void {
    this.t.push(t);
    this.d.push(d);
  }
  get length(): number {
    return this.t.length;
  }
}

export function objectEntries(value: unknown, transform: string): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunError(`${transform} needs object-valued data, got ${describe(value)}`);
  }
  return Object.entries(value);
}

/** The optional time zone argument of the calendar transforms. */
export const ZONE_ARG: ArgSpec = {
  description:
    "The time zone, as an IANA name (ex: 'America/New_York'). 'Local' is the server's zone, 'UTC' is UTC.",
  kind: 'constant',
  optional: true,
  default: 'Local',
};

/** The original limit on distinct keys in `map`, `imap` and `new`. */
export const SPLIT_MAX = 1000;
