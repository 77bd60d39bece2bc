/**
 * Command states from stored history (the `downlink` substream and the stream read over HTTP),
 * where the order of arrival is lost and only timestamps from different clocks are left.
 */
import type { Datapoint } from '../model';
import {
  initialDownlinkState,
  reduceDownlink,
  type DownlinkEvent,
  type DownlinkOptions,
  type DownlinkState,
} from './reduceDownlink';
import { valuesMatch } from './valuesMatch';

/** A report up to this many seconds older than a command may still acknowledge it. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 2;

/** Stored history of one downlink stream and how to read its timestamps. */
export interface DownlinkHistory extends DownlinkOptions {
  /** The `downlink` substream as stored (time order), each with its sender `o`. */
  commands: readonly Datapoint[];
  /**
   * The stream as stored (time order; among equal timestamps, in stored order). Read it from the
   * oldest command's `t` minus `toleranceSeconds`, or an old command may look unanswered.
   */
  reports: readonly Datapoint[];
  /** Now, in seconds on the caller's clock (`Date.now() / 1000` in a browser). */
  now: number;
  /**
   * How far the clock of the stored timestamps (the server's, for commands sent without `t`) is
   * ahead of the caller's clock, in seconds; negative when behind. Default 0.
   */
  clockSkewSeconds?: number;
  /**
   * How much older than a command a report may be and still acknowledge it, for devices whose
   * clock is behind. Default 2 s.
   */
  toleranceSeconds?: number;
}

/**
 * Replays stored history through {@link reduceDownlink} and ticks it to `now`. Continue with live
 * events (`command`/`report` with the time they arrived) on the returned state.
 */
export function deriveCommandStates(history: DownlinkHistory): DownlinkState {
  let state = initialDownlinkState(history);
  for (const event of orderDownlinkHistory(history)) state = reduceDownlink(state, event);
  return reduceDownlink(state, { type: 'tick', now: history.now });
}

/**
 * Merges stored commands and reports into the order they most probably arrived in, with times on
 * the caller's clock (`t - clockSkewSeconds`):
 *
 * - by timestamp; on equal timestamps the command first, because an acknowledgement that echoes the
 *   command's `t` (the Python client's and the sdk's pattern) carries exactly that timestamp, and
 *   a restamped one only a later one;
 * - except that a report less than `toleranceSeconds` before a command that matches its value — and
 *   not the value of the command before, which it would then more likely answer — moves after the
 *   command, with the reports that follow it, so a device whose clock is behind still acknowledges.
 *   A non-matching report is never moved: a slightly older other value is most likely the state
 *   the command is meant to change, not a mismatch.
 */
export function orderDownlinkHistory(
  history: Omit<DownlinkHistory, 'now' | 'timeoutSeconds'>,
): DownlinkEvent[] {
  const { commands, reports } = history;
  const skew = history.clockSkewSeconds ?? 0;
  const tolerance = history.toleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const numberTolerance = history.numberTolerance ?? 0;
  type ReportEvent = Extract<DownlinkEvent, { type: 'report' }>;
  const events: DownlinkEvent[] = [];
  /** The reports since the latest command, held back in case the next command claims some. */
  let tail: ReportEvent[] = [];
  let previous: Datapoint | undefined;
  let c = 0;
  let r = 0;
  while (c < commands.length || r < reports.length) {
    const command = commands[c];
    const report = reports[r];
    if (command && (!report || command.t <= report.t)) {
      const claimed = tail.findIndex(
        ({ point }) =>
          point.t >= command.t - tolerance &&
          valuesMatch(command.d, point.d, numberTolerance) &&
          !(previous && valuesMatch(previous.d, point.d, numberTolerance)),
      );
      const split = claimed < 0 ? tail.length : claimed;
      for (let i = 0; i < split; i++) events.push(tail[i]!);
      events.push({ type: 'command', point: command, at: command.t - skew });
      tail = tail.slice(split);
      previous = command;
      c++;
    } else if (report) {
      tail.push({ type: 'report', point: report, at: report.t - skew });
      r++;
    }
  }
  // A loop, not a spread: a day of 1 Hz reports would overflow the argument limit.
  for (const event of tail) events.push(event);
  return events;
}
