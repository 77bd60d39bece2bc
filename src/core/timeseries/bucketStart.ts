/**
 * Exact time-grid arithmetic shared by the rollup pyramid, M4 and the rasteriser.
 *
 * `Math.floor(t / width)` alone is not exact: the quotient is rounded before the floor, so a `t`
 * a hair below a boundary can land in the next bucket. Both helpers compute the estimate and then
 * correct it against the boundaries themselves, so membership agrees with the comparisons
 * `start <= t < start + width` that every other piece of code relies on. Boundaries are exact
 * whenever the grid origin and width are integers (our levels are whole seconds).
 */

/**
 * The start (unix seconds) of the bucket of `widthSeconds` holding `t`: the largest multiple `s` of
 * the width with `s <= t`. Works for negative `t`.
 */
export function bucketStart(t: number, widthSeconds: number): number {
  let start = Math.floor(t / widthSeconds) * widthSeconds;
  if (start > t) start -= widthSeconds;
  else if (start + widthSeconds <= t) start += widthSeconds;
  return start;
}

/**
 * The pixel column (may be negative or past the last column) of `t` on a grid of columns of
 * `columnWidthSeconds` starting at `t0`: `floor((t - t0) / columnWidthSeconds)`, corrected so that
 * `t0 + c * w <= t < t0 + (c + 1) * w` holds for the computed boundaries. M4 and the rasteriser
 * both use it, so a point always falls in the same column in both.
 */
export function columnOf(t: number, t0: number, columnWidthSeconds: number): number {
  let column = Math.floor((t - t0) / columnWidthSeconds);
  if (t0 + column * columnWidthSeconds > t) column -= 1;
  else if (t0 + (column + 1) * columnWidthSeconds <= t) column += 1;
  return column;
}

/** The first index `i` in `[lo, hi)` of the ascending `sorted` with `sorted[i] >= value` (or `hi`). */
export function lowerBound(sorted: ArrayLike<number>, value: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
