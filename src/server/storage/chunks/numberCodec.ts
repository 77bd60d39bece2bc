import { decodeDecimal, encodeDecimal, findDecimalScale } from './decimalCodec';
import { decodeGorilla, encodeGorilla } from './gorillaCodec';

/**
 * Float64 values, losslessly: the decimal codec when the values are (near-)short decimals, which
 * real readings and their sums are, else Gorilla XOR. Section layout: one mode byte
 * (`GORILLA_MODE` or `DECIMAL_MODE`), then that codec's bytes.
 */
const GORILLA_MODE = 0;
const DECIMAL_MODE = 1;

export function encodeNumbers(values: Float64Array): Uint8Array {
  const decimal = findDecimalScale(values);
  const body = decimal ? encodeDecimal(decimal) : encodeGorilla(values);
  const out = new Uint8Array(body.length + 1);
  out[0] = decimal ? DECIMAL_MODE : GORILLA_MODE;
  out.set(body, 1);
  return out;
}

/** Decodes `count` values from a section written by `encodeNumbers` (into `out`, when given). */
export function decodeNumbers(bytes: Uint8Array, count: number, out?: Float64Array): Float64Array {
  const mode = bytes[0];
  if (mode === DECIMAL_MODE) return decodeDecimal(bytes.subarray(1), count, out);
  if (mode === GORILLA_MODE) return decodeGorilla(bytes.subarray(1), count, out);
  throw new RangeError(`unknown number encoding ${mode}`);
}
