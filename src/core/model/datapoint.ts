/**
 * A datapoint as it travels on the wire: `t` is unix time in (fractional) seconds, `d` any JSON
 * value valid under the stream's schema, `o` the writer's device path when the writer is not the
 * stream's owner.
 */
export interface Datapoint {
  t: number;
  d: unknown;
  o?: string;
}

/**
 * The wire form of a datapoint. ConnectorDB serialised with Go's `omitempty`: `t` is left out when
 * it is 0, `d` when it is null and `o` when it is empty. The original clients rely on that shape.
 */
export function toWireDatapoint(dp: Datapoint): Partial<Datapoint> {
  const out: Partial<Datapoint> = {};
  if (dp.t !== 0) out.t = dp.t;
  if (dp.d !== null && dp.d !== undefined) out.d = dp.d;
  if (dp.o) out.o = dp.o;
  return out;
}

/** Serialises datapoints to the wire's JSON array, omitting keys exactly where the original did. */
export function datapointsToJson(points: readonly Datapoint[]): string {
  let out = '[';
  for (let i = 0; i < points.length; i++) {
    if (i > 0) out += ',';
    out += JSON.stringify(toWireDatapoint(points[i]!));
  }
  return out + ']';
}
