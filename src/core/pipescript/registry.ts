/**
 * The built-in transforms and their metadata, as served by `GET /api/v1/meta/transforms`.
 */
import type { Program, RunContext, Series } from './program';

/**
 * How an argument is passed: `value` is a one-to-one script evaluated on every datapoint, `constant`
 * must fold to a value when the script is parsed, and `pipe` is a script the transform runs itself
 * (the original called these "hijacked", e.g. the `sum` in `while(cond, sum)`).
 */
export type ArgKind = 'value' | 'constant' | 'pipe';

export interface ArgSpec {
  readonly description: string;
  readonly kind: ArgKind;
  readonly optional?: boolean;
  /** Default of an optional `constant` argument. */
  readonly default?: unknown;
  /** An optional `value` or `pipe` argument that defaults to the identity `$`. */
  readonly defaultIdentity?: boolean;
}

/**
 * Runs one transform over a whole input; `values` holds the evaluated `value` arguments in order,
 * unless the executor is marked `skipsValues` (it then reads what it needs from `BuildArgs.values`).
 */
export type Executor = ((input: Series, values: readonly Series[], rc: RunContext) => Series) & {
  readonly skipsValues?: boolean;
};

export interface BuildArgs {
  /** Folded values of `constant` arguments, by argument index (undefined elsewhere). */
  readonly consts: readonly unknown[];
  /** Compiled `pipe` arguments, in order. */
  readonly pipes: readonly Program[];
  /** Compiled `value` arguments, in order (for executors that want to skip evaluating them). */
  readonly values: readonly Program[];
}

export interface TransformDef {
  readonly name: string;
  readonly description: string;
  /** Markdown with an example. */
  readonly documentation: string;
  readonly args: readonly ArgSpec[];
  readonly oneToOne: boolean;
  /** Output for a datapoint depends only on that datapoint. */
  readonly stateless: boolean;
  readonly peek: boolean;
  /** `pipe` arguments may not use transforms that look ahead (as in the original). */
  readonly pipesMustNotPeek?: boolean;
  /** `pipe` arguments must emit one datapoint per input, because results are matched by position. */
  readonly pipesMustBeOneToOne?: boolean;
  /**
   * Validates constants and returns the executor. Throwing an Error rejects the script at parse time
   * with its message.
   */
  build(args: BuildArgs): Executor;
}

const registry = new Map<string, TransformDef>();

export function register(...defs: TransformDef[]): void {
  for (const def of defs) {
    if (registry.has(def.name)) throw new Error(`Transform '${def.name}' registered twice`);
    registry.set(def.name, def);
  }
}

export function lookupTransform(name: string): TransformDef | undefined {
  return registry.get(name);
}

export function allTransforms(): readonly TransformDef[] {
  return [...registry.values()];
}

/** Metadata of one transform, in the shape the original served. */
export interface TransformInfo {
  name: string;
  description: string;
  documentation: string;
  args: { description: string; type?: string; optional?: boolean; default?: unknown; hijacked?: boolean }[];
  one_to_one: boolean;
  stateless: boolean;
  peek: boolean;
}

const ARG_TYPES: Record<ArgKind, string> = { value: 'transform', constant: 'constant', pipe: 'pipe' };

export function describeTransform(def: TransformDef): TransformInfo {
  return {
    name: def.name,
    description: def.description,
    documentation: def.documentation,
    args: def.args.map((arg) => {
      const info: TransformInfo['args'][number] = { description: arg.description, type: ARG_TYPES[arg.kind] };
      if (arg.optional) info.optional = true;
      if (arg.default !== undefined) info.default = arg.default;
      if (arg.defaultIdentity) info.default = '$';
      if (arg.kind === 'pipe') info.hijacked = true;
      return info;
    }),
    one_to_one: def.oneToOne,
    stateless: def.stateless,
    peek: def.peek,
  };
}
