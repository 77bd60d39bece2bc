import type { PipeScriptError } from './PipeScriptError';

/** Characters of the script shown on each side of an error's position. */
const EXCERPT_RADIUS = 12;

/**
 * A one-line description of a failed script for a person: the phase, the engine's message and, when
 * the position is known, the 1-based character with a short excerpt around it. The script itself is
 * never echoed whole (it may be 8 KB long), and the position appears once.
 *
 * `PipeScript syntax error: Unexpected character '.' (at character 2, near “$.key”)`
 */
export function describePipeScriptError(error: PipeScriptError, source: string): string {
  const kind = error.phase === 'parse' ? 'syntax' : 'run-time';
  return `PipeScript ${kind} error: ${error.message}${describePosition(source, error.position)}`;
}

function describePosition(source: string, position: number | undefined): string {
  if (position === undefined) return '';
  const at = Math.min(Math.max(0, Math.trunc(position)), source.length);
  const start = Math.max(0, at - EXCERPT_RADIUS);
  const end = Math.min(source.length, at + EXCERPT_RADIUS);
  // Scripts may span lines; the excerpt stays on one.
  const excerpt = `${start > 0 ? '…' : ''}${source.slice(start, end)}${end < source.length ? '…' : ''}`
    .replace(/\s+/g, ' ')
    .trim();
  if (at >= source.length) return excerpt ? ` (at the end of the script, after “${excerpt}”)` : '';
  return ` (at character ${at + 1}, near “${excerpt}”)`;
}
