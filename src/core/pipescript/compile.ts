/**
 * Turns the syntax tree into a {@link Program}, enforcing the original's rules: transforms must exist
 * and get the right number of arguments, `constant` arguments must fold to a value, arguments and
 * operands must be one-to-one, and some scripts run by a transform may not look ahead.
 *
 * Constant expressions are folded here. A constant whose evaluation fails (`-'hello'`) is not a parse
 * error, as in the original: it fails the run at its first datapoint.
 */
import { PipeScriptError, RunError } from './PipeScriptError';
import { binaryOperator, negate, not } from './operators';
import type { BinaryFn } from './operators';
import type { Ast } from './parser';
import { constantSeries, positioned } from './program';
import type { Constant, Program, RunContext, Series } from './program';
import { lookupTransform } from './registry';
import type { Executor, TransformDef } from './registry';
import './transforms';

function parseError(message: string, position: number): never {
  throw new PipeScriptError('parse', message, position);
}

function fold(compute: () => unknown): Constant {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    if (error instanceof RunError) return { ok: false, message: error.message };
    throw error;
  }
}

class ConstantProgram implements Program {
  readonly oneToOne = true;
  readonly peek = false;
  constructor(
    readonly constant: Constant,
    readonly position: number,
  ) {}

  exec(input: Series, rc: RunContext): Series {
    const n = input.t.length;
    if (!this.constant.ok) {
      if (n > 0) throw new PipeScriptError('run', this.constant.message, this.position);
      return input;
    }
    rc.charge(n);
    return constantSeries(input, this.constant.value);
  }
}

class PipeProgram implements Program {
  readonly oneToOne: boolean;
  readonly peek: boolean;
  readonly constant = undefined;
  constructor(
    private readonly elements: readonly Program[],
    readonly position: number,
  ) {
    this.oneToOne = elements.every((e) => e.oneToOne);
    this.peek = elements.some((e) => e.peek);
  }

  exec(input: Series, rc: RunContext): Series {
    let series = input;
    for (const element of this.elements) series = element.exec(series, rc);
    return series;
  }
}

class UnaryProgram implements Program {
  readonly oneToOne = true;
  readonly constant = undefined;
  readonly peek: boolean;
  constructor(
    private readonly fn: (value: unknown) => unknown,
    private readonly operand: Program,
    readonly position: number,
  ) {
    this.peek = operand.peek;
  }

  exec(input: Series, rc: RunContext): Series {
    const values = this.operand.exec(input, rc).d;
    const n = values.length;
    rc.charge(n);
    const out = new Array<unknown>(n);
    try {
      for (let i = 0; i < n; i++) out[i] = this.fn(values[i]);
    } catch (error) {
      positioned(error, this.position);
    }
    return { t: input.t, d: out };
  }
}

class BinaryProgram implements Program {
  readonly oneToOne = true;
  readonly constant = undefined;
  readonly peek: boolean;
  constructor(
    private readonly operands: readonly Program[],
    private readonly fns: readonly BinaryFn[],
    private readonly positions: readonly number[],
    readonly position: number,
  ) {
    this.peek = operands.some((o) => o.peek);
  }

  exec(input: Series, rc: RunContext): Series {
    const n = input.t.length;
    // Constant operands stay scalars instead of becoming columns.
    const columns = this.operands.map((o) => (o.constant?.ok ? undefined : o.exec(input, rc).d));
    const scalars = this.operands.map((o) => (o.constant?.ok ? o.constant.value : undefined));
    let acc = columns[0];
    let accScalar = scalars[0];
    for (let k = 0; k < this.fns.length; k++) {
      const fn = this.fns[k]!;
      const right = columns[k + 1];
      const rightScalar = scalars[k + 1];
      rc.charge(n);
      try {
        if (!acc && !right) {
          if (n > 0) accScalar = fn(accScalar, rightScalar);
          continue;
        }
        const out = new Array<unknown>(n);
        if (acc && right) for (let i = 0; i < n; i++) out[i] = fn(acc[i], right[i]);
        else if (acc) for (let i = 0; i < n; i++) out[i] = fn(acc[i], rightScalar);
        else for (let i = 0; i < n; i++) out[i] = fn(accScalar, right![i]);
        acc = out;
      } catch (error) {
        positioned(error, this.positions[k]!);
      }
    }
    return acc ? { t: input.t, d: acc } : constantSeries(input, accScalar);
  }
}

class ObjectProgram implements Program {
  readonly oneToOne = true;
  readonly constant = undefined;
  readonly peek: boolean;
  constructor(
    private readonly keys: readonly string[],
    private readonly values: readonly Program[],
    readonly position: number,
  ) {
    this.peek = values.some((v) => v.peek);
  }

  exec(input: Series, rc: RunContext): Series {
    const n = input.t.length;
    const columns = this.values.map((v) => v.exec(input, rc).d);
    rc.charge(n * this.keys.length);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = Object.fromEntries(this.keys.map((key, k) => [key, columns[k]![i]]));
    return { t: input.t, d: out };
  }
}

class TransformProgram implements Program {
  readonly constant = undefined;
  readonly oneToOne: boolean;
  readonly peek: boolean;
  readonly transformName: string | undefined;
  constructor(
    def: TransformDef,
    private readonly values: readonly Program[],
    private readonly executor: Executor,
    readonly position: number,
    hasArguments: boolean,
  ) {
    this.oneToOne = def.oneToOne;
    this.peek = def.peek || values.some((v) => v.peek);
    this.transformName = hasArguments ? undefined : def.name;
  }

  exec(input: Series, rc: RunContext): Series {
    const values = this.executor.skipsValues ? [] : this.values.map((v) => v.exec(input, rc));
    rc.charge(input.t.length);
    try {
      return this.executor(input, values, rc);
    } catch (error) {
      return positioned(error, this.position);
    }
  }
}

function requireOneToOne(program: Program, what: string, position: number): void {
  if (!program.oneToOne) {
    parseError(`${what} must be one-to-one (it may not filter or aggregate datapoints)`, position);
  }
}

function compileCall(ast: Extract<Ast, { kind: 'call' }>): Program {
  const { name, args, position } = ast;
  const def = lookupTransform(name);
  if (!def) parseError(`Transform '${name}' not found`, position);
  if (args.length > def.args.length) {
    parseError(
      `${args.length} arguments were passed to '${name}', which only accepts ${def.args.length}`,
      args[def.args.length]!.position,
    );
  }
  const consts: unknown[] = [];
  const values: Program[] = [];
  const pipes: Program[] = [];
  def.args.forEach((spec, i) => {
    const arg = args[i];
    const label = `Argument ${i + 1} of transform '${name}'`;
    if (!arg) {
      if (!spec.optional) parseError(`${label} is required (got ${args.length} args)`, position);
      if (spec.kind === 'constant') consts[i] = spec.default;
      else (spec.kind === 'value' ? values : pipes).push(identity(position));
      return;
    }
    const program = compileNode(arg);
    if (spec.kind === 'constant') {
      if (!program.constant) parseError(`${label} must be a constant.`, arg.position);
      if (!program.constant.ok) parseError(program.constant.message, arg.position);
      consts[i] = program.constant.value;
    } else if (spec.kind === 'value') {
      requireOneToOne(program, label, arg.position);
      values.push(program);
    } else {
      if (def.pipesMustNotPeek && program.peek) {
        parseError(`'${name}' cannot be used with transforms that peek (next, last, while)`, arg.position);
      }
      if (def.pipesMustBeOneToOne) requireOneToOne(program, `The script given to '${name}'`, arg.position);
      pipes.push(program);
    }
  });
  let executor: Executor;
  try {
    executor = def.build({ consts, pipes, values });
  } catch (error) {
    if (error instanceof PipeScriptError) throw error;
    parseError(error instanceof Error ? error.message : String(error), position);
  }
  return new TransformProgram(def, values, executor, position, args.length > 0);
}

function identity(position: number): Program {
  return compileCall({ kind: 'call', name: '$', args: [], position });
}

function compileNode(ast: Ast): Program {
  switch (ast.kind) {
    case 'literal':
      return new ConstantProgram({ ok: true, value: ast.value }, ast.position);
    case 'call':
      return compileCall(ast);
    case 'unary': {
      const operand = compileNode(ast.operand);
      requireOneToOne(operand, `The operand of '${ast.op}'`, ast.operand.position);
      const fn = ast.op === '-' ? negate : not;
      if (operand.constant) {
        const inner = operand.constant;
        const folded = inner.ok ? fold(() => fn(inner.value)) : inner;
        return new ConstantProgram(folded, ast.position);
      }
      return new UnaryProgram(fn, operand, ast.position);
    }
    case 'binary': {
      const operands = ast.operands.map(compileNode);
      operands.forEach((o, k) => requireOneToOne(o, 'An operand', ast.operands[k]!.position));
      const fns = ast.operators.map((o) => binaryOperator(o.op));
      if (operands.every((o) => o.constant)) {
        const folded = fold(() => {
          let acc = constantValue(operands[0]!);
          fns.forEach((fn, k) => (acc = fn(acc, constantValue(operands[k + 1]!))));
          return acc;
        });
        return new ConstantProgram(folded, ast.position);
      }
      return new BinaryProgram(
        operands,
        fns,
        ast.operators.map((o) => o.position),
        ast.position,
      );
    }
    case 'pipe': {
      const elements = ast.elements.map(compileNode);
      const last = elements[elements.length - 1]!;
      // A one-to-one prefix piped into a constant yields that constant for every datapoint.
      if (last.constant && elements.slice(0, -1).every((e) => e.oneToOne)) {
        return new ConstantProgram(last.constant, ast.position);
      }
      return new PipeProgram(elements, ast.position);
    }
    case 'object': {
      const values = ast.entries.map((e) => compileNode(e.value));
      values.forEach((v, k) =>
        requireOneToOne(v, `The value of '${ast.entries[k]!.key}'`, ast.entries[k]!.position),
      );
      if (values.every((v) => v.constant)) {
        const folded = fold(() =>
          Object.fromEntries(ast.entries.map((e, k) => [e.key, constantValue(values[k]!)])),
        );
        return new ConstantProgram(folded, ast.position);
      }
      return new ObjectProgram(
        ast.entries.map((e) => e.key),
        values,
        ast.position,
      );
    }
  }
}

/** The value of a constant program; a failed constant rethrows its error for the enclosing fold. */
function constantValue(program: Program): unknown {
  const constant = program.constant!;
  if (!constant.ok) throw new RunError(constant.message);
  return constant.value;
}

export function compile(ast: Ast): Program {
  return compileNode(ast);
}
