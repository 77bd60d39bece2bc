/**
 * Time parameters (`t1`, `t2`) accept unix seconds or, as a Tributary extension, times relative to
 * now: `now`, `now-90s`, `now-15m`, `now-1h`, `now-7d`, `now-2w` (and `+` for the future).
 */
const RELATIVE = /^now(?:([+-])(\d+(?:\.\d+)?)(s|m|h|d|w)?)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Parses a time parameter to unix seconds; returns undefined when it is neither a number nor relative. */
export function parseTimeParam(value: string, nowSeconds: number): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const match = RELATIVE.exec(text);
  if (match) {
    const [, sign, amount, unit] = match;
    if (!sign) return nowSeconds;
    const offset = Number(amount) * UNIT_SECONDS[unit ?? 's']!;
    return sign === '-' ? nowSeconds - offset : nowSeconds + offset;
  }
  // Go's ParseFloat: decimal or exponent notation, nothing else (no hex, no trailing garbage).
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
