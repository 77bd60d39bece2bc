/**
 * PipeScript transforms on the server: reads, subscriptions, merge and datasets. A script is
 * compiled before any data is read, so a syntax error costs nothing; a run-time error fails the
 * whole request (never partial data).
 */
import type { Datapoint } from '../../core/model';
import { parsePipeScript, PipeScriptError, type PipeScript } from '../../core/pipescript';
import { badRequest } from './Refusal';

function describe(err: PipeScriptError, source: string): string {
  const where = err.position === undefined ? '' : ` (at character ${err.position + 1} of '${source}')`;
  return `PipeScript ${err.phase === 'parse' ? 'syntax' : 'run-time'} error: ${err.message}${where}`;
}

/** Compiles a transform; throws a 400 Refusal with the position of a syntax error. */
export function compileTransform(source: string): PipeScript {
  try {
    return parsePipeScript(source);
  } catch (err) {
    if (err instanceof PipeScriptError) throw badRequest(describe(err, source));
    throw err;
  }
}

/** Runs a compiled transform over one complete stream; throws a 400 Refusal on a run-time error. */
export function runTransform(script: PipeScript, points: readonly Datapoint[]): Datapoint[] {
  try {
    return script.run(points);
  } catch (err) {
    if (err instanceof PipeScriptError) throw badRequest(describe(err, script.source));
    throw err;
  }
}
