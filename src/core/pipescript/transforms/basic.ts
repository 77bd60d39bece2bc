/** Identity, timestamps, counters and running aggregates. */
import { RunError } from '../PipeScriptError';
import { describe, goFormatFloat, looseEquals, toInt, toStr } from '../coerce';
import type { TransformDef } from '../registry';
import {
  SPLIT_MAX,
  SeriesBuilder,
  boolOf,
  constFloat,
  constInt,
  constString,
  floatOf,
  mapData,
  stringOf,
} from './helpers';

function getElement(data: unknown, key: unknown): unknown {
  if (Array.isArray(data)) {
    const index = toInt(key);
    if (index !== undefined && index >= 0 && index < data.length) return data[index];
  } else if (typeof data === 'object' && data !== null) {
    const name = toStr(key);
    if (name !== undefined && Object.hasOwn(data, name)) return (data as Record<string, unknown>)[name];
  }
  throw new RunError(`Could not find ${describe(key)} in ${describe(data)}`);
}

function identity(name: string, description: string): TransformDef {
  return {
    name,
    description,
    documentation:
      "The current datapoint's data: `$ > 20` compares it, `if $ > 20` filters by it. With an argument it " +
      'returns a field of an object or an element of an array: on `{"steps": 14}`, `$("steps")` (or ' +
      '`d("steps")`, `$["steps"]`) gives `14`.',
    args: [
      {
        description: 'The field name or array index to return, for object or array data.',
        kind: 'constant',
        optional: true,
        default: null,
      },
    ],
    oneToOne: true,
    stateless: true,
    peek: false,
    build({ consts }) {
      const key = consts[0];
      if (key === null || key === undefined) return (input) => input;
      return (input) => mapData(input, (d) => getElement(d, key));
    },
  };
}

const running = (
  name: string,
  description: string,
  documentation: string,
  step: () => (d: unknown, t: number, i: number) => unknown,
): TransformDef => ({
  name,
  description,
  documentation,
  args: [],
  oneToOne: true,
  stateless: false,
  peek: false,
  build: () => (input) => {
    const f = step();
    return mapData(input, (d, i) => f(d, input.t[i]!, i));
  },
});

const count = running(
  'count',
  'Counts the number of datapoints that have been seen.',
  'Returns 1, 2, 3, ... for the datapoints of the stream. `if $ >= 8 | count | if last` counts the ratings of 8 or more.',
  () => (_d, _t, i) => i + 1,
);

const iTransform = running(
  'i',
  'Equivalent to the i in a loop over the sequence, starting from 0.',
  'Returns 0, 1, 2, ...: one less than `count`.',
  () => (_d, _t, i) => i,
);

const sum = running(
  'sum',
  'Adds all of the values of the datapoints that pass through it',
  'A running sum: on `1,3,4` it returns `1,4,8`. The total is `sum | if last`.',
  () => {
    let total = 0;
    return (d) => (total += floatOf(d));
  },
);

const mean = running(
  'mean',
  'Returns the average of all datapoints that have passed through it',
  'A running mean: on `1,3,5` it returns `1,2,3`. The mean of the stream is `mean | if last`.',
  () => {
    let total = 0;
    return (d, _t, i) => (total += floatOf(d)) / (i + 1);
  },
);

const t: TransformDef = {
  ...running(
    't',
    "The current datapoint's timestamp in floating point unix seconds",
    'Returns the timestamp of each datapoint as its data.',
    () => (_d, time) => time,
  ),
  stateless: true,
};

const dt = running(
  'dt',
  'Returns time difference between this and previous datapoint',
  'On timestamps `4, 20, 50` it returns `0, 16, 30`: the first datapoint has no previous one.',
  () => {
    let previous = NaN;
    return (_d, time, i) => {
      const gap = i === 0 ? 0 : time - previous;
      previous = time;
      return gap;
    };
  },
);

const first = running(
  'first',
  'Returns true if first datapoint of a sequence, and false otherwise',
  '`if first or last` keeps the first and the last datapoint of the stream.',
  () => (_d, _t, i) => i === 0,
);

const last: TransformDef = {
  name: 'last',
  description: 'Returns true if last datapoint of a sequence, and false otherwise',
  documentation:
    'True on the last datapoint. Aggregates are running values, so `sum | if last` returns just the total.',
  args: [],
  oneToOne: true,
  stateless: false,
  peek: true,
  build: () => (input) => {
    const n = input.t.length;
    return mapData(input, (_d, i) => i === n - 1);
  },
};

const NEXT_MAX = 100;

const next: TransformDef = {
  name: 'next',
  description:
    'Returns the datapoint that will be next in the sequence. If given an argument, can return the nth datapoint forward.',
  documentation:
    'On `1,2,3,3,4`, `$ == next` gives `false,false,true,false,false`. At the end of the stream it returns ' +
    'null data. `day == next:day` is true while the next datapoint is on the same day.',
  args: [
    {
      description: 'How many datapoints forward to look (1 to 100).',
      kind: 'constant',
      optional: true,
      default: 1,
    },
  ],
  oneToOne: true,
  stateless: false,
  peek: true,
  build({ consts }) {
    const ahead = constInt(consts[0], 'The argument of next');
    if (ahead < 1) throw new Error('next must look at least one datapoint forward');
    if (ahead > NEXT_MAX) throw new Error(`next cannot look more than ${NEXT_MAX} datapoints forward`);
    return (input) => {
      const n = input.t.length;
      const outT = new Array<number>(n);
      const outD = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const j = i + ahead;
        // The looked-at datapoint is returned whole, timestamp included.
        outT[i] = j < n ? input.t[j]! : input.t[i]!;
        outD[i] = j < n ? input.d[j] : null;
      }
      return { t: outT, d: outD };
    };
  },
};

const changed = running(
  'changed',
  'Returns true if the datapoint has a different value from the previous one',
  'On `1,2,3,3,4` it returns `true,true,true,false,true`; the first datapoint counts as changed. ' +
    '`if changed` keeps the transitions of a stream of activities.',
  () => {
    let previous: unknown;
    return (d, _t, i) => {
      const result = i === 0 || !looseEquals(previous, d);
      previous = d;
      return result;
    };
  },
);

const newTransform = running(
  'new',
  'Returns true only when the given data was not yet seen.',
  'On `"foo","foo","bar","foo"` it returns `true,false,true,false`. `if new` keeps unique values.',
  () => {
    const seen = new Set<string>();
    return (d) => {
      const key = stringOf(d);
      if (seen.has(key)) return false;
      if (seen.size >= SPLIT_MAX) throw new RunError(`Reached maximum split amount ${SPLIT_MAX}.`);
      seen.add(key);
      return true;
    };
  },
);

const length: TransformDef = {
  name: 'length',
  description: 'Returns the length of the given data (returns 0 on non-array-like)',
  documentation:
    'The number of characters of a string, elements of an array or fields of an object; 0 for anything else.',
  args: [],
  oneToOne: true,
  stateless: true,
  peek: false,
  build: () => (input) =>
    mapData(input, (d) => {
      if (typeof d === 'string') {
        let n = 0;
        for (const _ of d) n++;
        return n;
      }
      if (Array.isArray(d)) return d.length;
      if (typeof d === 'object' && d !== null) return Object.keys(d).length;
      return 0;
    }),
};

const alltrue = running(
  'alltrue',
  'Returns true if all datapoints seen have been true',
  'On `true,true,false,true` it returns `true,true,false,false`.',
  () => {
    let all = true;
    return (d) => (all = boolOf(d) && all);
  },
);

const anytrue = running(
  'anytrue',
  'Returns true if at least one of the datapoints seen was true',
  'On `false,false,true,false` it returns `false,false,true,true`.',
  () => {
    let any = false;
    return (d) => (any = boolOf(d) || any);
  },
);

const rand = running(
  'rand',
  'Returns a random float in [0.0,1.0)',
  '`if rand < 0.7` keeps about 70% of the datapoints, chosen at random.',
  () => () => Math.random(),
);

const tshift: TransformDef = {
  name: 'tshift',
  description: 'Shift the datapoint timestamp by a constant number of seconds',
  documentation: '`tshift 3600` moves every datapoint an hour later; the data is unchanged.',
  args: [{ description: 'The number of seconds to shift the timestamp', kind: 'constant' }],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ consts }) {
    const shift = constFloat(consts[0], 'The argument of tshift');
    return (input) => ({ t: input.t.map((time) => time + shift), d: input.d });
  },
};

function extreme(name: 'max' | 'min'): TransformDef {
  const better = name === 'max' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  return {
    name,
    description: `Returns the ${name === 'max' ? 'maximum' : 'minimum'} datapoint seen thus far`,
    documentation:
      `A running ${name === 'max' ? 'maximum' : 'minimum'} that returns the whole datapoint (its timestamp ` +
      `included). With an argument, the datapoint whose argument is the ${name}: \`${name}(length)\`. ` +
      `The overall ${name} is \`${name} | if last\`.`,
    args: [
      {
        description: `The value to compare (default: the data)`,
        kind: 'value',
        optional: true,
        defaultIdentity: true,
      },
    ],
    oneToOne: true,
    stateless: false,
    peek: false,
    build:
      () =>
      (input, [weights]) => {
        const n = input.t.length;
        const outT = new Array<number>(n);
        const outD = new Array<unknown>(n);
        let best = NaN;
        let bestIndex = -1;
        for (let i = 0; i < n; i++) {
          const w = floatOf(weights!.d[i]);
          if (bestIndex < 0 || better(w, best)) {
            best = w;
            bestIndex = i;
          }
          outT[i] = input.t[bestIndex]!;
          outD[i] = input.d[bestIndex];
        }
        return { t: outT, d: outD };
      },
  };
}

const remember: TransformDef = {
  name: 'remember',
  description: 'Behaves as a single-datapoint memory cell, which is reset when its first argument is true.',
  documentation:
    'Returns the remembered datapoint: the first one, then each one for which the condition is true. ' +
    '`remember($ == true, sum)` remembers the running sum at each true datapoint.',
  args: [
    { description: 'When true, remember the current datapoint (or the second argument).', kind: 'value' },
    {
      description: 'The value to remember instead of the datapoint.',
      kind: 'value',
      optional: true,
      defaultIdentity: true,
    },
  ],
  oneToOne: true,
  stateless: false,
  peek: false,
  build:
    () =>
    (input, [condition, value]) => {
      const n = input.t.length;
      const outT = new Array<number>(n);
      const outD = new Array<unknown>(n);
      let index = -1;
      for (let i = 0; i < n; i++) {
        if (boolOf(condition!.d[i]) || index < 0) index = i;
        outT[i] = value!.t[index]!;
        outD[i] = value!.d[index];
      }
      return { t: outT, d: outD };
    },
};

const bucket: TransformDef = {
  name: 'bucket',
  description: 'Puts numbers into custom-sized buckets. Useful for histograms.',
  documentation:
    'Returns the bucket of each number in interval notation: `bucket(10)` on `2,16,-5` gives ' +
    '`"[0,10)","[10,20)","[-10,0)"`. `map(bucket(10), count)` is a histogram.',
  args: [
    { description: 'The size of each bucket', kind: 'constant', optional: true, default: 10 },
    { description: 'Start location for bucketing', kind: 'constant', optional: true, default: 0 },
  ],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ consts }) {
    const size = constFloat(consts[0], 'The bucket size');
    const start = constFloat(consts[1], 'The bucket start');
    if (size <= 0) throw new Error('The bucket size must be positive');
    return (input) =>
      mapData(input, (d) => {
        const index = Math.floor((floatOf(d) - start) / size);
        return `[${goFormatFloat(start + index * size)},${goFormatFloat(start + (index + 1) * size)})`;
      });
  },
};

/** `ttrue` and `tfalse`: how long a boolean stream stays at one value before switching. */
function timeIn(name: 'ttrue' | 'tfalse'): TransformDef {
  const target = name === 'ttrue';
  return {
    name,
    description: `The time period for which a boolean stream is ${target} before turning ${!target}`,
    documentation:
      `For each run of \`${target}\` datapoints, returns the seconds from its first datapoint to the ` +
      `datapoint where it turned \`${!target}\` (at that timestamp), or to the end of the stream.`,
    args: [],
    oneToOne: false,
    stateless: false,
    peek: false,
    build: () => (input) => {
      const out = new SeriesBuilder();
      const n = input.t.length;
      let i = 0;
      while (i < n) {
        if (boolOf(input.d[i]) !== target) {
          i++;
          continue;
        }
        const start = input.t[i]!;
        i++;
        for (; i < n; i++) {
          const end = input.t[i]!;
          if (boolOf(input.d[i]) !== target) {
            out.push(end, end - start);
            i++;
            break;
          }
          if (i === n - 1) out.push(end, end - start);
        }
      }
      return { t: out.t, d: out.d };
    },
  };
}

function copyObject(data: unknown, transform: string): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new RunError(`${transform} needs object-valued data, got ${describe(data)}`);
  }
  return { ...(data as Record<string, unknown>) };
}

const set: TransformDef = {
  name: 'set',
  description: 'Allows setting object values',
  documentation: '`set("unit", "km")` adds (or replaces) the field `unit` of object data.',
  args: [
    { description: 'The name of field to set', kind: 'constant' },
    { description: 'The value to set the field to', kind: 'value' },
  ],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ consts }) {
    const key = constString(consts[0], 'The field name');
    return (input, [value]) =>
      mapData(input, (d, i) => {
        const copy = copyObject(d, 'set');
        // defineProperty, so that a field named "__proto__" is a field and not the prototype.
        Object.defineProperty(copy, key, {
          value: value!.d[i],
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return copy;
      });
  },
};

const del: TransformDef = {
  name: 'del',
  description: 'Allows deleting object values',
  documentation: '`del("note")` removes the field `note` from object data.',
  args: [{ description: 'The name of field to delete', kind: 'constant' }],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ consts }) {
    const key = constString(consts[0], 'The field name');
    return (input) =>
      mapData(input, (d) => {
        const copy = copyObject(d, 'del');
        delete copy[key];
        return copy;
      });
  },
};

export const basicTransforms: TransformDef[] = [
  identity(
    '$',
    'Identity transform - gives the current datapoint in sequence (or if given argument, a sub-object).',
  ),
  identity('d', 'Same as $ - the data portion of a datapoint'),
  t,
  dt,
  count,
  iTransform,
  sum,
  mean,
  first,
  last,
  next,
  changed,
  newTransform,
  length,
  alltrue,
  anytrue,
  rand,
  tshift,
  extreme('max'),
  extreme('min'),
  remember,
  bucket,
  timeIn('ttrue'),
  timeIn('tfalse'),
  set,
  del,
];
