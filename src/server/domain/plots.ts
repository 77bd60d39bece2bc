/**
 * Plot data and downsampling from the rollup pyramid (DESIGN.md §6): a window of any length is
 * answered from the coarsest level that is still exact for its pixel width, so a year of 1 Hz data
 * costs a few thousand buckets, not 31.5 million points.
 */
import type { Datapoint } from '../../core/model';
import {
  downsample,
  m4FromPoints,
  m4BinaryBytes,
  planPlot,
  ROLLUP_LEVELS,
  type DownsampleTime,
  type DownsampleValue,
  type M4Result,
} from '../../core/timeseries';
import type { Actor } from './Actor';
import { readableSubstream } from './data';
import type { DomainContext } from './DomainContext';
import { badRequest } from './Refusal';
import type { StreamName } from './streams';

/** The widest plot we compute, in pixels (a 4K screen is 3840). */
export const MAX_PLOT_WIDTH = 8192;

export interface PlotRequest {
  t0: number;
  t1: number;
  width: number;
  downlink: boolean;
  /**
   * A buffer the M4 columns may be written into instead of a new one (used when it holds the
   * plan's columns). The caller must keep it unused until it has sent the result.
   */
  scratch?: ArrayBuffer;
}

export interface PlotData {
  /** Where the columns came from: a rollup level (seconds) or the raw points. */
  source: 'rollup' | 'raw';
  level?: number;
  /** Number of pixel columns (the snapped plan may have one more than requested). */
  width: number;
  m4: M4Result;
  /** The raw points of the window, when it holds few enough to draw them all. */
  raw?: { t: Float64Array; v: Float64Array };
  /** The nearest points outside the window, so the line can enter and leave it. */
  before?: Datapoint;
  after?: Datapoint;
}

function checkWindow(t0: number, t1: number, width: number): void {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0))
    throw badRequest('The plot window needs t1 < t2');
  if (!Number.isInteger(width) || width < 1 || width > MAX_PLOT_WIDTH) {
    throw badRequest(`The plot width must be a whole number of pixels from 1 to ${MAX_PLOT_WIDTH}`);
  }
}

/** The largest double below `x`: positions of points *before* x are `timeToIndex(previousFloat(x))`. */
export function previousFloat(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

export async function plotData(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  request: PlotRequest,
): Promise<PlotData> {
  const { t0, t1, width, downlink } = request;
  checkWindow(t0, t1, width);
  const { stream, substream } = await readableSubstream(ctx, actor, name, downlink);
  const { storage } = ctx;
  // Positions of the window [t0, t1): the first point at or after each bound.
  const firstIn = await storage.timeToIndex(stream.id, substream, previousFloat(t0));
  const firstAfter = await storage.timeToIndex(stream.id, substream, previousFloat(t1));
  const plan = planPlot({ t0, t1, width, levels: ROLLUP_LEVELS, pointsInWindow: firstAfter - firstIn });

  const fits = request.scratch && request.scratch.byteLength >= m4BinaryBytes(plan.width);
  const scratch = fits ? request.scratch : undefined;
  let data: PlotData;
  if (plan.source === 'rollup') {
    const m4 = await storage.plotRollup(stream.id, substream, plan, scratch);
    data = { source: 'rollup', level: plan.level, width: plan.width, m4 };
  } else {
    const raw = await storage.readSamples(stream.id, substream, firstIn, firstAfter);
    data = { source: 'raw', width: plan.width, raw, m4: m4FromPoints(raw.t, raw.v, plan, scratch) };
  }
  if (firstIn > 0) data.before = (await storage.readByIndex(stream.id, substream, firstIn - 1, firstIn))[0];
  if (firstAfter < (await storage.length(stream.id, substream))) {
    data.after = (await storage.readByIndex(stream.id, substream, firstAfter, firstAfter + 1))[0];
  }
  return data;
}

const LEVEL_ALIASES: Record<string, number> = { '10s': 10, '1m': 60, '10m': 600, '1h': 3600, '1d': 86_400 };
const VALUES: readonly DownsampleValue[] = ['mean', 'sum', 'min', 'max', 'sum_squares', 'std_dev', 'count'];
const TIMES: readonly DownsampleTime[] = ['first', 'last', 'mean'];

export interface DownsampleRequest {
  level: string;
  value: string;
  time: string;
  t1: number;
  t2: number;
  downlink: boolean;
}

/** One datapoint per bucket of a rollup level: the Datastream downsamplers over the API. */
export async function downsampleData(
  ctx: DomainContext,
  actor: Actor,
  name: StreamName,
  request: DownsampleRequest,
): Promise<Datapoint[]> {
  const level = LEVEL_ALIASES[request.level] ?? Number(request.level);
  if (!ROLLUP_LEVELS.includes(level)) {
    throw badRequest(
      `Unknown granularity '${request.level}': use one of 10s, 1m, 10m, 1h, 1d (or seconds: ${ROLLUP_LEVELS.join(', ')})`,
    );
  }
  const value = request.value as DownsampleValue;
  const time = request.time as DownsampleTime;
  if (!VALUES.includes(value))
    throw badRequest(`Unknown value '${request.value}': use one of ${VALUES.join(', ')}`);
  if (!TIMES.includes(time))
    throw badRequest(`Unknown time '${request.time}': use one of ${TIMES.join(', ')}`);
  if (!(request.t2 > request.t1)) throw badRequest('Downsampling needs t1 < t2');
  const { stream, substream } = await readableSubstream(ctx, actor, name, request.downlink);
  const series = await ctx.storage.readRollup(stream.id, substream, level, request.t1, request.t2);
  const { t, v } = downsample(series, { value, time });
  return Array.from(t, (ti, i) => ({ t: ti, d: v[i]! }));
}
