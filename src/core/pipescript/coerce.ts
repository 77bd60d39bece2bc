/**
 * The loose typing of PipeScript v1 (the original used the `duck` library): strings that look like
 * numbers are numbers, `"true"`/`"false"` are booleans and 1/0, numbers are true when non-zero.
 * Every conversion returns `undefined` when the value cannot be converted, so callers decide whether
 * that is an error (arithmetic, `if`) or simply false (equality).
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** Go's strconv.ParseFloat for the decimal and inf/nan spellings; out-of-range values fail as in Go. */
export function parseGoFloat(text: string): number | undefined {
  if (DECIMAL.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  const special = SPECIAL.exec(text);
  if (!special) return undefined;
  if (special[2]!.toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

export function toFloat(value: unknown): number | undefined {
  switch (typeof value) {
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'string': {
      const n = parseGoFloat(value);
      if (n !== undefined) return n;
      // The original's vectors compare "false" < 5 as 0 < 5.
      if (value === 'true') return 1;
      if (value === 'false') return 0;
      return undefined;
    }
    default:
      return undefined;
  }
}

export function toBool(value: unknown): boolean | undefined {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0 && !Number.isNaN(value);
    case 'string': {
      const n = parseGoFloat(value);
      if (n !== undefined) return n !== 0 && !Number.isNaN(n);
      if (value === 'false' || value === '') return false;
      if (value === 'true') return true;
      return undefined;
    }
    default:
      return undefined;
  }
}

export function toStr(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return goFormatFloat(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

/** An integer-valued conversion (Go's duck.Int): "3" and 3.0 are 3, 3.5 is not an integer. */
export function toInt(value: unknown): number | undefined {
  const f = toFloat(value);
  if (f === undefined || !Number.isInteger(f) || Math.abs(f) > Number.MAX_SAFE_INTEGER) return undefined;
  return f;
}

/**
 * Go's strconv.FormatFloat(x, 'g', -1, 64), which the original used whenever a number became a string
 * (map keys, `new`, `append`, `bucket`): shortest digits, exponent form below 1e-4 and from 1e6 up.
 */
export function goFormatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  // In this range JavaScript's shortest round-trip digits print in fixed notation, exactly as Go's.
  return String(x);
}

type Kind = 'null' | 'number' | 'string' | 'boolean' | 'array' | 'object';

function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'number' || t === 'string' || t === 'boolean') return t;
  return 'object';
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(bo, key) || !deepEqual(ao[key], bo[key])) return false;
  }
  return true;
}

/**
 * PipeScript's `==`: identical values are equal; values of the same kind that differ are not (except
 * numeric strings, "2" == "2.0"); otherwise both sides are compared as numbers, and a side that is not
 * a number makes them unequal rather than an error (so `"hi" == false` is false).
 */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (a !== a && b !== b);
  if (deepEqual(a, b)) return true;
  const ka = kindOf(a);
  if (ka === kindOf(b) && ka !== 'string') return false;
  const fa = toFloat(a);
  const fb = toFloat(b);
  if (fa === undefined || fb === undefined) return false;
  if (Number.isNaN(fa) && Number.isNaN(fb)) return true;
  return fa === fb;
}

/** A short rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (typeof value === 'number') return goFormatFloat(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
