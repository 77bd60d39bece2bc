/**
 * Arithmetic, comparison and logic on loosely typed values. Results may be NaN or ±Infinity (so
 * `$/0 > 5` still works); such numbers become null only when the run returns.
 */
import { RunError } from './PipeScriptError';
import { describe, looseEquals, toFloat } from './coerce';
import { boolOf, floatOf } from './transforms/helpers';

export type BinaryFn = (a: unknown, b: unknown) => unknown;

const ALGEBRA_ERROR = "couldn't convert to float";

function numbers(a: unknown, b: unknown, op: string): [number, number] {
  const fa = typeof a === 'number' ? a : toFloat(a);
  const fb = typeof b === 'number' ? b : toFloat(b);
  if (fa === undefined || fb === undefined) {
    throw new RunError(`Failed to compute ${describe(a)} ${op} ${describe(b)}: ${ALGEBRA_ERROR}`);
  }
  return [fa, fb];
}

function ordered(a: unknown, b: unknown, op: string): [number, number] {
  const fa = typeof a === 'number' ? a : toFloat(a);
  const fb = typeof b === 'number' ? b : toFloat(b);
  if (fa === undefined || fb === undefined) {
    throw new RunError(`Values given to comparison not numerical: ${describe(a)} ${op} ${describe(b)}`);
  }
  return [fa, fb];
}

const BINARY: Record<string, BinaryFn> = {
  '+': (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    const fa = toFloat(a);
    const fb = toFloat(b);
    if (fa !== undefined && fb !== undefined) return fa + fb;
    // Only when both sides are non-numeric strings does + concatenate ("23"+"42" is 65).
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    throw new RunError(`Failed to compute ${describe(a)} + ${describe(b)}: ${ALGEBRA_ERROR}`);
  },
  '-': (a, b) => {
    const [x, y] = numbers(a, b, '-');
    return x - y;
  },
  '*': (a, b) => {
    const [x, y] = numbers(a, b, '*');
    return x * y;
  },
  '/': (a, b) => {
    const [x, y] = numbers(a, b, '/');
    return x / y;
  },
  '%': (a, b) => {
    const [x, y] = numbers(a, b, '%');
    return x % y;
  },
  '^': (a, b) => {
    const [x, y] = numbers(a, b, '^');
    return x ** y;
  },
  '==': (a, b) => looseEquals(a, b),
  '!=': (a, b) => !looseEquals(a, b),
  '<': (a, b) => {
    const [x, y] = ordered(a, b, '<');
    return x < y;
  },
  '<=': (a, b) => {
    const [x, y] = ordered(a, b, '<=');
    return x <= y;
  },
  '>': (a, b) => {
    const [x, y] = ordered(a, b, '>');
    return x > y;
  },
  '>=': (a, b) => {
    const [x, y] = ordered(a, b, '>=');
    return x >= y;
  },
  // Both sides are converted, as the original evaluated every argument: no short circuit.
  and: (a, b) => {
    const x = boolOf(a);
    return boolOf(b) && x;
  },
  or: (a, b) => {
    const x = boolOf(a);
    return boolOf(b) || x;
  },
};

export function binaryOperator(op: string): BinaryFn {
  const fn = BINARY[op];
  if (!fn) throw new Error(`Unknown operator ${op}`);
  return fn;
}

export function negate(value: unknown): unknown {
  if (typeof value === 'number') return -value;
  // The original negated booleans logically: -true is false.
  if (typeof value === 'boolean') return !value;
  return -floatOf(value);
}

export function not(value: unknown): boolean {
  return !boolOf(value);
}
