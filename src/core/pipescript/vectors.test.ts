/**
 * Runs the 201 vectors taken from the original engine's own tests (testdata/vectors.json, see
 * /work/shared/pipescript/README.md for the format). No vector conflicts with a QUIRKS.md decision,
 * so every one of them must pass.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../model';
import { PipeScriptError, parsePipeScript } from './index';

interface Stream {
  input: Datapoint[];
  output?: Datapoint[];
  error?: boolean;
  error_phase?: 'parse' | 'run';
}
interface Vector extends Stream {
  name: string;
  transform: string;
  then?: Stream[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./testdata/vectors.json', import.meta.url), 'utf8'),
) as Vector[];

/** Results of these transforms are floating point sums and products: compare with a tolerance. */
const APPROXIMATE = /\b(distance|percent|sentiment)\b/;

function normalize(points: readonly Partial<Datapoint>[]): { t: number; d: unknown }[] {
  // On the wire a missing `t` is 0 and a missing `d` is null.
  return points.map((p) => ({ t: p.t ?? 0, d: p.d ?? null }));
}

function expectClose(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const tolerance = Math.max(Math.abs(expected), 1) * 1e-6;
    expect(Math.abs((actual as number) - expected), path).toBeLessThanOrEqual(tolerance);
  } else if (typeof expected === 'object' && expected !== null) {
    expect(typeof actual, path).toBe('object');
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) {
      expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    expect(actual, path).toEqual(expected);
  }
}

function check(script: ReturnType<typeof parsePipeScript>, stream: Stream, approximate: boolean): void {
  if (stream.error) {
    let thrown: unknown;
    try {
      script.run(stream.input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PipeScriptError);
    expect((thrown as PipeScriptError).phase).toBe('run');
    return;
  }
  const actual = normalize(script.run(stream.input));
  const expected = normalize(stream.output!);
  if (!approximate) {
    expect(actual).toEqual(expected);
    return;
  }
  expect(actual.length).toBe(expected.length);
  actual.forEach((point, i) => {
    expect(point.t).toBe(expected[i]!.t);
    expectClose(point.d, expected[i]!.d, `[${i}].d`);
  });
}

describe('PipeScript vectors from the original engine', () => {
  it('has all 201 vectors', () => {
    expect(vectors).toHaveLength(201);
  });

  for (const vector of vectors) {
    it(vector.name, () => {
      const approximate = APPROXIMATE.test(vector.transform);
      if (vector.error && vector.error_phase === 'parse') {
        expect(() => parsePipeScript(vector.transform)).toThrow(
          expect.objectContaining({ phase: 'parse', position: expect.any(Number) }),
        );
        return;
      }
      const script = parsePipeScript(vector.transform);
      check(script, vector, approximate);
      // `then`: the same compiled script fed a second stream must behave as if new.
      for (const next of vector.then ?? []) check(script, next, approximate);
    });
  }
});
