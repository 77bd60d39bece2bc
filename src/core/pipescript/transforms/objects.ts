/**
 * Transforms over the fields of object data. Scripts given to them run on each field's value as a
 * stream of its own (one datapoint, or all values for `reduce`) at the datapoint's timestamp.
 */
import { RunError } from '../PipeScriptError';
import { describe } from '../coerce';
import type { Program, RunContext } from '../program';
import type { TransformDef } from '../registry';
import { boolOf, constInt, floatOf, mapData, objectEntries } from './helpers';

function runOnValue(
  script: Program,
  t: number,
  value: unknown,
  rc: RunContext,
): { ok: boolean; value: unknown } {
  const result = script.exec({ t: [t], d: [value] }, rc);
  const k = result.d.length;
  return k === 0 ? { ok: false, value: undefined } : { ok: true, value: result.d[k - 1] };
}

const apply: TransformDef = {
  name: 'apply',
  description: 'Applies the given transform to each value of a JSON object',
  documentation: 'On `{"a": 5, "b": -2}`, `apply($ + 2)` returns `{"a": 7, "b": 0}`.',
  args: [{ description: 'The script to run on each value of the object', kind: 'pipe' }],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ pipes }) {
    const script = pipes[0]!;
    return (input, _values, rc) =>
      mapData(input, (d, i) => {
        const entries: [string, unknown][] = [];
        for (const [key, value] of objectEntries(d, 'apply')) {
          const result = runOnValue(script, input.t[i]!, value, rc);
          if (result.ok) entries.push([key, result.value]);
        }
        return Object.fromEntries(entries);
      });
  },
};

const filter: TransformDef = {
  name: 'filter',
  description:
    'Takes a json object, and considers each field to be a separate datapoint. It removes all elements for which its argument returns true.',
  documentation:
    'On `{"a": 45, "b": 23, "c": -3}`, `filter($ < 0)` returns `{"a": 45, "b": 23}`. ' +
    '`map(domain, count) | filter($ <= 30)` keeps the sites visited more than 30 times.',
  args: [{ description: 'The condition; values for which it is true are removed', kind: 'pipe' }],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ pipes }) {
    const script = pipes[0]!;
    return (input, _values, rc) =>
      mapData(input, (d, i) => {
        const entries: [string, unknown][] = [];
        for (const [key, value] of objectEntries(d, 'filter')) {
          const result = runOnValue(script, input.t[i]!, value, rc);
          if (!result.ok || !boolOf(result.value)) entries.push([key, value]);
        }
        return Object.fromEntries(entries);
      });
  },
};

const reduce: TransformDef = {
  name: 'reduce',
  description:
    "Takes a json object, and considers each field to be a separate datapoint's data. It then runs the transform in its argument over the elements",
  documentation:
    'On `{"a": 3, "b": 5}`, `reduce(sum)` returns `8`: the script runs over the values as one stream ' +
    'and its last result is returned (null when it returns nothing). ' +
    '`while(not day:changed, sum) | map(weekday, mean) | reduce(mean)` is the mean daily sum.',
  args: [{ description: 'The script to run over the values', kind: 'pipe' }],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ pipes }) {
    const script = pipes[0]!;
    return (input, _values, rc) =>
      mapData(input, (d, i) => {
        let values: unknown[];
        if (Array.isArray(d)) values = d;
        else if (typeof d === 'object' && d !== null) values = Object.values(d);
        else throw new RunError(`Can't reduce non-object/array datapoint ${describe(d)}`);
        rc.charge(values.length);
        const result = script.exec({ t: new Array<number>(values.length).fill(input.t[i]!), d: values }, rc);
        const k = result.d.length;
        return k === 0 ? null : result.d[k - 1];
      });
  },
};

function ranked(name: 'top' | 'bottom'): TransformDef {
  const descending = name === 'top';
  return {
    name,
    description: `Takes a json object, and returns the ${name} n elements`,
    documentation:
      `Keeps the n fields with the ${descending ? 'largest' : 'smallest'} values: on ` +
      `\`{"a": 0, "b": -45, "c": 80}\`, \`${name}(2)\` returns ` +
      `${descending ? '`{"a": 0, "c": 80}`' : '`{"a": 0, "b": -45}`'}. A script as second argument ` +
      'computes the weight of each value.',
    args: [
      { description: 'The number of elements to retain of the object', kind: 'constant' },
      {
        description: 'The script to run on each value to get the weight to sort by',
        kind: 'pipe',
        optional: true,
        defaultIdentity: true,
      },
    ],
    oneToOne: true,
    stateless: true,
    peek: false,
    build({ consts, pipes }) {
      const count = constInt(consts[0], `The argument of ${name}`);
      const script = pipes[0]!;
      return (input, _values, rc) =>
        mapData(input, (d, i) => {
          const weighted = objectEntries(d, name).map(([key, value], order) => {
            const result = runOnValue(script, input.t[i]!, value, rc);
            if (!result.ok) throw new RunError(`The weight script of ${name} returned nothing for '${key}'`);
            return { key, value, order, weight: floatOf(result.value) };
          });
          weighted.sort(
            (a, b) => (descending ? b.weight - a.weight : a.weight - b.weight) || a.order - b.order,
          );
          return Object.fromEntries(weighted.slice(0, Math.max(count, 0)).map((e) => [e.key, e.value]));
        });
    },
  };
}

const percent: TransformDef = {
  name: 'percent',
  description: 'Normalizes the values of a JSON object',
  documentation:
    'Divides each value by the sum of the values, so they add up to 1: `{"a": 2, "b": 5, "c": 1, "d": 2}` ' +
    'becomes `{"a": 0.2, "b": 0.5, "c": 0.1, "d": 0.2}`. Negative values count as 0.',
  args: [],
  oneToOne: true,
  stateless: true,
  peek: false,
  build: () => (input) =>
    mapData(input, (d) => {
      const entries = objectEntries(d, 'percent').map(([key, value]): [string, number] => {
        const f = floatOf(value);
        return [key, f < 0 ? 0 : f];
      });
      let total = 0;
      for (const [, f] of entries) total += f;
      if (total > 0) for (const entry of entries) entry[1] /= total;
      return Object.fromEntries(entries);
    }),
};

const EARTH_RADIUS_M = 6371000;
const RADIANS = Math.PI / 180;

function field(d: unknown, name: string): number {
  if (typeof d !== 'object' || d === null || !Object.hasOwn(d, name)) {
    throw new RunError(`Could not find '${name}' in ${describe(d)}`);
  }
  return floatOf((d as Record<string, unknown>)[name]);
}

const distance: TransformDef = {
  name: 'distance',
  description: 'Returns the distance in meters of the datapoint from the given coordinates',
  documentation:
    'Data with `latitude` and `longitude` fields (decimal degrees) becomes its distance in meters from ' +
    'the arguments, by the haversine formula: `distance(40.4268, -86.9165) < 50` is true within 50 m.',
  args: [
    { description: 'The latitude of the point to measure from', kind: 'value' },
    { description: 'The longitude of the point to measure from', kind: 'value' },
  ],
  oneToOne: true,
  stateless: true,
  peek: false,
  build:
    () =>
    (input, [lat, lon]) =>
      mapData(input, (d, i) => {
        const lat1 = field(d, 'latitude') * RADIANS;
        const lon1 = field(d, 'longitude') * RADIANS;
        const lat2 = floatOf(lat!.d[i]) * RADIANS;
        const lon2 = floatOf(lon!.d[i]) * RADIANS;
        const a =
          Math.sin((lat2 - lat1) / 2) ** 2 +
          Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
        return EARTH_RADIUS_M * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
      }),
};

export const objectTransforms: TransformDef[] = [
  apply,
  filter,
  reduce,
  ranked('top'),
  ranked('bottom'),
  percent,
  distance,
];
