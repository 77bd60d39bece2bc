import { describe, expect, it } from 'vitest';
import type { CommandRecord } from '../../../core/downlink';
import { commandOutcomeDetail, commandSender, formatDuration, timeLeftText } from './commandText';

const record = (props: Partial<CommandRecord>): CommandRecord => ({
  command: { t: 100, d: 25, o: 'ann/user' },
  requestedAt: 100,
  deadline: 110,
  state: 'requested',
  isLate: false,
  ...props,
});

describe('command text', () => {
  it('says how long something took, coarser as it grows', () => {
    expect(formatDuration(0.42)).toBe('0.4 s');
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(3 * 3600)).toBe('3 h');
  });

  it('counts down in whole seconds', () => {
    expect(timeLeftText({ deadline: 110 }, 102.3)).toBe('8 s left');
    expect(timeLeftText({ deadline: 110 }, 111)).toBe('0 s left');
  });

  it('names the sender, "you" for the viewer, the device itself when there is no o', () => {
    expect(commandSender({ o: 'ann/user' }, 'ann/user', 'ann/lamp/light')).toBe('you');
    expect(commandSender({ o: 'ann/phone' }, 'ann/user', 'ann/lamp/light')).toBe('ann/phone');
    expect(commandSender({}, 'ann/user', 'ann/lamp/light')).toBe('ann/lamp');
  });

  it('tells how each command ended', () => {
    expect(commandOutcomeDetail(record({}), 103)).toBe('waiting for the device · 7 s left');
    expect(commandOutcomeDetail(record({ state: 'mismatch', report: { t: 104, d: 22 } }), 104)).toBe(
      'the device reports 22 · 6 s left',
    );
    expect(commandOutcomeDetail(record({ state: 'acknowledged', endedAt: 100.01 }), 200)).toBe('at once');
    expect(commandOutcomeDetail(record({ state: 'acknowledged', endedAt: 102.5 }), 200)).toBe('in 2.5 s');
    expect(commandOutcomeDetail(record({ state: 'acknowledged', isLate: true, endedAt: 130 }), 200)).toBe(
      'after 30 s, past the timeout',
    );
    expect(commandOutcomeDetail(record({ state: 'timed-out', endedAt: 110 }), 200)).toBe(
      'no acknowledgement within 10 s',
    );
    expect(
      commandOutcomeDetail(record({ state: 'timed-out', endedAt: 110, report: { t: 105, d: 21 } }), 200),
    ).toBe('no acknowledgement within 10 s; the device reports 21');
    expect(commandOutcomeDetail(record({ state: 'superseded', endedAt: 104 }), 200)).toBe(
      'replaced by a newer command',
    );
  });
});
