/** Booleans (0/1 bytes) packed eight to a byte, least significant bit first. */
export function encodeBooleans(values: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(values.length / 8));
  for (let i = 0; i < values.length; i++) if (values[i]) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

/** Unpacks `count` booleans as 0/1 bytes. */
export function decodeBooleans(bytes: Uint8Array, count: number): Uint8Array {
  if (bytes.length !== Math.ceil(count / 8)) throw new RangeError('boolean section has the wrong length');
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[i >>> 3]! >>> (i & 7)) & 1;
  return out;
}
