/**
 * The command state machine of one downlink stream (README.md): a pure reducer over commands (the
 * `downlink` substream), reports (the stream itself) and clock ticks, in the order they arrived.
 * No timers inside: the caller supplies every time, so a UI and a test drive it the same way.
 */
import type { Datapoint } from '../model';
import { valuesMatch } from './valuesMatch';

/**
 * Where a command stands. `requested` and `mismatch` are pending (they can still change);
 * `acknowledged` and `superseded` are final; `timed-out` is final except that a late matching
 * report turns it into `acknowledged` with `isLate`.
 */
export type CommandState = 'requested' | 'acknowledged' | 'mismatch' | 'timed-out' | 'superseded';

/** One command and what became of it. Times are seconds on the caller's clock (see README.md). */
export interface CommandRecord {
  /** The downlink datapoint: the requested value `d`, its sender `o`, its stored timestamp `t`. */
  readonly command: Datapoint;
  /** When the command arrived (live) or its timestamp moved to the caller's clock (history). */
  readonly requestedAt: number;
  /** `requestedAt` + the stream's timeout: a matching report after this is late. */
  readonly deadline: number;
  readonly state: CommandState;
  /** Acknowledged only after it had timed out. */
  readonly isLate: boolean;
  /**
   * The report that decided the state: the acknowledgement, or the latest other value the device
   * reported while this command was the newest (during `mismatch` or `timed-out`).
   */
  readonly report?: Datapoint;
  /** When `report` arrived, never before `requestedAt`. */
  readonly reportedAt?: number;
  /** When the command ended: acknowledged, timed out (= `deadline`) or superseded. */
  readonly endedAt?: number;
}

/** The device's latest report on the stream and when it arrived. */
export interface ReportRecord {
  readonly point: Datapoint;
  readonly at: number;
}

/** Settings of a stream's state machine. */
export interface DownlinkOptions {
  /** The stream's acknowledgement timeout (see `downlinkTimeoutSeconds`). */
  timeoutSeconds: number;
  /** Numbers within this absolute difference count as equal; default 0 (exact). */
  numberTolerance?: number;
  /** How many commands the log keeps, newest first; default 100. */
  logLimit?: number;
}

/** The state of one downlink stream. Treat as immutable: the reducer returns new objects. */
export interface DownlinkState {
  readonly timeoutSeconds: number;
  readonly numberTolerance: number;
  readonly logLimit: number;
  /** The command log, newest first; `commands[0]` is the current command. */
  readonly commands: readonly CommandRecord[];
  /** The latest report, whichever command it answered (the "reported" value of the UI). */
  readonly reported?: ReportRecord;
  /**
   * The latest time of a command or report seen so far. Later events are clamped to it, so a device
   * or browser clock that steps back can never make an answer precede its question.
   */
  readonly clock: number;
}

/** What the machine reacts to. `at`/`now` are seconds on the caller's clock. */
export type DownlinkEvent =
  /** A datapoint of the `downlink` substream (a new request), received at `at`. */
  | { type: 'command'; point: Datapoint; at: number }
  /** A datapoint of the stream itself (the device's confirmed state), received at `at`. */
  | { type: 'report'; point: Datapoint; at: number }
  /** Time passes: a pending command whose deadline is before `now` times out. */
  | { type: 'tick'; now: number }
  /** The stream's timeout changed: applies to the pending command and to later ones. */
  | { type: 'set-timeout'; timeoutSeconds: number };

export const DEFAULT_LOG_LIMIT = 100;

/** A machine with no commands and no report yet. */
export function initialDownlinkState(options: DownlinkOptions): DownlinkState {
  return {
    timeoutSeconds: options.timeoutSeconds,
    numberTolerance: options.numberTolerance ?? 0,
    logLimit: Math.max(1, options.logLimit ?? DEFAULT_LOG_LIMIT),
    commands: [],
    clock: -Infinity,
  };
}

/** Whether the command can still change on its own (by a report or by timing out). */
export function isPending(record: CommandRecord): boolean {
  return record.state === 'requested' || record.state === 'mismatch';
}

/**
 * Applies one event. Returns the same object when nothing changed (a tick with nothing to expire),
 * so React's `useReducer` skips the render. The result depends only on the events and their times,
 * not on how often `tick` is sent: a report after the deadline is late even without a tick between.
 */
export function reduceDownlink(state: DownlinkState, event: DownlinkEvent): DownlinkState {
  switch (event.type) {
    case 'tick':
      return expire(state, event.now);
    case 'set-timeout':
      return setTimeoutSeconds(state, event.timeoutSeconds);
    case 'command':
      return applyCommand(state, event.point, event.at);
    case 'report':
      return applyReport(state, event.point, event.at);
  }
}

/** Times out the current command if `now` is past its deadline. */
function expire(state: DownlinkState, now: number): DownlinkState {
  const current = state.commands[0];
  if (!current || !isPending(current) || !(now > current.deadline)) return state;
  return replaceCurrent(state, { ...current, state: 'timed-out', endedAt: current.deadline });
}

function setTimeoutSeconds(state: DownlinkState, timeoutSeconds: number): DownlinkState {
  if (timeoutSeconds === state.timeoutSeconds) return state;
  const current = state.commands[0];
  const next = { ...state, timeoutSeconds };
  if (!current || !isPending(current)) return next;
  return replaceCurrent(next, { ...current, deadline: current.requestedAt + timeoutSeconds });
}

/** A new command supersedes a pending one; a settled or timed-out one keeps its outcome. */
function applyCommand(state: DownlinkState, point: Datapoint, at: number): DownlinkState {
  const time = Math.max(at, state.clock);
  const before = expire(state, time);
  const [previous, ...older] = before.commands;
  const record: CommandRecord = {
    command: point,
    requestedAt: time,
    deadline: time + before.timeoutSeconds,
    state: 'requested',
    isLate: false,
  };
  const ended: CommandRecord[] = previous
    ? [isPending(previous) ? { ...previous, state: 'superseded', endedAt: time } : previous]
    : [];
  return {
    ...before,
    clock: time,
    commands: [record, ...ended, ...older].slice(0, before.logLimit),
  };
}

/** A report is judged against the current command only: a newer command owns every later report. */
function applyReport(state: DownlinkState, point: Datapoint, at: number): DownlinkState {
  const time = Math.max(at, state.clock);
  const before = { ...expire(state, time), clock: time, reported: { point, at: time } };
  const current = before.commands[0];
  if (!current || current.state === 'acknowledged' || current.state === 'superseded') return before;
  const reportedAt = Math.max(time, current.requestedAt);
  if (valuesMatch(current.command.d, point.d, before.numberTolerance)) {
    return replaceCurrent(before, {
      ...current,
      state: 'acknowledged',
      isLate: current.state === 'timed-out',
      report: point,
      reportedAt,
      endedAt: reportedAt,
    });
  }
  // Another value: pending becomes (or stays) a mismatch; timed out stays timed out but shows it.
  return replaceCurrent(before, {
    ...current,
    state: current.state === 'timed-out' ? 'timed-out' : 'mismatch',
    report: point,
    reportedAt,
  });
}

function replaceCurrent(state: DownlinkState, current: CommandRecord): DownlinkState {
  return { ...state, commands: [current, ...state.commands.slice(1)] };
}
