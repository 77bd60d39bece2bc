/**
 * Feeds thousands of random and mutated scripts (from a seeded generator, so failures reproduce) to the
 * parser and runs what compiles on random data. Every outcome must be a result or a PipeScriptError
 * with a position inside the script; nothing may crash, hang or report an internal error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../model';
import { PipeScriptError, listTransforms, parsePipeScript } from './index';

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20170327);
const int = (n: number): number => Math.floor(random() * n);
const pickOne = <T>(items: readonly T[]): T => items[int(items.length)]!;

const NAMES = Object.keys(listTransforms());
const TOKENS = [
  ...NAMES,
  'foo',
  'orange',
  'x',
  '0',
  '1',
  '2.5',
  '100',
  '9999999',
  "'UTC'",
  '"a"',
  "'hi'",
  '"^a+$"',
  'true',
  'false',
  'and',
  'or',
  'not',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '|',
  ':',
  ' ',
  ' ',
  '\t',
  '\n',
  '.',
  '=',
  '!',
  ';',
  '"',
  "'",
  '\\',
  '€',
  '\u0000',
];

const vectorScripts = (
  JSON.parse(readFileSync(new URL('./testdata/vectors.json', import.meta.url), 'utf8')) as {
    transform: string;
  }[]
).map((v) => v.transform);

function soup(): string {
  const length = 1 + int(14);
  let out = '';
  for (let i = 0; i < length; i++) out += pickOne(TOKENS) + (random() < 0.4 ? ' ' : '');
  return out;
}

function mutate(source: string): string {
  let out = source;
  const edits = 1 + int(4);
  for (let e = 0; e < edits; e++) {
    const at = int(out.length + 1);
    switch (int(5)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + int(3));
        break;
      case 1:
        out = out.slice(0, at) + pickOne(TOKENS) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + String.fromCharCode(32 + int(95)) + out.slice(at + 1);
        break;
      case 3:
        out = out.slice(0, at) + out.slice(int(out.length)) + out.slice(at);
        break;
      default:
        out = `${pickOne(vectorScripts)} ${pickOne(['|', ':', '+', ','])} ${out}`;
    }
  }
  return out;
}

/** Grammatical scripts, so that many of them compile and run. */
function expression(depth: number): string {
  if (depth <= 0 || random() < 0.3) {
    return pickOne([
      '$',
      'd',
      '1',
      '2.5',
      "'a'",
      'true',
      't',
      'count',
      'sum',
      'last',
      'next',
      '$("a")',
      'd[0]',
      'i',
    ]);
  }
  switch (int(7)) {
    case 0:
      return `${expression(depth - 1)} ${pickOne(['+', '-', '*', '/', '%', '^', '==', '<', '>=', 'and', 'or'])} ${expression(depth - 1)}`;
    case 1:
      return `${pickOne(['-', 'not '])}${expression(depth - 1)}`;
    case 2:
      return `(${script(depth - 1)})`;
    case 3:
      return `${expression(depth - 1)}:${expression(depth - 1)}`;
    case 4:
      return `{"k": ${expression(depth - 1)}, "n": ${expression(depth - 1)}}`;
    case 5: {
      const name = pickOne(NAMES);
      const args = Array.from({ length: int(3) }, () => expression(depth - 1));
      return `${name}(${args.join(', ')})`;
    }
    default:
      return pickOne(NAMES);
  }
}

function script(depth: number): string {
  const elements = Array.from({ length: 1 + int(3) }, () =>
    random() < 0.3
      ? `${pickOne(['if', 'map', 'while', 'imap', 'iwhile'])} ${expression(depth)} ${expression(depth)}`
      : expression(depth),
  );
  return elements.join(' | ');
}

function randomValue(depth = 2): unknown {
  switch (int(depth > 0 ? 8 : 6)) {
    case 0:
      return int(20) - 5;
    case 1:
      return random() * 100;
    case 2:
      return pickOne(['', 'a', 'hello world', '3', 'true', 'false', 'http://www.x.org/y']);
    case 3:
      return random() < 0.5;
    case 4:
      return null;
    case 5:
      return pickOne([0, -1, 1e6, NaN]);
    case 6:
      return { a: randomValue(depth - 1), b: randomValue(depth - 1), latitude: 1, longitude: 2 };
    default:
      return [randomValue(depth - 1), randomValue(depth - 1)];
  }
}

function randomStream(): Datapoint[] {
  let t = random() < 0.2 ? 0 : 1_600_000_000 + int(1_000_000);
  return Array.from({ length: int(12) }, () => {
    t += pickOne([0, 1, 60, 3600, 86_400]);
    return { t, d: randomValue() };
  });
}

interface Tally {
  compiled: number;
  parseErrors: number;
  runs: number;
  runErrors: number;
}

function exercise(source: string, tally: Tally): void {
  let compiled;
  try {
    compiled = parsePipeScript(source);
  } catch (error) {
    if (!(error instanceof PipeScriptError))
      throw new Error(`parse of ${JSON.stringify(source)} threw ${String(error)}`);
    expect(error.phase).toBe('parse');
    expect(Number.isInteger(error.position), source).toBe(true);
    expect(error.position!).toBeGreaterThanOrEqual(0);
    expect(error.position!).toBeLessThanOrEqual(source.length);
    tally.parseErrors++;
    return;
  }
  tally.compiled++;
  for (let r = 0; r < 3; r++) {
    const input = randomStream();
    tally.runs++;
    try {
      const output = compiled.run(input, { maxSteps: 200_000 });
      for (const dp of output) {
        expect(typeof dp.t, source).toBe('number');
        expect(dp.d, source).not.toBeUndefined();
        if (typeof dp.d === 'number') expect(Number.isFinite(dp.d), source).toBe(true);
      }
    } catch (error) {
      if (!(error instanceof PipeScriptError))
        throw new Error(`run of ${JSON.stringify(source)} threw ${String(error)}`);
      expect(error.phase).toBe('run');
      expect(error.message, source).not.toMatch(/^Internal error/);
      tally.runErrors++;
    }
  }
}

describe('parser and runtime fuzzing', () => {
  it('survives random token soup', () => {
    const tally: Tally = { compiled: 0, parseErrors: 0, runs: 0, runErrors: 0 };
    for (let k = 0; k < 3000; k++) exercise(soup(), tally);
    expect(tally.parseErrors).toBeGreaterThan(1000);
    expect(tally.compiled).toBeGreaterThan(20);
  });

  it('survives mutations of the vector scripts', () => {
    const tally: Tally = { compiled: 0, parseErrors: 0, runs: 0, runErrors: 0 };
    for (let k = 0; k < 2000; k++) exercise(mutate(pickOne(vectorScripts)), tally);
    expect(tally.compiled).toBeGreaterThan(100);
    expect(tally.parseErrors).toBeGreaterThan(100);
  });

  it('survives random grammatical scripts on random data', () => {
    const tally: Tally = { compiled: 0, parseErrors: 0, runs: 0, runErrors: 0 };
    for (let k = 0; k < 2000; k++) exercise(script(3), tally);
    expect(tally.compiled).toBeGreaterThan(300);
    expect(tally.runErrors).toBeGreaterThan(50);
    expect(tally.runs - tally.runErrors).toBeGreaterThan(300);
  });

  it('survives bytes that are not script text at all', () => {
    const tally: Tally = { compiled: 0, parseErrors: 0, runs: 0, runErrors: 0 };
    for (let k = 0; k < 500; k++) {
      exercise(Array.from({ length: int(40) }, () => String.fromCharCode(int(0x3000))).join(''), tally);
    }
    expect(tally.parseErrors).toBeGreaterThan(400);
  });
});
