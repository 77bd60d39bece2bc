/**
 * PipeScript transforms on the server: reads, subscriptions, merge and datasets. A script is
 * compiled before any data is read, so a syntax error costs nothing; a run-time error fails the
 * whole request (never partial data). Every refusal names one 1-based position with a short
 * excerpt of the script (`describePipeScriptError`), never the whole script.
 */
import type { Datapoint } from '../../core/model';
import {
  describePipeScriptError,
  parsePipeScript,
  PipeScriptError,
  type PipeScript,
} from '../../core/pipescript';
import { badRequest } from './Refusal';

/** Compiles a transform; throws a 400 Refusal with the position of a syntax error. */
export function compileTransform(source: string): PipeScript {
  try {
    return parsePipeScript(source);
  } catch (err) {
    if (err instanceof PipeScriptError) throw badRequest(describePipeScriptError(err, source));
    throw err;
  }
}

/** Runs a compiled transform over one complete stream; throws a 400 Refusal on a run-time error. */
export function runTransform(script: PipeScript, points: readonly Datapoint[]): Datapoint[] {
  try {
    return script.run(points);
  } catch (err) {
    if (err instanceof PipeScriptError) throw badRequest(describePipeScriptError(err, script.source));
    throw err;
  }
}
