import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../model';
import { commandStateText } from './commandStateText';
import {
  initialDownlinkState,
  reduceDownlink,
  type CommandRecord,
  type DownlinkEvent,
  type DownlinkState,
} from './reduceDownlink';

const BROWSER = 'alice/user';
const command = (d: unknown, t = 100, o = BROWSER): Datapoint => ({ t, d, o });
const report = (d: unknown, t = 100): Datapoint => ({ t, d });

function run(events: DownlinkEvent[], timeoutSeconds = 10, numberTolerance = 0): DownlinkState {
  return events.reduce(reduceDownlink, initialDownlinkState({ timeoutSeconds, numberTolerance }));
}

function current(state: DownlinkState): CommandRecord {
  const record = state.commands[0];
  if (!record) throw new Error('no command');
  return record;
}

const cmd = (d: unknown, at: number, t = at): DownlinkEvent => ({
  type: 'command',
  point: command(d, t),
  at,
});
const rep = (d: unknown, at: number, t = at): DownlinkEvent => ({ type: 'report', point: report(d, t), at });
const tick = (now: number): DownlinkEvent => ({ type: 'tick', now });

describe('reduceDownlink', () => {
  it('starts a command as Requested with a deadline one timeout after it arrived', () => {
    const state = run([cmd(true, 100)]);
    expect(current(state)).toEqual({
      command: { t: 100, d: true, o: BROWSER },
      requestedAt: 100,
      deadline: 110,
      state: 'requested',
      isLate: false,
    });
    expect(commandStateText(current(state))).toBe('Requested');
  });

  it('acknowledges when the device reports the requested value', () => {
    const state = run([cmd(true, 100), rep(true, 100.4)]);
    expect(current(state)).toMatchObject({
      state: 'acknowledged',
      isLate: false,
      report: { t: 100.4, d: true },
      reportedAt: 100.4,
      endedAt: 100.4,
    });
    expect(state.reported).toEqual({ point: { t: 100.4, d: true }, at: 100.4 });
  });

  it('shows Mismatch for another value and Acknowledged once the value arrives', () => {
    let state = run([cmd(25, 100), rep(21, 101)]);
    expect(current(state)).toMatchObject({ state: 'mismatch', report: { d: 21 } });
    expect(commandStateText(current(state))).toBe('Mismatch');
    state = run([cmd(25, 100), rep(21, 101), rep(22, 102), rep(23, 103), rep(24, 104), rep(25, 105)]);
    expect(current(state)).toMatchObject({ state: 'acknowledged', isLate: false, reportedAt: 105 });
  });

  it('follows the thermostat step by step: Mismatch at each step, then Acknowledged', () => {
    let state = run([rep(20, 90), cmd(25, 100)]);
    const seen: string[] = [commandStateText(current(state))];
    for (const [i, value] of [21, 22, 23, 24, 25].entries()) {
      state = reduceDownlink(state, rep(value, 101 + i));
      seen.push(`${commandStateText(current(state))} ${String(current(state).report?.d)}`);
    }
    expect(seen).toEqual([
      'Requested',
      'Mismatch 21',
      'Mismatch 22',
      'Mismatch 23',
      'Mismatch 24',
      'Acknowledged 25',
    ]);
  });

  it('times out a Requested command once the deadline has passed, not at the deadline', () => {
    expect(current(run([cmd(true, 100), tick(110)])).state).toBe('requested');
    const state = run([cmd(true, 100), tick(110.001)]);
    expect(current(state)).toMatchObject({ state: 'timed-out', endedAt: 110 });
    expect(commandStateText(current(state))).toBe('Timed out');
  });

  it('times out a Mismatch that never reaches the value', () => {
    const state = run([cmd(25, 100), rep(21, 101), tick(111)]);
    expect(current(state)).toMatchObject({ state: 'timed-out', report: { d: 21 }, endedAt: 110 });
  });

  it('counts a report exactly at the deadline as in time', () => {
    expect(current(run([cmd(true, 100), rep(true, 110)]))).toMatchObject({
      state: 'acknowledged',
      isLate: false,
    });
  });

  it('turns a timed-out command into Acknowledged (late) when the value arrives afterwards', () => {
    const state = run([cmd(true, 100), tick(111), rep(true, 130)]);
    expect(current(state)).toMatchObject({ state: 'acknowledged', isLate: true, endedAt: 130 });
    expect(commandStateText(current(state))).toBe('Acknowledged (late)');
  });

  it('judges lateness by the report time even when no tick came in between', () => {
    const state = run([cmd(true, 100), rep(true, 125)]);
    expect(current(state)).toMatchObject({ state: 'acknowledged', isLate: true });
  });

  it('keeps a timed-out command timed out on another value, showing what the device said', () => {
    const state = run([cmd(30, 100), tick(111), rep(29, 112)]);
    expect(current(state)).toMatchObject({ state: 'timed-out', report: { d: 29 }, reportedAt: 112 });
  });

  it('lets the thermostat arrive late when its travel is longer than the timeout', () => {
    const events: DownlinkEvent[] = [rep(10, 90), cmd(30, 100)];
    for (let step = 1; step <= 20; step++) events.push(rep(10 + step, 100 + step), tick(100.5 + step));
    const state = run(events);
    expect(current(state)).toMatchObject({ state: 'acknowledged', isLate: true, reportedAt: 120 });
  });

  it('supersedes a Requested command with a newer one', () => {
    const state = run([cmd(true, 100), cmd(false, 101)]);
    expect(state.commands.map((c) => [c.command.d, c.state, c.endedAt])).toEqual([
      [false, 'requested', undefined],
      [true, 'superseded', 101],
    ]);
    expect(commandStateText(state.commands[1]!)).toBe('Superseded');
  });

  it('supersedes a Mismatch with a newer one (the thermostat is retargeted mid-way)', () => {
    const state = run([cmd(25, 100), rep(21, 101), rep(22, 102), cmd(21, 102.5), rep(21, 103.5)]);
    expect(state.commands.map((c) => [c.command.d, c.state])).toEqual([
      [21, 'acknowledged'],
      [25, 'superseded'],
    ]);
    expect(state.commands[1]!.report).toEqual({ t: 102, d: 22 });
  });

  it('judges reports after a newer command against the newer command only', () => {
    // The device acknowledges the first command after the second was sent: the second sees the
    // old value first (Mismatch), then its own.
    let state = run([cmd(true, 100), cmd(false, 100.2), rep(true, 100.3)]);
    expect(state.commands.map((c) => c.state)).toEqual(['mismatch', 'superseded']);
    state = reduceDownlink(state, rep(false, 100.5));
    expect(state.commands.map((c) => c.state)).toEqual(['acknowledged', 'superseded']);
  });

  it('keeps the outcome of a settled command when a newer one arrives', () => {
    const state = run([cmd(true, 100), rep(true, 101), cmd(false, 105)]);
    expect(state.commands.map((c) => c.state)).toEqual(['requested', 'acknowledged']);
  });

  it('never acknowledges a timed-out command late once a newer one exists', () => {
    const state = run([cmd(true, 100), tick(111), cmd(false, 112), rep(true, 113)]);
    expect(state.commands.map((c) => c.state)).toEqual(['mismatch', 'timed-out']);
  });

  it('times out a pending command before a newer command supersedes it when the deadline passed', () => {
    // No tick between: the machine still knows the first command ran out at 110.
    const state = run([cmd(true, 100), cmd(false, 115)]);
    expect(state.commands.map((c) => c.state)).toEqual(['requested', 'timed-out']);
  });

  it('treats Acknowledged as final: a later report changes the reported value only', () => {
    const state = run([cmd(true, 100), rep(true, 101), rep(false, 102)]);
    expect(current(state)).toMatchObject({ state: 'acknowledged', report: { d: true } });
    expect(state.reported?.point.d).toBe(false);
  });

  it('keeps reports before any command as the reported value', () => {
    const state = run([rep(20, 90), rep(21, 91)]);
    expect(state.commands).toEqual([]);
    expect(state.reported).toEqual({ point: { t: 91, d: 21 }, at: 91 });
  });

  it('trusts the order of arrival over timestamps from a device clock that is behind', () => {
    // The device stamps its report 3 s before the command's (browser-stamped) time.
    const state = run([cmd(true, 100, 100), rep(true, 100.2, 97)]);
    expect(current(state)).toMatchObject({ state: 'acknowledged', report: { t: 97 }, reportedAt: 100.2 });
  });

  it('never lets a clock that steps back put an answer before its question', () => {
    const state = run([cmd(true, 100), rep(true, 99)]);
    expect(current(state)).toMatchObject({ state: 'acknowledged', reportedAt: 100, endedAt: 100 });
    expect(state.clock).toBe(100);
  });

  it('compares objects deeply regardless of key order', () => {
    const requested = { on: true, color: { r: 255, g: 0, b: 0 } };
    const state = run([
      { type: 'command', point: command(requested), at: 100 },
      { type: 'report', point: report({ color: { b: 0, g: 0, r: 255 }, on: true }), at: 101 },
    ]);
    expect(current(state).state).toBe('acknowledged');
    const other = run([
      { type: 'command', point: command(requested), at: 100 },
      { type: 'report', point: report({ on: true, color: { r: 255, g: 0 } }), at: 101 },
    ]);
    expect(current(other).state).toBe('mismatch');
  });

  it('compares numbers exactly unless given a tolerance', () => {
    expect(current(run([cmd(25, 100), rep(24.95, 101)])).state).toBe('mismatch');
    expect(current(run([cmd(25, 100), rep(24.95, 101)], 10, 0.1)).state).toBe('acknowledged');
  });

  it('applies a changed timeout to the pending command and later ones', () => {
    let state = run([cmd(true, 100), { type: 'set-timeout', timeoutSeconds: 30 }]);
    expect(current(state).deadline).toBe(130);
    state = reduceDownlink(state, tick(120));
    expect(current(state).state).toBe('requested');
    state = reduceDownlink(state, cmd(false, 121));
    expect(current(state).deadline).toBe(151);
  });

  it('returns the same state for a tick that changes nothing', () => {
    const state = run([cmd(true, 100)]);
    expect(reduceDownlink(state, tick(105))).toBe(state);
  });

  it('keeps the newest commands up to the log limit', () => {
    let state = initialDownlinkState({ timeoutSeconds: 10, logLimit: 3 });
    for (let i = 0; i < 5; i++) state = reduceDownlink(state, cmd(i, 100 + i));
    expect(state.commands.map((c) => c.command.d)).toEqual([4, 3, 2]);
  });

  it('records who sent each command', () => {
    const state = run([
      { type: 'command', point: command(true, 100, 'alice/user'), at: 100 },
      { type: 'command', point: command(false, 101, 'alice/phone'), at: 101 },
    ]);
    expect(state.commands.map((c) => c.command.o)).toEqual(['alice/phone', 'alice/user']);
  });
});
