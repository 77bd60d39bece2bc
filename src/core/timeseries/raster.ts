import { columnOf } from './bucketStart';

/** A plot's pixel grid: the M4 columns across, `height` rows mapping `[vMin, vMax]` up. */
export interface RasterView {
  /** Start of column 0, unix seconds. */
  t0: number;
  /** Seconds per pixel column. */
  columnWidth: number;
  /** Pixels across and up. */
  width: number;
  height: number;
  /** Values at the bottom and top rows; `vMax > vMin`. */
  vMin: number;
  vMax: number;
}

/**
 * Rasterises a polyline for pixel-identity checks: a `width × height` bitmap, row-major with row 0
 * at `vMin`, 1 where the line covers a pixel. A point maps to column
 * `floor((t - t0) / columnWidth)` (exactly as M4 assigns columns) and row
 * `round((v - vMin) / (vMax - vMin) * (height - 1))`; consecutive points are joined with
 * Bresenham's line, drawn from the lexicographically smaller end so that a segment covers the same
 * pixels whichever way it is traversed. Pixels outside the grid are clipped (a segment's pixels
 * are the same whether or not its ends are visible). Cost grows with each segment's pixel length,
 * so this is a test tool, not a renderer.
 */
export function rasterizeLine(
  points: { t: ArrayLike<number>; v: ArrayLike<number> },
  view: RasterView,
): Uint8Array {
  const { t0, columnWidth, width, height, vMin, vMax } = view;
  if (!(vMax > vMin)) throw new RangeError(`raster needs vMax > vMin, got [${vMin}, ${vMax}]`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`raster size ${width} × ${height} is not a pixel size`);
  }
  const n = points.t.length;
  if (points.v.length !== n) throw new RangeError(`t has ${n} points but v has ${points.v.length}`);
  const bitmap = new Uint8Array(width * height);
  const rowScale = (height - 1) / (vMax - vMin);
  const rowOf = (v: number) => Math.round((v - vMin) * rowScale);
  if (n === 0) return bitmap;
  let x0 = columnOf(points.t[0]!, t0, columnWidth);
  let y0 = rowOf(points.v[0]!);
  if (n === 1) drawSegment(bitmap, width, height, x0, y0, x0, y0);
  for (let i = 1; i < n; i++) {
    const x1 = columnOf(points.t[i]!, t0, columnWidth);
    const y1 = rowOf(points.v[i]!);
    if (x0 < x1 || (x0 === x1 && y0 <= y1)) drawSegment(bitmap, width, height, x0, y0, x1, y1);
    else drawSegment(bitmap, width, height, x1, y1, x0, y0);
    x0 = x1;
    y0 = y1;
  }
  return bitmap;
}

function drawSegment(
  bitmap: Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): void {
  // A NaN end has no pixel (and would never reach its end).
  if (!Number.isFinite(x0 + y0 + x1 + y1)) return;
  // A segment wholly beyond one edge has no visible pixel; skipping it keeps far-off points cheap.
  if ((x0 < 0 && x1 < 0) || (x0 >= width && x1 >= width)) return;
  if ((y0 < 0 && y1 < 0) || (y0 >= height && y1 >= height)) return;
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  let x = x0;
  let y = y0;
  for (;;) {
    if (x >= 0 && x < width && y >= 0 && y < height) bitmap[y * width + x] = 1;
    if (x === x1 && y === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}
