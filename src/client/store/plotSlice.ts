/**
 * Plot data from the server (DESIGN.md §6): per pixel column the first, minimum, maximum and last
 * value of the window, computed from the server's rollups, so a year of 1 Hz readings costs a few
 * thousand numbers, not millions of datapoints. Zoom and pan ask again for the new window.
 */
import type { PlotData } from '../../sdk';
import type { SliceCreator } from './appState';
import { describeError } from './describeError';

export interface PlotState {
  status: 'loading' | 'ready' | 'error';
  /** The window `[t0, t1)` (unix seconds) and the pixel width the data was asked for. */
  window: [number, number];
  width: number;
  /** The last good answer, kept while a new window loads so the plot does not blank out. */
  data?: PlotData;
  error?: string;
}

export interface PlotSliceState {
  plots: Record<string, PlotState>;
  /** The time of each stream's first datapoint (null: empty), for the "All" range. */
  firstTimes: Record<string, number | null>;
}

export interface PlotSlice extends PlotSliceState {
  loadPlot(path: string, window: [number, number], width: number): Promise<void>;
  loadFirstTime(path: string): Promise<void>;
}

export const initialPlotState: PlotSliceState = { plots: {}, firstTimes: {} };

export const createPlotSlice: SliceCreator<PlotSlice> = (deps) => (set) => {
  /** The newest request per path: an older answer arriving late must not replace a newer one. */
  const latestRequest = new Map<string, number>();
  let counter = 0;

  return {
    ...initialPlotState,

    async loadPlot(path, window, width) {
      const request = ++counter;
      latestRequest.set(path, request);
      set((s) => ({
        plots: { ...s.plots, [path]: { ...s.plots[path], status: 'loading', window, width } },
      }));
      try {
        const data = await deps.client.plot(path, { t1: window[0], t2: window[1], width });
        if (latestRequest.get(path) !== request) return;
        set((s) => ({ plots: { ...s.plots, [path]: { status: 'ready', window, width, data } } }));
      } catch (error) {
        if (latestRequest.get(path) !== request) return;
        set((s) => ({
          plots: { ...s.plots, [path]: { ...s.plots[path]!, status: 'error', error: describeError(error) } },
        }));
      }
    },

    async loadFirstTime(path) {
      try {
        const [first] = await deps.client.read(path, { i1: 0, i2: 1 });
        set((s) => ({ firstTimes: { ...s.firstTimes, [path]: first?.t ?? null } }));
      } catch {
        // The plot falls back to the range of the data it has.
      }
    },
  };
};
