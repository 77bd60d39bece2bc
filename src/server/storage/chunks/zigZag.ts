/** Zig-zag mapping of signed integers to unsigned ones (0, -1, 1, -2 → 0, 1, 2, 3), below 2^53. */
export function zigZag(value: number): number {
  return value >= 0 ? 2 * value : -2 * value - 1;
}

export function unZigZag(value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/** Bits needed for a non-negative integer below 2^53 (0 for 0). */
export function bitLength(value: number): number {
  return value < 4294967296 ? 32 - Math.clz32(value) : 64 - Math.clz32(Math.floor(value / 4294967296));
}
