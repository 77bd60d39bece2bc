/** Transforms for text data. */
import { RunError } from '../PipeScriptError';
import { afinnScores } from '../afinn';
import { toStr } from '../coerce';
import { LinearRegex, RegexSyntaxError } from '../linearRegex';
import type { TransformDef } from '../registry';
import { constString, mapData, stringOf } from './helpers';

/** The original's limit on the string `append` builds. */
const STRING_MAX = 1_000_000;

const PUNCTUATION = /[.,/#!$%^&*;:{}=\-_`~()]+/g;

/** Lower-cased words with punctuation removed, as the original's sentiment tokenizer split them. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, ' ')
    .split(/\s+/)
    .filter((word) => word !== '');
}

const append: TransformDef = {
  name: 'append',
  description: 'Appends data into one large string',
  documentation:
    'On `"hello ", "world", 24, true` it returns `"hello ", "hello world", "hello world24", "hello world24true"`.',
  args: [],
  oneToOne: true,
  stateless: false,
  peek: false,
  build: () => (input, _values, rc) => {
    let text = '';
    return mapData(input, (d) => {
      text += stringOf(d);
      if (text.length > STRING_MAX) throw new RunError(`Reached maximum string length ${STRING_MAX}.`);
      // Each output is a copy of the string so far: count its size against the budget.
      rc.charge(text.length);
      return text;
    });
  },
};

const contains: TransformDef = {
  name: 'contains',
  description: 'Returns true if the given string is found in the datapoint string',
  documentation: 'On `"Hello World!", "hello world"`, `contains("World")` returns `true, false`.',
  args: [{ description: 'The string to search for', kind: 'constant' }],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ consts }) {
    const needle = constString(consts[0], 'The argument of contains');
    return (input) => mapData(input, (d) => stringOf(d).includes(needle));
  },
};

const regex: TransformDef = {
  name: 'regex',
  description: 'Returns true if the given regular expression matches the data string',
  documentation:
    '`regex("^[a-z0-9_-]{3,16}$")` is true for strings that look like user names. The syntax is RE2\'s ' +
    '(as in the original): no backreferences or lookaround; `(?i)` makes it case-insensitive.',
  args: [{ description: 'The regular expression', kind: 'constant' }],
  oneToOne: true,
  stateless: true,
  peek: false,
  build({ consts }) {
    const pattern = constString(consts[0], 'The argument of regex');
    let matcher: LinearRegex;
    try {
      matcher = new LinearRegex(pattern);
    } catch (error) {
      if (error instanceof RegexSyntaxError) throw new Error(`Invalid regex: ${error.message}`);
      throw error;
    }
    return (input, _values, rc) =>
      mapData(input, (d) => {
        const text = stringOf(d);
        rc.charge(matcher.cost(text.length));
        return matcher.test(text);
      });
  },
};

const sentiment: TransformDef = {
  name: 'sentiment',
  description: "Returns a value in [-1,1] as a simple measure of a text's sentiment",
  documentation:
    'Sums the AFINN-111 scores (-5 to +5) of the words and divides by five times the number of words: ' +
    '"I hate this place" gives -0.15, "I like to eat" 0.1.',
  args: [],
  oneToOne: true,
  stateless: true,
  peek: false,
  build: () => (input) => {
    const scores = afinnScores();
    return mapData(input, (d) => {
      const words = tokenize(stringOf(d));
      if (words.length === 0) return 0;
      let total = 0;
      for (const word of words) total += scores.get(word) ?? 0;
      return total / (5 * words.length);
    });
  },
};

const wc: TransformDef = {
  name: 'wc',
  description: 'Counts the words in a string',
  documentation: '`wc` on `"Hello World!"` returns `2`.',
  args: [],
  oneToOne: true,
  stateless: true,
  peek: false,
  build: () => (input) => mapData(input, (d) => tokenize(stringOf(d)).length),
};

/** The host of a URL as Go's url.Parse finds it ("" when there is none), without a leading "www.". */
export function urlDomain(url: string): string {
  let rest = url.split('#', 1)[0]!;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  if (!rest.startsWith('//')) return '';
  const authority = rest.slice(2).split(/[/?]/, 1)[0]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (/[\s%<>"\\^`{|}]/.test(host)) return '';
  return host.startsWith('www.') ? host.slice(4) : host;
}

const domain: TransformDef = {
  name: 'domain',
  description: 'Returns the domain name/host that is used in the given url',
  documentation:
    '`"https://golang.org/pkg/net/url/"` becomes `"golang.org"` and `"https://www.connectordb.io"` ' +
    '`"connectordb.io"`; data that is not a URL gives `""`.',
  args: [],
  oneToOne: true,
  stateless: true,
  peek: false,
  build: () => (input) =>
    mapData(input, (d) => {
      const text = typeof d === 'string' ? d : toStr(d);
      return text === undefined ? '' : urlDomain(text);
    }),
};

export const stringTransforms: TransformDef[] = [append, contains, regex, sentiment, wc, domain];
