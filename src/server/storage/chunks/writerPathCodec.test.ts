import { describe, expect, it } from 'vitest';
import { pick, randomInt, seededRandom } from '../../../core/timeseries/testing/seededRandom';
import { decodeWriterPaths, encodeWriterPaths } from './writerPathCodec';

describe('writer-path codec', () => {
  it('writes nothing when no point has a writer', () => {
    expect(encodeWriterPaths([undefined, undefined])).toBeUndefined();
    expect(encodeWriterPaths([])).toBeUndefined();
  });

  it('round-trips sparse and varied writer paths', () => {
    const random = seededRandom(6);
    const paths = ['alice/phone', 'alice/user', 'bob/laptop', 'ünïcødé/✓', ''];
    for (let trial = 0; trial < 100; trial++) {
      const o: (string | undefined)[] = Array.from({ length: randomInt(random, 1, 500) }, () =>
        random() < 0.7 ? undefined : pick(random, paths),
      );
      if (!o.some((path) => path !== undefined)) o[0] = 'alice/user';
      expect(decodeWriterPaths(encodeWriterPaths(o)!, o.length)).toEqual(o);
    }
  });

  it('stays tiny for a long run from one writer', () => {
    expect(encodeWriterPaths(new Array<string>(4096).fill('alice/phone'))!.length).toBeLessThan(20);
  });
});
