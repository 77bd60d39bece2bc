/**
 * Checks on response bodies. The wire is JSON from a server we do not control (an original
 * ConnectorDB, a proxy), so shapes are checked once here instead of trusted everywhere.
 */
import type { Datapoint } from '../core/model';

/**
 * Datapoints as the model types them. The original serialised with Go's `omitempty`, so `t` is
 * missing when 0 and `d` when null; they are filled back in so `t` is always a number. Returns
 * undefined when the value is not an array of datapoint objects.
 */
export function normalizeDatapoints(value: unknown): Datapoint[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Datapoint[] = new Array<Datapoint>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const { t, d, o } = item as { t?: unknown; d?: unknown; o?: unknown };
    if (t !== undefined && typeof t !== 'number') return undefined;
    const point: Datapoint = { t: t ?? 0, d: d ?? null };
    if (typeof o === 'string' && o !== '') point.o = o;
    out[i] = point;
  }
  return out;
}

/** A JSON object (not null, not an array), or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A plain decimal integer as the text endpoints send it (`q=length`, counts), or undefined. */
export function parseIntegerText(text: string): number | undefined {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}
