/**
 * Whether a reported value is the requested one: deep JSON equality in which object key order does
 * not matter and two numbers are equal when they differ by at most `numberTolerance` (absolute, the
 * same at every depth). The default 0 compares numbers exactly, so a thermostat that reports 24.9
 * for a requested 25 has not acknowledged it unless the caller allows that. `undefined` counts as
 * `null`, as a missing `d` does on the wire.
 */
export function valuesMatch(requested: unknown, reported: unknown, numberTolerance = 0): boolean {
  const a = requested === undefined ? null : requested;
  const b = reported === undefined ? null : reported;
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= numberTolerance;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valuesMatch(item, b[i], numberTolerance));
  }
  const objectA = a as Record<string, unknown>;
  const objectB = b as Record<string, unknown>;
  const keys = Object.keys(objectA);
  if (keys.length !== Object.keys(objectB).length) return false;
  return keys.every(
    (key) =>
      Object.prototype.hasOwnProperty.call(objectB, key) &&
      valuesMatch(objectA[key], objectB[key], numberTolerance),
  );
}
