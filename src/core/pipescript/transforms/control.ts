/**
 * Filters and the transforms that run a script of their own over parts of the stream: `ifelse`,
 * `while`, `iwhile`, `map` and `imap`. Each run of such a script is a fresh stream, so its state
 * (a `sum`, a `count`) starts over exactly where the original reset it.
 */
import { RunError } from '../PipeScriptError';
import { EMPTY_SERIES, pick, slice } from '../program';
import type { Program, RunContext, Series } from '../program';
import type { TransformDef } from '../registry';
import { SPLIT_MAX, SeriesBuilder, boolOf, stringOf } from './helpers';

function conditionOf(value: unknown, transform: string): boolean {
  if (typeof value === 'boolean') return value;
  try {
    return boolOf(value);
  } catch {
    throw new RunError(`Argument given to ${transform} can't be converted to boolean`);
  }
}

function lastOnly(input: Series): Series {
  const n = input.t.length;
  return n === 0 ? EMPTY_SERIES : { t: [input.t[n - 1]!], d: [input.d[n - 1]] };
}

const ifTransform: TransformDef = {
  name: 'if',
  description: 'A datapoint filter - filters the datapoints where its argument is false.',
  documentation:
    'Keeps the datapoints for which the argument is true: on `1,2,3,4,5,6`, `if $ >= 5` gives `5,6`. ' +
    'Conditions combine with `and`, `or` and `not`. For a conditional value, see `ifelse`.',
  args: [{ description: 'The statement to check for truth', kind: 'value' }],
  oneToOne: false,
  stateless: true,
  peek: false,
  build({ values }) {
    // `if last` ends most scripts; it needs no column of booleans.
    if (values[0]?.transformName === 'last')
      return Object.assign((input: Series) => lastOnly(input), { skipsValues: true });
    return (input, [condition]) => {
      const out = new SeriesBuilder();
      const n = input.t.length;
      for (let i = 0; i < n; i++) {
        if (conditionOf(condition!.d[i], 'if')) out.push(input.t[i]!, input.d[i]);
      }
      return { t: out.t, d: out.d };
    };
  },
};

const ifelse: TransformDef = {
  name: 'ifelse',
  description: 'A conditional. This is what an if statement would be in other languages.',
  documentation:
    '`ifelse($ > 5, $ - 5)` lowers values above 5 by 5 and passes the others through; ' +
    '`ifelse($ > 5, $ - 3, $ + 2)` also changes the others. Each branch keeps its own state over the ' +
    'datapoints routed to it.',
  args: [
    { description: 'The statement to check for truth', kind: 'value' },
    { description: 'The script to run where the condition is true', kind: 'pipe' },
    {
      description: 'The script to run where it is false',
      kind: 'pipe',
      optional: true,
      defaultIdentity: true,
    },
  ],
  oneToOne: true,
  stateless: false,
  peek: false,
  pipesMustNotPeek: true,
  pipesMustBeOneToOne: true,
  build({ pipes }) {
    const [whenTrue, whenFalse] = pipes as [Program, Program];
    return (input, [condition], rc) => {
      const n = input.t.length;
      const yes: number[] = [];
      const no: number[] = [];
      for (let i = 0; i < n; i++) (conditionOf(condition!.d[i], 'ifelse') ? yes : no).push(i);
      if (no.length === 0) return whenTrue.exec(input, rc);
      if (yes.length === 0) return whenFalse.exec(input, rc);
      const t = new Array<number>(n);
      const d = new Array<unknown>(n);
      for (const [indices, program] of [
        [yes, whenTrue],
        [no, whenFalse],
      ] as const) {
        const result = program.exec(pick(input, indices), rc);
        for (let k = 0; k < indices.length; k++) {
          t[indices[k]!] = result.t[k]!;
          d[indices[k]!] = result.d[k];
        }
      }
      return { t, d };
    };
  },
};

const whileTransform: TransformDef = {
  name: 'while',
  description:
    'Equivalent to a while loop that runs while the first argument is true. Restarts the loop when the argument is false.',
  documentation:
    'Runs the script over consecutive datapoints and returns its last result once the condition of the ' +
    'next datapoint is false; the loop then restarts there. For daily sums write ' +
    '`while(not day:changed, sum)`. The often documented `while(day == next:day, sum)` compares each ' +
    "datapoint with the next one, so each day's last datapoint starts the following group. " +
    '`while(count % 3 != 0, mean)` averages every three datapoints.',
  args: [
    { description: 'The statement to check for truth', kind: 'value' },
    { description: 'The script to run, reset when the first argument is false', kind: 'pipe' },
  ],
  oneToOne: false,
  stateless: false,
  peek: true,
  pipesMustNotPeek: true,
  build({ pipes }) {
    const script = pipes[0]!;
    return (input, [condition], rc) => {
      const n = input.t.length;
      const out = new SeriesBuilder();
      let start = 0;
      for (let i = 0; i < n; i++) {
        // The first datapoint's condition is never read: a group ends before a false datapoint.
        if (i + 1 < n && conditionOf(condition!.d[i + 1], 'while')) continue;
        const result = script.exec(start === 0 && i === n - 1 ? input : slice(input, start, i + 1), rc);
        const k = result.t.length;
        if (k > 0) out.push(result.t[k - 1]!, result.d[k - 1]);
        start = i + 1;
      }
      return { t: out.t, d: out.d };
    };
  },
};

const iwhile: TransformDef = {
  name: 'iwhile',
  description:
    'Equivalent to a while loop that runs while the first argument is true. Restarts the loop when the argument is false. The i version returns all intermediate results.',
  documentation:
    "Like `while`, but returns the script's result for every datapoint; the script restarts at each " +
    'datapoint whose condition is false. On `5,2,3,1,2`, `iwhile($ != 1, sum)` gives `5,7,10,1,3`.',
  args: [
    { description: 'The statement to check for truth', kind: 'value' },
    { description: 'The script to run, reset when the first argument is false', kind: 'pipe' },
  ],
  oneToOne: true,
  stateless: false,
  peek: false,
  pipesMustNotPeek: true,
  pipesMustBeOneToOne: true,
  build({ pipes }) {
    const script = pipes[0]!;
    return (input, [condition], rc) => {
      const n = input.t.length;
      const starts: number[] = [];
      for (let i = 0; i < n; i++) if (!conditionOf(condition!.d[i], 'iwhile') || i === 0) starts.push(i);
      if (starts.length <= 1) return script.exec(input, rc);
      const t: number[] = [];
      const d: unknown[] = [];
      for (let g = 0; g < starts.length; g++) {
        const result = script.exec(slice(input, starts[g]!, starts[g + 1] ?? n), rc);
        for (let k = 0; k < result.t.length; k++) {
          t.push(result.t[k]!);
          d.push(result.d[k]);
        }
      }
      return { t, d };
    };
  },
};

/** Indices of the datapoints per key, keys in order of first appearance. */
function groupByKey(keys: Series, transform: string, rc: RunContext): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < keys.d.length; i++) {
    const key = stringOf(keys.d[i]);
    let group = groups.get(key);
    if (!group) {
      if (groups.size >= SPLIT_MAX) throw new RunError(`Reached maximum ${transform} amount ${SPLIT_MAX}.`);
      group = [];
      groups.set(key, group);
    }
    group.push(i);
  }
  rc.charge(groups.size);
  return groups;
}

const mapTransform: TransformDef = {
  name: 'map',
  description:
    'Splits the timeseries by the first arg, and returns an object where each key is the result of running the pipe in the transform in the second arg on the split series',
  documentation:
    'On `{"steps": 14, "activity": "walking"}`-like data, `map($("activity"), $("steps"):sum)` returns ' +
    'one object such as `{"walking": 26, "running": 15}`, at the timestamp of the last datapoint. ' +
    '`map(weekday, count)` counts datapoints per weekday; `map(bucket(10), count)` is a histogram.',
  args: [
    {
      description: 'The value to split on. This must be something that can be converted to string.',
      kind: 'value',
    },
    { description: 'The script to run for each different value of the first argument.', kind: 'pipe' },
  ],
  oneToOne: false,
  stateless: false,
  peek: false,
  pipesMustNotPeek: true,
  build({ pipes }) {
    const script = pipes[0]!;
    return (input, [keys], rc) => {
      const n = input.t.length;
      if (n === 0) return EMPTY_SERIES;
      const entries: [string, unknown][] = [];
      for (const [key, indices] of groupByKey(keys!, 'map', rc)) {
        const result = script.exec(pick(input, indices), rc);
        const k = result.d.length;
        if (k > 0) entries.push([key, result.d[k - 1]]);
      }
      return { t: [input.t[n - 1]!], d: [Object.fromEntries(entries)] };
    };
  },
};

const imap: TransformDef = {
  name: 'imap',
  description: 'Same as map, but returns all intermediate values (is one to one)',
  documentation:
    'Like `map`, but returns the object of results so far at every datapoint, which lets it be used ' +
    'inside other scripts: `map(weekday, imap(day, sum):reduce(mean))`.',
  args: [
    {
      description: 'The value to split on. This must be something that can be converted to string.',
      kind: 'value',
    },
    { description: 'The script to run for each different value of the first argument.', kind: 'pipe' },
  ],
  oneToOne: true,
  stateless: false,
  peek: false,
  pipesMustNotPeek: true,
  pipesMustBeOneToOne: true,
  build({ pipes }) {
    const script = pipes[0]!;
    return (input, [keys], rc) => {
      const n = input.t.length;
      const groups = groupByKey(keys!, 'map', rc);
      const resultAt = new Array<unknown>(n);
      const keyAt = new Array<string>(n);
      for (const [key, indices] of groups) {
        const result = script.exec(pick(input, indices), rc);
        for (let k = 0; k < indices.length; k++) {
          resultAt[indices[k]!] = result.d[k];
          keyAt[indices[k]!] = key;
        }
      }
      const current = new Map<string, unknown>();
      const d = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        current.set(keyAt[i]!, resultAt[i]);
        // A fresh object per datapoint: the original handed out one shared, still-changing map.
        d[i] = Object.fromEntries(current);
        rc.charge(current.size);
      }
      return { t: input.t, d };
    };
  },
};

export const controlTransforms: TransformDef[] = [
  ifTransform,
  ifelse,
  whileTransform,
  iwhile,
  mapTransform,
  imap,
];
