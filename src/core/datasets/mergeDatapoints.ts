import type { Datapoint } from '../model';

/**
 * Merges time-ordered streams into one stream ordered by time. Datapoints with equal timestamps keep
 * the order of their streams in the argument (then their order within the stream), and lose `o`, as
 * in ConnectorDB's `POST /query/merge`.
 */
export function mergeDatapoints(streams: readonly (readonly Datapoint[])[]): Datapoint[] {
  return Array.from(mergedDatapoints(streams));
}

/**
 * {@link mergeDatapoints} one datapoint at a time, so that a server can stream a large merge out
 * without building the merged copy.
 */
export function* mergedDatapoints(
  streams: readonly (readonly Datapoint[])[],
): Generator<Datapoint, void, undefined> {
  const heads = streams.map(() => 0);
  let total = 0;
  for (const stream of streams) total += stream.length;
  for (let k = 0; k < total; k++) {
    // A linear scan over the heads: merges have at most a handful of streams.
    let best = -1;
    let bestT = Infinity;
    for (let s = 0; s < streams.length; s++) {
      const dp = streams[s]![heads[s]!];
      if (dp !== undefined && (best < 0 || dp.t < bestT)) {
        best = s;
        bestT = dp.t;
      }
    }
    const dp = streams[best]![heads[best]!++]!;
    yield { t: dp.t, d: dp.d };
  }
}
