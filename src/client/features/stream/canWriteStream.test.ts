import { describe, expect, it } from 'vitest';
import { canWriteStream } from './canWriteStream';

const ann = { user: 'ann', device: 'user', isAdmin: false };

describe('canWriteStream', () => {
  it('lets a person write the streams of their own user device', () => {
    expect(canWriteStream(ann, 'ann/user/mood', { downlink: false })).toBe(true);
  });

  it('lets them write only the downlink of other devices’ streams', () => {
    expect(canWriteStream(ann, 'ann/thermostat/reading', { downlink: false })).toBe(false);
    expect(canWriteStream(ann, 'ann/thermostat/target', { downlink: true })).toBe(true);
  });

  it('never lets nobody write', () => {
    expect(canWriteStream(null, 'ann/user/mood', { downlink: true })).toBe(false);
  });

  it('does not confuse another user’s user device with one’s own', () => {
    expect(canWriteStream(ann, 'bob/user/mood', { downlink: false })).toBe(false);
  });
});
