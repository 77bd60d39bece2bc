/**
 * PipeScript transforms of a stream's data on its page. Online the server runs the script over the
 * whole window (it may hold far more points than the page); offline the same engine runs here over
 * the data the page holds. A script with a syntax error is refused here, before any request.
 */
import type { Datapoint } from '../../core/model';
import { NetworkError } from '../../sdk';
import type { SliceCreator } from './appState';
import type { DataWindow } from './dataSlice';
import { preloadable } from '../ui/lazyWithPreload';
import { describeError } from './describeError';

export interface TransformResult {
  status: 'running' | 'ready' | 'error';
  source: string;
  points: Datapoint[];
  /** Where it ran: on the server over the whole window, or in this browser over the data it holds. */
  ranOn?: 'server' | 'browser';
  error?: string;
}

export interface TransformSlice {
  transformResults: Record<string, TransformResult>;
  runTransform(path: string, source: string, window: DataWindow): Promise<void>;
  clearTransform(path: string): void;
}

/** PipeScript loads with the first transform: most visits never run one. */
const loadPipeScript = preloadable(() => import('../../core/pipescript'));

export const createTransformSlice: SliceCreator<TransformSlice> = (deps) => (set, get) => {
  const latestRun = new Map<string, number>();
  let counter = 0;

  return {
    transformResults: {},

    async runTransform(path, source, window) {
      const run = ++counter;
      latestRun.set(path, run);
      const isCurrent = () => latestRun.get(path) === run;
      const finish = (result: Omit<TransformResult, 'source'>) => {
        if (isCurrent())
          set((s) => ({ transformResults: { ...s.transformResults, [path]: { source, ...result } } }));
      };
      set((s) => ({
        transformResults: {
          ...s.transformResults,
          [path]: { status: 'running', source, points: s.transformResults[path]?.points ?? [] },
        },
      }));

      const { parsePipeScript, PipeScriptError, describePipeScriptError } = await loadPipeScript();
      let script;
      try {
        script = parsePipeScript(source);
      } catch (error) {
        if (error instanceof PipeScriptError) {
          return finish({ status: 'error', points: [], error: describePipeScriptError(error, source) });
        }
        throw error;
      }

      const range =
        window.t1 === undefined && window.t2 === undefined ? {} : { t1: window.t1 ?? 0, t2: window.t2 };
      try {
        const points = await deps.client.read(path, range, { transform: source });
        return finish({ status: 'ready', points, ranOn: 'server' });
      } catch (error) {
        if (!(error instanceof NetworkError))
          return finish({ status: 'error', points: [], error: describeError(error) });
      }
      // Offline: the same engine, over what the page holds.
      const held = get().series[path]?.points ?? [];
      try {
        finish({ status: 'ready', points: script.run(held.map(({ t, d }) => ({ t, d }))), ranOn: 'browser' });
      } catch (error) {
        if (!(error instanceof PipeScriptError)) throw error;
        finish({ status: 'error', points: [], error: describePipeScriptError(error, source) });
      }
    },

    clearTransform(path) {
      latestRun.delete(path);
      set((s) => {
        const { [path]: _removed, ...rest } = s.transformResults;
        return { transformResults: rest };
      });
    },
  };
};
