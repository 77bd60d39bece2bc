/**
 * Splits a script into tokens. Unlike the original, an unknown character is an error instead of the
 * silent end of the script, and keywords (`and`, `or`, `not`, `true`, `false`) are whole words only,
 * so `orange` is an identifier.
 */
import { PipeScriptError } from './PipeScriptError';

export type TokenType =
  | 'number'
  | 'string'
  | 'bool'
  | 'ident'
  | 'and'
  | 'or'
  | 'not'
  | 'compare'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | ','
  | '('
  | ')'
  | '['
  | ']'
  | '{'
  | '}'
  | '|'
  | ':'
  | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Identifier name, operator spelling, or the decoded value of a string literal. */
  readonly text: string;
  readonly position: number;
  /**
   * An identifier followed directly by whitespace: `if $ > 5` calls `if` bash-style, while `f(x)`
   * is a function call and `month - 1` a subtraction.
   */
  readonly spaceAfter: boolean;
}

const KEYWORDS: Record<string, TokenType> = { and: 'and', or: 'or', not: 'not', true: 'bool', false: 'bool' };
const SINGLE: Record<string, TokenType> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '^': '^',
  ',': ',',
  '(': '(',
  ')': ')',
  '[': '[',
  ']': ']',
  '{': '{',
  '}': '}',
  '|': '|',
  ':': ':',
};
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', "'": "'" };

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$');
}
function isIdentPart(c: string | undefined): boolean {
  return isIdentStart(c) || isDigit(c);
}

function syntaxError(message: string, position: number): never {
  throw new PipeScriptError('parse', message, position);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  const push = (type: TokenType, text: string, position: number, spaceAfter = false): void => {
    tokens.push({ type, text, position, spaceAfter });
  };

  while (i < n) {
    const c = source[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      while (isDigit(source[i])) i++;
      if (source[i] === '.' && isDigit(source[i + 1])) {
        i++;
        while (isDigit(source[i])) i++;
      }
      push('number', source.slice(start, i), start);
      continue;
    }
    if (isIdentStart(c)) {
      while (isIdentPart(source[i])) i++;
      const word = source.slice(start, i);
      const keyword = KEYWORDS[word];
      if (keyword) push(keyword, word, start);
      else push('ident', word, start, isSpace(source[i]));
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let value = '';
      for (;;) {
        if (i >= n) syntaxError('Unterminated string', start);
        const ch = source[i]!;
        if (ch === c) {
          i++;
          break;
        }
        if (ch === '\\' && i + 1 < n) {
          const escaped = ESCAPES[source[i + 1]!];
          // Unknown escapes stay as written, so regex('\d+') means what it says.
          value += escaped ?? `\\${source[i + 1]!}`;
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      push('string', value, start);
      continue;
    }
    if (c === '<' || c === '>' || c === '=' || c === '!') {
      const two = source.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '==' || two === '!=') {
        push('compare', two, start);
        i += 2;
        continue;
      }
      if (c === '<' || c === '>') {
        push('compare', c, start);
        i++;
        continue;
      }
      syntaxError(
        c === '=' ? `'=' is not an operator; use '==' to compare` : `Unexpected character '!'`,
        start,
      );
    }
    const single = SINGLE[c];
    if (single) {
      push(single, c, start);
      i++;
      continue;
    }
    const shown = c.codePointAt(0)! < 32 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c;
    syntaxError(`Unexpected character '${shown}'`, start);
  }
  push('eof', '', n);
  return tokens;
}
