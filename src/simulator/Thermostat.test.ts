import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Thermostat, thermostatStep } from './Thermostat';

describe('thermostatStep', () => {
  it('moves one degree towards the target, or onto it when it is closer', () => {
    expect(thermostatStep(20, 25)).toBe(21);
    expect(thermostatStep(20, 12)).toBe(19);
    expect(thermostatStep(24.5, 25)).toBe(25);
    expect(thermostatStep(25, 24)).toBe(24);
    expect(thermostatStep(22, 22)).toBe(22);
  });

  it('does not accumulate floating-point drift', () => {
    let t = 20.1;
    for (let i = 0; i < 5; i++) t = thermostatStep(t, 30);
    expect(t).toBe(25.1);
  });
});

describe('Thermostat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function thermostat(temperature = 20) {
    const reports: number[] = [];
    const device = new Thermostat({ temperature, stepMs: 1000, report: (t) => reports.push(t) });
    return { device, reports };
  }

  it('reports each step, one step apart, until it reaches the target', () => {
    const { device, reports } = thermostat();
    device.setTarget(23);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(999);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(reports).toEqual([21]);
    vi.advanceTimersByTime(10_000);
    expect(reports).toEqual([21, 22, 23]);
    expect(device.temperature).toBe(23);
  });

  it('reports at once when the target is where it already is (an immediate acknowledgement)', () => {
    const { device, reports } = thermostat(22);
    device.setTarget(22);
    expect(reports).toEqual([22]);
  });

  it('turns towards a new target mid-way without losing its rhythm', () => {
    const { device, reports } = thermostat();
    device.setTarget(25);
    vi.advanceTimersByTime(2500);
    expect(reports).toEqual([21, 22]);
    device.setTarget(20);
    vi.advanceTimersByTime(500);
    expect(reports).toEqual([21, 22, 21]);
    vi.advanceTimersByTime(10_000);
    expect(reports).toEqual([21, 22, 21, 20]);
  });

  it('stops stepping when stopped', () => {
    const { device, reports } = thermostat();
    device.setTarget(25);
    vi.advanceTimersByTime(1000);
    device.stop();
    device.setTarget(10);
    vi.advanceTimersByTime(10_000);
    expect(reports).toEqual([21]);
  });
});
