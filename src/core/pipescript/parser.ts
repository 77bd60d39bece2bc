/**
 * Recursive-descent parser for PipeScript v1. Precedence, loosest first:
 *
 *   |  (pipe)  >  bash-style call `f a b`  >  or  >  and  >  not  >  == != < <= > >=
 *   >  + -  >  * /  >  % ^  >  unary -  >  :  (pipe inside an expression)
 *
 * as in the original yacc grammar (`not 0.1 < 1` is `not (0.1 < 1)`, `-2^2` is 4, `2*3^2` is 18).
 * Chains of one precedence level are kept flat, so `a or b or c ...` does not nest; only brackets,
 * calls, object literals and prefix operators count towards the depth limit.
 */
import { PipeScriptError } from './PipeScriptError';
import { tokenize } from './lexer';
import type { Token, TokenType } from './lexer';

export type Ast =
  | { readonly kind: 'literal'; readonly value: number | string | boolean; readonly position: number }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly Ast[];
      readonly position: number;
    }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: Ast; readonly position: number }
  | {
      readonly kind: 'binary';
      readonly operands: readonly Ast[];
      /** `operators[i]` combines the result so far with `operands[i + 1]`. */
      readonly operators: readonly { readonly op: string; readonly position: number }[];
      readonly position: number;
    }
  | { readonly kind: 'pipe'; readonly elements: readonly Ast[]; readonly position: number }
  | {
      readonly kind: 'object';
      readonly entries: readonly { readonly key: string; readonly value: Ast; readonly position: number }[];
      readonly position: number;
    };

const BASH_ARG_START: ReadonlySet<TokenType> = new Set([
  'number',
  'string',
  'bool',
  'ident',
  'not',
  '(',
  '[',
  '{',
]);

function describeToken(token: Token): string {
  if (token.type === 'eof') return 'end of script';
  if (token.type === 'string') return 'string';
  return `'${token.text}'`;
}

export function parse(source: string, maxDepth: number): Ast {
  const tokens = tokenize(source);
  let index = 0;
  let depth = 0;

  const peek = (ahead = 0): Token => tokens[Math.min(index + ahead, tokens.length - 1)]!;
  const next = (): Token => tokens[index++]!;
  const fail = (token: Token, message?: string): never => {
    throw new PipeScriptError('parse', message ?? `Unexpected ${describeToken(token)}`, token.position);
  };
  const expect = (type: TokenType, what: string): Token => {
    const token = peek();
    if (token.type !== type) fail(token, `Expected ${what} but found ${describeToken(token)}`);
    return next();
  };
  const enter = (token: Token): void => {
    if (++depth > maxDepth) fail(token, `Script is nested more than ${maxDepth} levels deep`);
  };

  function pipeline(): Ast {
    const first = element();
    if (peek().type !== '|') return first;
    const elements = [first];
    while (peek().type === '|') {
      next();
      elements.push(element());
    }
    return { kind: 'pipe', elements, position: first.position };
  }

  function element(): Ast {
    const token = peek();
    if (token.type === 'ident' && token.spaceAfter && BASH_ARG_START.has(peek(1).type)) {
      next();
      const args = [expression()];
      while (BASH_ARG_START.has(peek().type)) args.push(expression());
      return { kind: 'call', name: token.text, args, position: token.position };
    }
    return expression();
  }

  function chain(operand: () => Ast, accepts: (token: Token) => boolean): Ast {
    const first = operand();
    if (!accepts(peek())) return first;
    const operands = [first];
    const operators: { op: string; position: number }[] = [];
    while (accepts(peek())) {
      const op = next();
      operators.push({ op: op.type === 'compare' ? op.text : op.type, position: op.position });
      operands.push(operand());
    }
    return { kind: 'binary', operands, operators, position: first.position };
  }

  const expression = (): Ast => chain(conjunction, (t) => t.type === 'or');
  const conjunction = (): Ast => chain(negation, (t) => t.type === 'and');

  function negation(): Ast {
    const token = peek();
    if (token.type !== 'not') return comparison();
    enter(token);
    next();
    const operand = negation();
    depth--;
    return { kind: 'unary', op: 'not', operand, position: token.position };
  }

  const comparison = (): Ast => chain(sum, (t) => t.type === 'compare');
  const sum = (): Ast => chain(product, (t) => t.type === '+' || t.type === '-');
  const product = (): Ast => chain(power, (t) => t.type === '*' || t.type === '/');
  const power = (): Ast => chain(minus, (t) => t.type === '%' || t.type === '^');

  function minus(): Ast {
    const token = peek();
    if (token.type !== '-') return colon();
    enter(token);
    next();
    const operand = minus();
    depth--;
    return { kind: 'unary', op: '-', operand, position: token.position };
  }

  function colon(): Ast {
    const first = primary();
    if (peek().type !== ':') return first;
    const elements = [first];
    while (peek().type === ':') {
      next();
      elements.push(colonOperand());
    }
    return { kind: 'pipe', elements, position: first.position };
  }

  function colonOperand(): Ast {
    const token = peek();
    if (token.type !== '-' && token.type !== 'not') return primary();
    enter(token);
    next();
    const operand = colonOperand();
    depth--;
    return { kind: 'unary', op: token.type, operand, position: token.position };
  }

  function primary(): Ast {
    const token = peek();
    switch (token.type) {
      case 'number':
        next();
        return { kind: 'literal', value: Number(token.text), position: token.position };
      case 'string':
        next();
        return { kind: 'literal', value: token.text, position: token.position };
      case 'bool':
        next();
        return { kind: 'literal', value: token.text === 'true', position: token.position };
      case 'not':
        return negation();
      case '(':
      case '[': {
        enter(token);
        next();
        const inner = pipeline();
        expect(token.type === '(' ? ')' : ']', token.type === '(' ? "')'" : "']'");
        depth--;
        return inner;
      }
      case '{':
        return object();
      case 'ident':
        return call();
      default:
        return fail(token);
    }
  }

  function call(): Ast {
    const name = next();
    const open = peek();
    if (name.spaceAfter || (open.type !== '(' && open.type !== '[')) {
      return { kind: 'call', name: name.text, args: [], position: name.position };
    }
    enter(open);
    next();
    const close = open.type === '(' ? ')' : ']';
    const args: Ast[] = [];
    if (!(close === ')' && peek().type === ')')) {
      args.push(expression());
      while (peek().type === ',') {
        next();
        args.push(expression());
      }
    }
    expect(close, `',' or '${close}'`);
    depth--;
    return { kind: 'call', name: name.text, args, position: name.position };
  }

  function object(): Ast {
    const open = next();
    enter(open);
    const entries: { key: string; value: Ast; position: number }[] = [];
    const seen = new Set<string>();
    for (;;) {
      const key = expect('string', 'a quoted key');
      if (seen.has(key.text)) fail(key, `Key '${key.text}' found multiple times in json object`);
      seen.add(key.text);
      expect(':', "':'");
      entries.push({ key: key.text, value: expression(), position: key.position });
      if (peek().type === '}') break;
      expect(',', "',' or '}'");
    }
    next();
    depth--;
    return { kind: 'object', entries, position: open.position };
  }

  if (peek().type === 'eof') fail(peek(), 'The script is empty');
  const root = pipeline();
  const rest = peek();
  if (rest.type !== 'eof') fail(rest);
  return root;
}
