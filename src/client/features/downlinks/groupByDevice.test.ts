import { describe, expect, it } from 'vitest';
import { groupByDevice } from './groupByDevice';

describe('groupByDevice', () => {
  it('groups stream paths by their user/device, in order', () => {
    expect(groupByDevice(['bob/lamp/on', 'ann/thermo/target', 'ann/thermo/fan', 'ann/lamp/on'])).toEqual([
      { device: 'ann/lamp', paths: ['ann/lamp/on'] },
      { device: 'ann/thermo', paths: ['ann/thermo/fan', 'ann/thermo/target'] },
      { device: 'bob/lamp', paths: ['bob/lamp/on'] },
    ]);
  });
});
