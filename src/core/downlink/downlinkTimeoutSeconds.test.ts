import { describe, expect, it } from 'vitest';
import { downlinkTimeoutSeconds } from './downlinkTimeoutSeconds';

describe('downlinkTimeoutSeconds', () => {
  it('uses the stream’s timeout when it sets one', () => {
    expect(downlinkTimeoutSeconds({ downlink_timeout: 30 })).toBe(30);
    expect(downlinkTimeoutSeconds({ downlink_timeout: 0.5 })).toBe(0.5);
  });

  it('falls back to 10 s for 0, a missing field or nonsense', () => {
    expect(downlinkTimeoutSeconds({ downlink_timeout: 0 })).toBe(10);
    expect(downlinkTimeoutSeconds({})).toBe(10);
    expect(downlinkTimeoutSeconds({ downlink_timeout: -5 })).toBe(10);
    expect(downlinkTimeoutSeconds({ downlink_timeout: Number.NaN })).toBe(10);
  });
});
