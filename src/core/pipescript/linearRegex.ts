/**
 * A small regular-expression matcher in linear time, for the `regex` transform.
 *
 * The original used Go's RE2, whose matching time is linear in the input. JavaScript's backtracking
 * RegExp is not: a user's `(a+)+$` could hang the server, and no step budget can interrupt a single
 * RegExp call. So patterns are compiled here to an NFA and run as a Pike VM (a set of states per
 * character). The syntax is the RE2 subset that covers practical use: literals, `.`, classes
 * (`[a-z]`, `[^...]`, `[[:alpha:]]`), `\d \w \s \b` and their negations, anchors, groups (also
 * `(?:...)` and named), alternation, `* + ? {n,m}` (lazy forms match the same), and the flags
 * `(?i)`, `(?m)`, `(?s)`. Like RE2 it rejects backreferences and lookaround.
 */

type Test = (c: number) => boolean;
type Assertion = 'bol' | 'eol' | 'bot' | 'eot' | 'word' | 'notword';
type Inst =
  | { op: 'char'; test: Test }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: Assertion }
  | { op: 'match' };

type Node =
  | { kind: 'char'; test: Test }
  | { kind: 'assert'; assertion: Assertion }
  | { kind: 'concat'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; item: Node; min: number; max: number };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

const MAX_PROGRAM = 5000;
const MAX_REPEAT = 1000;
const NEWLINE = 10;

const isDigit: Test = (c) => c >= 48 && c <= 57;
const isWord: Test = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: Test = (c) => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const not =
  (test: Test): Test =>
  (c) =>
    !test(c);

const POSIX: Record<string, Test> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: isDigit,
  alnum: (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  space: (c) => isSpace(c) || c === 11,
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  punct: (c) =>
    (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
  word: isWord,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

function caseless(test: Test): Test {
  return (c) => {
    if (test(c)) return true;
    const s = String.fromCodePoint(c);
    const lower = s.toLowerCase();
    const upper = s.toUpperCase();
    return (lower !== s && test(lower.codePointAt(0)!)) || (upper !== s && test(upper.codePointAt(0)!));
  };
}

/** Thrown for a pattern this matcher refuses; the message names the problem. */
export class RegexSyntaxError extends Error {}

const MAX_NESTING = 100;

class Parser {
  private i = 0;
  private depth = 0;
  private readonly chars: number[];
  constructor(pattern: string) {
    this.chars = Array.from(pattern, (ch) => ch.codePointAt(0)!);
  }

  private peek(): number | undefined {
    return this.chars[this.i];
  }
  private fail(message: string): never {
    throw new RegexSyntaxError(message);
  }

  parse(): Node {
    const node = this.alternation({ i: false, m: false, s: false });
    if (this.i < this.chars.length) this.fail(`unexpected ')' in regex`);
    return node;
  }

  private alternation(flags: Flags): Node {
    if (++this.depth > MAX_NESTING) this.fail('regex is nested too deeply');
    const options = [this.sequence(flags)];
    while (this.peek() === 124 /* | */) {
      this.i++;
      options.push(this.sequence(flags));
    }
    this.depth--;
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  private sequence(outer: Flags): Node {
    const flags = { ...outer };
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== 124 && c !== 41; c = this.peek()) {
      if (c === 40 && this.chars[this.i + 1] === 63 && this.flagGroup(flags)) continue;
      let atom = this.atom(flags);
      atom = this.quantified(atom);
      items.push(atom);
    }
    return items.length === 1 ? items[0]! : { kind: 'concat', items };
  }

  /** `(?ims)` changes the flags of the rest of the group; returns false for other `(?` groups. */
  private flagGroup(flags: Flags): boolean {
    let j = this.i + 2;
    const set: Partial<Flags> = {};
    let negate = false;
    for (; ; j++) {
      const c = this.chars[j];
      if (c === 41 /* ) */) break;
      if (c === 45 /* - */ && !negate) negate = true;
      else if (c === 105 || c === 109 || c === 115) set[String.fromCharCode(c) as keyof Flags] = !negate;
      else return false;
    }
    Object.assign(flags, set);
    this.i = j + 1;
    return true;
  }

  private quantified(atom: Node): Node {
    let result = atom;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === 42 /* * */) [min, max] = [0, Infinity];
      else if (c === 43 /* + */) [min, max] = [1, Infinity];
      else if (c === 63 /* ? */) [min, max] = [0, 1];
      else if (c === 123 /* { */) {
        const range = this.repeatRange();
        if (!range) return result;
        [min, max] = range;
      } else return result;
      if (c !== 123) this.i++;
      if (result.kind === 'repeat' || result.kind === 'assert')
        this.fail('invalid nested repetition operator');
      if (this.peek() === 63) this.i++;
      result = { kind: 'repeat', item: result, min, max };
    }
  }

  private repeatRange(): [number, number] | undefined {
    const rest = String.fromCodePoint(...this.chars.slice(this.i, this.i + 16));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT) || max < min)
      this.fail('invalid repeat count');
    this.i += m[0].length;
    return [min, max];
  }

  private atom(flags: Flags): Node {
    const c = this.peek()!;
    this.i++;
    const literal = (test: Test): Node => ({ kind: 'char', test: flags.i ? caseless(test) : test });
    switch (c) {
      case 40 /* ( */: {
        if (this.peek() === 63 /* ? */) {
          const rest = String.fromCodePoint(...this.chars.slice(this.i, this.i + 3));
          if (rest.startsWith('?:')) this.i += 2;
          else if (rest.startsWith('?P<') || (rest.startsWith('?<') && rest[2] !== '=' && rest[2] !== '!')) {
            const close = this.chars.indexOf(62 /* > */, this.i);
            if (close < 0) this.fail('invalid named capture');
            this.i = close + 1;
          } else {
            const inner = this.flagsInside(flags);
            if (!inner) this.fail('lookaround and other (? groups are not supported');
            const node = this.alternation(inner);
            this.close();
            return { kind: 'concat', items: [node] };
          }
        }
        // Wrapped so that `(a*)*` is a repetition of a group, not a repeated repetition.
        const node = this.alternation(flags);
        this.close();
        return { kind: 'concat', items: [node] };
      }
      case 41:
        return this.fail("unexpected ')' in regex");
      case 46 /* . */:
        return { kind: 'char', test: flags.s ? () => true : (x) => x !== NEWLINE };
      case 94 /* ^ */:
        return { kind: 'assert', assertion: flags.m ? 'bol' : 'bot' };
      case 36 /* $ */:
        return { kind: 'assert', assertion: flags.m ? 'eol' : 'eot' };
      case 91 /* [ */:
        return literal(this.charClass());
      case 92 /* \ */: {
        const escaped = this.escape(false);
        return 'assertion' in escaped
          ? { kind: 'assert', assertion: escaped.assertion }
          : literal(escaped.test);
      }
      case 42:
      case 43:
      case 63:
        return this.fail('missing argument to repetition operator');
      default:
        return literal((x) => x === c);
    }
  }

  /** `(?i:...)`: flags for the group only. */
  private flagsInside(flags: Flags): Flags | undefined {
    let j = this.i + 1;
    const inner = { ...flags };
    let negate = false;
    for (; ; j++) {
      const c = this.chars[j];
      if (c === 58 /* : */) break;
      if (c === 45 && !negate) negate = true;
      else if (c === 105 || c === 109 || c === 115) inner[String.fromCharCode(c) as keyof Flags] = !negate;
      else return undefined;
    }
    this.i = j + 1;
    return inner;
  }

  private close(): void {
    if (this.peek() !== 41) this.fail("missing ')' in regex");
    this.i++;
  }

  private escape(inClass: boolean): { test: Test } | { assertion: Assertion } {
    const c = this.peek();
    if (c === undefined) this.fail('trailing backslash at end of regex');
    this.i++;
    const ch = String.fromCodePoint(c);
    switch (ch) {
      case 'd':
        return { test: isDigit };
      case 'D':
        return { test: not(isDigit) };
      case 'w':
        return { test: isWord };
      case 'W':
        return { test: not(isWord) };
      case 's':
        return { test: isSpace };
      case 'S':
        return { test: not(isSpace) };
      case 'n':
        return { test: (x) => x === 10 };
      case 't':
        return { test: (x) => x === 9 };
      case 'r':
        return { test: (x) => x === 13 };
      case 'f':
        return { test: (x) => x === 12 };
      case 'v':
        return { test: (x) => x === 11 };
      case 'x': {
        const rest = String.fromCodePoint(...this.chars.slice(this.i, this.i + 10));
        const m = /^(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{2}))/.exec(rest);
        if (!m) this.fail('invalid \\x escape in regex');
        this.i += m[0].length;
        const code = parseInt(m[1] ?? m[2]!, 16);
        return { test: (x) => x === code };
      }
    }
    if (!inClass) {
      if (ch === 'b') return { assertion: 'word' };
      if (ch === 'B') return { assertion: 'notword' };
      if (ch === 'A') return { assertion: 'bot' };
      if (ch === 'z') return { assertion: 'eot' };
    }
    // Like RE2, only punctuation may be escaped; `\1` (a backreference) and `\p{...}` are refused.
    if (c < 128 && !/[0-9A-Za-z]/.test(ch)) return { test: (x) => x === c };
    return this.fail(`invalid escape sequence \\${ch} in regex`);
  }

  private charClass(): Test {
    const negated = this.peek() === 94;
    if (negated) this.i++;
    const tests: Test[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("missing ']' in regex character class");
      if (c === 93 /* ] */ && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === 91 && this.chars[this.i + 1] === 58 /* [: */) {
        const end = String.fromCodePoint(...this.chars.slice(this.i)).indexOf(':]');
        const name = String.fromCodePoint(...this.chars.slice(this.i + 2, this.i + end));
        const posix = POSIX[name.replace(/^\^/, '')];
        if (end < 0 || !posix) this.fail(`invalid character class [:${name}:]`);
        tests.push(name.startsWith('^') ? not(posix) : posix);
        this.i += end + 2;
        continue;
      }
      const low = this.classChar();
      if (typeof low !== 'number') {
        tests.push(low);
        continue;
      }
      if (
        this.peek() === 45 /* - */ &&
        this.chars[this.i + 1] !== 93 &&
        this.chars[this.i + 1] !== undefined
      ) {
        this.i++;
        const high = this.classChar();
        if (typeof high !== 'number' || high < low) this.fail('invalid character class range');
        tests.push((x) => x >= low && x <= high);
      } else tests.push((x) => x === low);
    }
    const any: Test = (x) => tests.some((test) => test(x));
    return negated ? not(any) : any;
  }

  private classChar(): number | Test {
    const c = this.peek()!;
    this.i++;
    if (c !== 92) return c;
    const start = this.i;
    const escaped = this.escape(true);
    if ('assertion' in escaped) this.fail('invalid escape in character class');
    // A single escaped character can start a range; classes like \d cannot.
    const single = this.chars[start]!;
    if (this.i === start + 1 && !/[dDwWsS]/.test(String.fromCodePoint(single))) {
      for (let x = 0; x < 128; x++) if (escaped.test(x)) return x;
    }
    return escaped.test;
  }
}

function compile(node: Node, program: Inst[]): void {
  const emit = (inst: Inst): number => {
    if (program.length >= MAX_PROGRAM) throw new RegexSyntaxError('regex is too large');
    program.push(inst);
    return program.length - 1;
  };
  switch (node.kind) {
    case 'char':
      emit({ op: 'char', test: node.test });
      return;
    case 'assert':
      emit({ op: 'assert', kind: node.assertion });
      return;
    case 'concat':
      for (const item of node.items) compile(item, program);
      return;
    case 'alt': {
      const jumps: number[] = [];
      for (let k = 0; k < node.options.length - 1; k++) {
        const split = emit({ op: 'split', x: 0, y: 0 });
        (program[split] as { x: number }).x = program.length;
        compile(node.options[k]!, program);
        jumps.push(emit({ op: 'jmp', x: 0 }));
        (program[split] as { y: number }).y = program.length;
      }
      compile(node.options[node.options.length - 1]!, program);
      for (const j of jumps) (program[j] as { x: number }).x = program.length;
      return;
    }
    case 'repeat': {
      for (let k = 0; k < node.min; k++) compile(node.item, program);
      if (node.max === Infinity) {
        const split = emit({ op: 'split', x: program.length + 1, y: 0 });
        compile(node.item, program);
        emit({ op: 'jmp', x: split });
        (program[split] as { y: number }).y = program.length;
        return;
      }
      const splits: number[] = [];
      for (let k = node.min; k < node.max; k++) {
        splits.push(emit({ op: 'split', x: program.length + 1, y: 0 }));
        compile(node.item, program);
      }
      for (const s of splits) (program[s] as { y: number }).y = program.length;
      return;
    }
  }
}

/** A compiled pattern; `test` finds a match anywhere in the text. */
export class LinearRegex {
  private readonly program: Inst[];

  constructor(pattern: string) {
    const program: Inst[] = [];
    compile(new Parser(pattern).parse(), program);
    program.push({ op: 'match' });
    this.program = program;
  }

  /** Work of matching a text of the given length, for the caller's step budget. */
  cost(length: number): number {
    return (length + 1) * this.program.length;
  }

  test(text: string): boolean {
    const input = Array.from(text, (ch) => ch.codePointAt(0)!);
    const program = this.program;
    const size = program.length;
    const n = input.length;
    let current: number[] = [];
    let next: number[] = [];
    const mark = new Int32Array(size).fill(-1);
    const stack: number[] = [];

    const holds = (kind: Assertion, pos: number): boolean => {
      const before = pos > 0 ? input[pos - 1] : undefined;
      const after = pos < n ? input[pos] : undefined;
      switch (kind) {
        case 'bot':
          return pos === 0;
        case 'eot':
          return pos === n;
        case 'bol':
          return pos === 0 || before === NEWLINE;
        case 'eol':
          return pos === n || after === NEWLINE;
        case 'word':
        case 'notword': {
          const boundary =
            (before !== undefined && isWord(before)) !== (after !== undefined && isWord(after));
          return kind === 'word' ? boundary : !boundary;
        }
      }
    };

    // Adds the threads reachable from `pc` without consuming input; true when one matches.
    const add = (list: number[], pc: number, pos: number): boolean => {
      stack.push(pc);
      while (stack.length > 0) {
        const at = stack.pop()!;
        if (mark[at] === pos) continue;
        mark[at] = pos;
        const inst = program[at]!;
        switch (inst.op) {
          case 'match':
            stack.length = 0;
            return true;
          case 'jmp':
            stack.push(inst.x);
            break;
          case 'split':
            stack.push(inst.y, inst.x);
            break;
          case 'assert':
            if (holds(inst.kind, pos)) stack.push(at + 1);
            break;
          case 'char':
            list.push(at);
            break;
        }
      }
      return false;
    };

    for (let pos = 0; pos <= n; pos++) {
      // Unanchored search: a new thread may start at every position.
      if (add(current, 0, pos)) return true;
      if (pos === n) break;
      const c = input[pos]!;
      next.length = 0;
      for (const pc of current) {
        const inst = program[pc] as { op: 'char'; test: Test };
        if (inst.test(c) && add(next, pc + 1, pos + 1)) return true;
      }
      [current, next] = [next, current];
    }
    return false;
  }
}
