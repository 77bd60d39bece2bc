import { bucketStart } from './bucketStart';

/**
 * The pixel columns of a plot: column `c` covers `[t0 + c * columnWidth, t0 + (c + 1) * columnWidth)`
 * (unix seconds), for `c` in `[0, width)`.
 */
export interface PlotColumns {
  /** Start of column 0, unix seconds. */
  t0: number;
  /** Seconds per column. */
  columnWidth: number;
  /** Number of columns. */
  width: number;
}

/** Where the last column ends: the columns cover `[t0, columnsEnd)`. */
export function columnsEnd({ t0, columnWidth, width }: PlotColumns): number {
  return t0 + width * columnWidth;
}

/** Columns that whole buckets of the rollup level `level` (seconds) tile, as `m4FromRollup` reads them. */
export type RollupPlan = PlotColumns & { level: number };

/** Read raw points and reduce them with `m4FromPoints` over the requested columns. */
export interface RawPlotPlan extends PlotColumns {
  source: 'raw';
}

/** Read the rollup level `level` (seconds); its buckets tile the columns exactly (`m4FromRollup`). */
export interface RollupPlotPlan extends PlotColumns {
  source: 'rollup';
  level: number;
}

export type PlotPlan = RawPlotPlan | RollupPlotPlan;

export interface PlotRequest {
  /** Window `[t0, t1)`, unix seconds. */
  t0: number;
  t1: number;
  /** Plot width in pixels. */
  width: number;
  /** Bucket widths (seconds) of the rollup levels the stream has. */
  levels: readonly number[];
  /** Raw points in the window, when the caller knows (a count or an estimate). */
  pointsInWindow?: number;
}

/** Below this many raw points per pixel column, reading raw points is cheaper than a rollup. */
export const RAW_POINTS_PER_COLUMN = 4;

/**
 * Chooses where a plot's M4 data comes from. A rollup level qualifies when its bucket is no wider
 * than a pixel's time span; the coarsest one that qualifies wins. Its columns are then snapped to
 * bucket boundaries — `t0` down to a bucket start, the column width down to a whole number of
 * buckets — so every bucket lies in exactly one column and the per-column first/min/max/last
 * computed from buckets equal those of the raw points: the plot is pixel-identical to drawing every
 * point. A column is never wider than a pixel (the plot never loses resolution) and wider than
 * half a pixel, so the snapped columns cover `[t0, t1)` with `width` to `2 * width + 1` columns
 * (snapping `t0` down can add one). Raw points are used when even the finest level is wider than
 * a pixel or the window holds at most `RAW_POINTS_PER_COLUMN * width` points; their plan is the
 * requested columns, unsnapped.
 */
export function planPlot(request: PlotRequest): PlotPlan {
  const { t0, t1, width } = request;
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0)) {
    throw new RangeError(`plot window [${t0}, ${t1}) is empty or not finite`);
  }
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`plot width ${width} is not a pixel count`);
  const pixelSeconds = (t1 - t0) / width;
  const raw: RawPlotPlan = { source: 'raw', t0, columnWidth: pixelSeconds, width };
  if (request.pointsInWindow !== undefined && request.pointsInWindow <= RAW_POINTS_PER_COLUMN * width) {
    return raw;
  }
  let level: number | undefined;
  for (const candidate of request.levels) {
    if (candidate <= pixelSeconds && (level === undefined || candidate > level)) level = candidate;
  }
  if (level === undefined) return raw;
  const columnWidth = Math.floor(pixelSeconds / level) * level;
  const alignedT0 = bucketStart(t0, level);
  let columns = Math.max(1, Math.ceil((t1 - alignedT0) / columnWidth));
  // Guard the division's rounding: the last column must reach t1.
  while (alignedT0 + columns * columnWidth < t1) columns++;
  return { source: 'rollup', level, t0: alignedT0, columnWidth, width: columns };
}
