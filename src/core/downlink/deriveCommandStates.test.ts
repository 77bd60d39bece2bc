import { describe, expect, it } from 'vitest';
import type { Datapoint } from '../model';
import { commandStateText } from './commandStateText';
import { deriveCommandStates, orderDownlinkHistory, type DownlinkHistory } from './deriveCommandStates';

const command = (d: unknown, t: number, o = 'alice/user'): Datapoint => ({ t, d, o });
const report = (d: unknown, t: number): Datapoint => ({ t, d });

function derive(history: Partial<DownlinkHistory> & Pick<DownlinkHistory, 'commands' | 'reports'>) {
  return deriveCommandStates({ timeoutSeconds: 10, now: 1000, ...history });
}

const states = (h: Parameters<typeof derive>[0]) => derive(h).commands.map((c) => commandStateText(c));

describe('deriveCommandStates', () => {
  it('has no commands and no reported value for an empty stream', () => {
    const state = derive({ commands: [], reports: [] });
    expect(state.commands).toEqual([]);
    expect(state.reported).toBeUndefined();
  });

  it('acknowledges with a report that echoes the command timestamp (sdk and Python pattern)', () => {
    expect(states({ commands: [command(true, 100)], reports: [report(true, 100)] })).toEqual([
      'Acknowledged',
    ]);
  });

  it('acknowledges with a report restamped forward to the stream’s last timestamp', () => {
    // The device reported 20 at 104 with its own clock; the echo of a command at 100 was restamped
    // by PUT to 104, the stream's last timestamp — the same instant as the older report.
    const state = derive({
      commands: [command(20, 100)],
      reports: [report(19, 99), report(20, 104), report(20, 104)],
    });
    expect(state.commands[0]).toMatchObject({ state: 'acknowledged', report: { t: 104, d: 20 } });
  });

  it('replays the thermostat sequence: Requested, Mismatch at each step, then Acknowledged', () => {
    const commands = [command(25, 100)];
    const steps = [21, 22, 23, 24, 25].map((d, i) => report(d, 101 + i));
    const seen = [0, 1, 2, 3, 4, 5].map((n) => {
      const state = derive({ commands, reports: [report(20, 90), ...steps.slice(0, n)], now: 101 + n });
      return `${commandStateText(state.commands[0]!)} ${String(state.reported?.point.d)}`;
    });
    expect(seen).toEqual([
      'Requested 20',
      'Mismatch 21',
      'Mismatch 22',
      'Mismatch 23',
      'Mismatch 24',
      'Acknowledged 25',
    ]);
  });

  it('times out a command without an answer once now is past its deadline', () => {
    expect(states({ commands: [command(true, 100)], reports: [], now: 109 })).toEqual(['Requested']);
    expect(states({ commands: [command(true, 100)], reports: [], now: 111 })).toEqual(['Timed out']);
  });

  it('shows a late acknowledgement from history as Acknowledged (late)', () => {
    const state = derive({ commands: [command(true, 100)], reports: [report(true, 140)] });
    expect(commandStateText(state.commands[0]!)).toBe('Acknowledged (late)');
  });

  it('supersedes an unanswered command and keeps a settled one', () => {
    expect(
      states({
        commands: [command(true, 100), command(false, 105), command(true, 106)],
        reports: [report(true, 100.5), report(true, 106.5)],
      }),
    ).toEqual(['Acknowledged', 'Superseded', 'Acknowledged']);
  });

  it('lists the log newest first with sender, time and outcome', () => {
    const state = derive({
      commands: [command(true, 100, 'alice/user'), command(false, 200, 'alice/phone')],
      reports: [report(true, 100), report(false, 201)],
    });
    expect(state.commands.map((c) => [c.command.o, c.command.t, c.command.d, commandStateText(c)])).toEqual([
      ['alice/phone', 200, false, 'Acknowledged'],
      ['alice/user', 100, true, 'Acknowledged'],
    ]);
  });

  describe('device clock behind the command’s clock', () => {
    it('accepts a matching report up to the tolerance before the command', () => {
      const history = { commands: [command(true, 100)], reports: [report(false, 50), report(true, 98.5)] };
      expect(states(history)).toEqual(['Acknowledged']);
      expect(derive(history).commands[0]).toMatchObject({ reportedAt: 100, report: { t: 98.5 } });
      expect(states({ ...history, toleranceSeconds: 1 })).toEqual(['Timed out']);
    });

    it('does not take a slightly older other value for a mismatch', () => {
      expect(states({ commands: [command(true, 100)], reports: [report(false, 99.5)], now: 105 })).toEqual([
        'Requested',
      ]);
    });

    it('moves the reports after a claimed one along, keeping the stream’s order', () => {
      const state = derive({
        commands: [command(24, 100)],
        reports: [report(23, 98.5), report(24, 99), report(25, 99.5)],
      });
      // 23 stays before the command; 24 acknowledges it; 25 is the reported value now.
      expect(state.commands[0]).toMatchObject({ state: 'acknowledged', report: { d: 24 } });
      expect(state.reported?.point.d).toBe(25);
    });

    it('leaves an acknowledgement of the previous command with it when the value repeats', () => {
      expect(
        states({
          commands: [command(true, 100), command(true, 100.5)],
          reports: [report(true, 100.2)],
          now: 105,
        }),
      ).toEqual(['Requested', 'Acknowledged']);
    });

    it('still follows the thermostat when every step is stamped 3 s early', () => {
      const state = derive({
        commands: [command(25, 100)],
        reports: [report(20, 90), ...[21, 22, 23, 24, 25].map((d, i) => report(d, 98 + i))],
      });
      expect(state.commands[0]).toMatchObject({ state: 'acknowledged', report: { t: 102, d: 25 } });
    });
  });

  describe('device clock ahead of the command’s clock', () => {
    it('shows an older report that looks newer as a Mismatch until the real answer', () => {
      const commands = [command(true, 100)];
      // The light reported false at real time 99 but stamped 102; it acknowledges at 103.
      expect(states({ commands, reports: [report(false, 102)], now: 104 })).toEqual(['Mismatch']);
      expect(states({ commands, reports: [report(false, 102), report(true, 103)], now: 104 })).toEqual([
        'Acknowledged',
      ]);
    });
  });

  describe('skew between the stored timestamps and the caller’s clock', () => {
    it('uses clockSkewSeconds to judge timeouts on the caller’s clock', () => {
      // The server is 30 s behind the browser: a command stamped 970 by it was sent 1 s ago.
      const history = { commands: [command(true, 970)], reports: [], now: 1001 };
      expect(states(history)).toEqual(['Timed out']);
      expect(states({ ...history, clockSkewSeconds: -30 })).toEqual(['Requested']);
      expect(derive({ ...history, clockSkewSeconds: -30 }).commands[0]).toMatchObject({
        requestedAt: 1000,
        deadline: 1010,
      });
    });

    it('keeps a command from a server clock ahead of the browser Requested until its deadline', () => {
      const history = { commands: [command(true, 1005)], reports: [], now: 1001 };
      expect(derive({ ...history, clockSkewSeconds: 5 }).commands[0]).toMatchObject({
        state: 'requested',
        deadline: 1010,
      });
      expect(states({ ...history, clockSkewSeconds: 5, now: 1010.5 })).toEqual(['Timed out']);
    });
  });

  it('compares deeply equal objects and numbers within the given tolerance', () => {
    expect(
      states({ commands: [command({ a: 1, b: [1, 2] }, 100)], reports: [report({ b: [1, 2], a: 1 }, 101)] }),
    ).toEqual(['Acknowledged']);
    expect(
      states({ commands: [command(21.5, 100)], reports: [report(21.49, 101)], numberTolerance: 0.05 }),
    ).toEqual(['Acknowledged']);
  });
});

describe('orderDownlinkHistory', () => {
  it('puts a command before a report with the same timestamp', () => {
    const events = orderDownlinkHistory({ commands: [command(1, 100)], reports: [report(1, 100)] });
    expect(events.map((e) => e.type)).toEqual(['command', 'report']);
  });

  it('moves times onto the caller’s clock', () => {
    const events = orderDownlinkHistory({
      commands: [command(1, 100)],
      reports: [report(1, 101)],
      clockSkewSeconds: 2,
    });
    expect(events.map((e) => ('at' in e ? e.at : undefined))).toEqual([98, 99]);
  });

  it('handles many reports without a command', () => {
    const reports = Array.from({ length: 200_000 }, (_, i) => report(i, i));
    expect(orderDownlinkHistory({ commands: [], reports })).toHaveLength(200_000);
  });
});
