import { describe, expect, it } from 'vitest';
import { describePipeScriptError, parsePipeScript, PipeScriptError } from './index';

function failure(source: string, input: { t: number; d: unknown }[] = []): PipeScriptError {
  try {
    parsePipeScript(source).run(input);
  } catch (error) {
    if (error instanceof PipeScriptError) return error;
    throw error;
  }
  throw new Error(`${source} did not fail`);
}

describe('PipeScriptError', () => {
  it('keeps the message and the position apart', () => {
    const error = failure('$.key');
    expect(error.message).toBe("Unexpected character '.'");
    expect(error.position).toBe(1);
  });
});

describe('describePipeScriptError', () => {
  it('names the phase, the message and one 1-based position with the text near it', () => {
    expect(describePipeScriptError(failure('$.key'), '$.key')).toBe(
      "PipeScript syntax error: Unexpected character '.' (at character 2, near “$.key”)",
    );
    const run = failure('if $ > 5', [{ t: 1, d: 'hot' }]);
    expect(describePipeScriptError(run, 'if $ > 5')).toBe(
      "PipeScript run-time error: Values given to comparison not numerical: 'hot' > 5 (at character 6, near “if $ > 5”)",
    );
  });

  it('says when the script ends too early', () => {
    expect(describePipeScriptError(failure('if $ >'), 'if $ >')).toBe(
      'PipeScript syntax error: Unexpected end of script (at the end of the script, after “if $ >”)',
    );
  });

  it('shows a short excerpt of a long script, on one line, instead of the whole script', () => {
    const source = `${'$ + 1 | '.repeat(900)}\n  $ ! 2 | ${'sum | '.repeat(100)}`;
    const text = describePipeScriptError(failure(source), source);
    const at = source.indexOf('!');
    expect(text).toBe(
      `PipeScript syntax error: Unexpected character '!' (at character ${at + 1}, near “… + 1 | $ ! 2 | sum | …”)`,
    );
    expect(text.length).toBeLessThan(120);
  });

  it('leaves out the position when the engine does not know it', () => {
    const error = new PipeScriptError('run', 'Internal error: out of memory');
    expect(describePipeScriptError(error, 'sum')).toBe(
      'PipeScript run-time error: Internal error: out of memory',
    );
  });
});
