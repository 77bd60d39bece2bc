import { describe, expect, it } from 'vitest';
import { STREAM_DEFAULTS } from '../../../core/model';
import { filterStreams } from './filterStreams';

const streams = [
  { ...STREAM_DEFAULTS, name: 'mood', nickname: 'Mood', datatype: 'rating.stars' },
  { ...STREAM_DEFAULTS, name: 'water', nickname: 'Glasses of water', tags: ['health'] },
  { ...STREAM_DEFAULTS, name: 'cafe', nickname: 'Café visits', description: 'Coffee outside' },
];

describe('filterStreams', () => {
  it('matches every word anywhere in name, nickname, description, datatype or tags', () => {
    expect(filterStreams(streams, 'glasses').map((s) => s.name)).toEqual(['water']);
    expect(filterStreams(streams, 'HEALTH').map((s) => s.name)).toEqual(['water']);
    expect(filterStreams(streams, 'rating mood').map((s) => s.name)).toEqual(['mood']);
    expect(filterStreams(streams, 'mood water')).toEqual([]);
  });

  it('ignores accents and keeps everything for an empty query', () => {
    expect(filterStreams(streams, 'cafe').map((s) => s.name)).toEqual(['cafe']);
    expect(filterStreams(streams, '  ')).toHaveLength(3);
  });
});
