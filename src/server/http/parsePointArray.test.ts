import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/timeseries/testing/seededRandom';
import { parsePointArray } from './parsePointArray';

const parse = (text: string) => parsePointArray(Buffer.from(text, 'utf8'));

/** The fast path must give exactly what JSON.parse gives: same keys in the same order, same doubles (-0 too). */
function expectSameAsJsonParse(text: string) {
  const fast = parse(text);
  const parsed = JSON.parse(text) as Record<string, unknown>[];
  expect(fast, text).toBeDefined();
  expect(fast!.length).toBe(parsed.length);
  const differences: string[] = [];
  fast!.forEach((point, i) => {
    const expected = parsed[i]!;
    const keys = Object.keys(point).join();
    const same =
      keys === Object.keys(expected).join() &&
      Object.entries(point).every(([k, v]) => Object.is(v, expected[k]));
    if (!same)
      differences.push(
        `point ${i}: ${JSON.stringify(point)} (keys ${keys}), JSON.parse gives ${JSON.stringify(expected)}`,
      );
  });
  expect(differences, text.slice(0, 200)).toEqual([]);
}

describe('parsePointArray', () => {
  it('reads compact and spaced arrays of points as JSON.parse does', () => {
    expectSameAsJsonParse('[{"t":1490000000,"d":7}]');
    expectSameAsJsonParse('[{"t":1490000000.25,"d":-7.5},{"t":1490000001,"d":0}]');
    // The Python client's json.dumps puts a space after each colon and comma.
    expectSameAsJsonParse('[{"t": 1490000000.123, "d": 3.14}, {"t": 1490000001, "d": -2}]');
    expectSameAsJsonParse(' \t\r\n[ \n{ "t" : 1 , "d" : 2 } ,\r\n { "t":3,"d":4 } ] \n');
    expectSameAsJsonParse('[]');
    expectSameAsJsonParse('  [ ]  ');
  });

  it('keeps the order of the keys, and reads points with one key or none', () => {
    expectSameAsJsonParse('[{"d":5,"t":1}]');
    expectSameAsJsonParse('[{"d":5}]');
    expectSameAsJsonParse('[{"t":1}]');
    expectSameAsJsonParse('[{}]');
    expectSameAsJsonParse('[{"d": 5 , "t": 1},{"t":2,"d":6},{"d":7}]');
  });

  it('reads true, false and null values', () => {
    expectSameAsJsonParse('[{"t":1,"d":true},{"t":2,"d":false},{"t":3,"d":null},{"d":true,"t":4}]');
  });

  it('reads every JSON number form to the same double', () => {
    const numbers = [
      '0',
      '-0',
      '-0.0',
      '0.5',
      '1e3',
      '1E3',
      '1e+3',
      '1e-3',
      '-1.5E-7',
      '0e999',
      '1e400',
      '-1e400',
      '5e-324',
      '2.2250738585072014e-308',
      '1.7976931348623157e308',
      '123456789012345678901234567890',
      '9007199254740993',
      '9007199254740992.5',
      '0.1',
      '0.30000000000000004',
      '3.141592653589793238',
      '1490000000.123456',
      '1e22',
      '1e23',
      '4.35e-23',
      '1.0000000000000002',
      '100000000000000000000000',
      '0.000000000000000000000001',
      `1${'0'.repeat(400)}`,
      `0.${'0'.repeat(400)}1`,
      '1e1000000000000',
    ];
    for (const n of numbers) {
      expectSameAsJsonParse(`[{"t":${n},"d":${n}}]`);
      expectSameAsJsonParse(`[{"t": ${n}, "d": ${n}}]`);
      expectSameAsJsonParse(`[{"d":${n}}]`);
    }
  });

  it('reads random doubles in every way JavaScript and Python print them', () => {
    const random = seededRandom(42);
    const values: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const magnitude = 10 ** Math.floor(random() * 40 - 20);
      const x = (random() - 0.5) * magnitude;
      values.push(
        String(x),
        x.toFixed(Math.floor(random() * 12)),
        x.toExponential(Math.floor(random() * 17)),
      );
      values.push(String(Math.round(x * 1e6)), x.toPrecision(1 + Math.floor(random() * 20)));
    }
    for (let i = 0; i < values.length; i += 100) {
      const batch = values.slice(i, i + 100);
      expectSameAsJsonParse(`[${batch.map((v, k) => `{"t":${1.49e9 + k},"d":${v}}`).join(',')}]`);
      expectSameAsJsonParse(`[${batch.map((v) => `{"t": ${v}, "d": ${v}}`).join(', ')}]`);
    }
  });

  it('leaves every other body to JSON.parse', () => {
    const others = [
      '',
      ' ',
      '{}',
      '{"t":1,"d":2}',
      '7',
      'null',
      '"[]"',
      '[1]',
      '[[]]',
      '[null]',
      '["x"]',
      // Values and keys it does not read itself.
      '[{"t":1,"d":"text"}]',
      '[{"t":1,"d":{"a":1}}]',
      '[{"t":1,"d":[1]}]',
      '[{"t":null,"d":1}]',
      '[{"t":true,"d":1}]',
      '[{"t":"1","d":1}]',
      '[{"t":1,"d":2,"o":"me"}]',
      '[{"x":1}]',
      '[{"\\u0074":1,"d":2}]',
      '[{"tt":1}]',
      '[{"t":1,"t":2}]',
      '[{"d":1,"d":2}]',
      '[{"t":1,"d":2,"t":3}]',
      // Not JSON at all.
      '[',
      '[{',
      '[{"t"',
      '[{"t":',
      '[{"t":1',
      '[{"t":1,',
      '[{"t":1,"d":2',
      '[{"t":1,"d":2}',
      '[{"t":1,"d":2},]',
      '[,{"t":1}]',
      '[{"t":1,}]',
      '[{,"t":1}]',
      '[{"t":1}{"t":2}]',
      '[{"t":1}] x',
      '[{"t":1}]]',
      '[{"t":01}]',
      '[{"t":-}]',
      '[{"t":+1}]',
      '[{"t":1.}]',
      '[{"t":.5}]',
      '[{"t":1e}]',
      '[{"t":1e+}]',
      '[{"t":--1}]',
      '[{"t":1x}]',
      '[{"t":0x10}]',
      '[{"t":NaN}]',
      '[{"t":Infinity}]',
      '[{"d":tru}]',
      '[{"d":truex}]',
      '[{"d":nul}]',
      '[{"t" 1}]',
      "[{'t':1}]",
      '[{t:1}]',
      '[{"t":1,"d":2}]\u00a0',
      '\ufeff[{"t":1}]',
      '[{"t":1,"d":2}]\u0000',
    ];
    for (const text of others) expect(parse(text), text).toBeUndefined();
  });

  it('reads a 100,000-point batch', () => {
    const text = `[${Array.from({ length: 100_000 }, (_, i) => `{"t":${1.6e9 + i},"d":${(i % 2001) / 100 - 10}}`).join(',')}]`;
    expectSameAsJsonParse(text);
  });
});
