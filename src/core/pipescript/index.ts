/**
 * PipeScript v1, the transform language of ConnectorDB 0.3. See README.md for the contract and
 * QUIRKS.md for where it deliberately differs from the original.
 */
import { allTransforms, describeTransform } from './registry';
import type { TransformInfo } from './registry';
import './transforms';

export { PipeScriptError, DEFAULT_PIPESCRIPT_LIMITS } from './PipeScriptError';
export type { PipeScriptLimits } from './PipeScriptError';
export { describePipeScriptError } from './describePipeScriptError';
export { parsePipeScript } from './parsePipeScript';
export type { PipeScript } from './parsePipeScript';
export { listInterpolators } from './interpolatorInfo';
export type { InterpolatorInfo } from './interpolatorInfo';
export type { TransformInfo };

/** Every built-in transform with its documentation, keyed by name. */
export function listTransforms(): Record<string, TransformInfo> {
  return Object.fromEntries(allTransforms().map((def) => [def.name, describeTransform(def)]));
}
