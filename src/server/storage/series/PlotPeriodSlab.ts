import type { M4Rollup } from '../../../core/timeseries';
import { M4_FIELDS } from '../../../core/timeseries';
import { ROLLUP_CHUNK_BUCKETS } from './rollupPeriods';

const COLUMNS = ['start', ...M4_FIELDS] as const;
const SLOT_VALUES = COLUMNS.length * ROLLUP_CHUNK_BUCKETS;

interface Slot {
  index: number;
  widthSeconds: number;
  length: number;
}

/**
 * The M4 columns of stored rollup periods, for plots, decoded into the slots of one buffer that is
 * allocated once; the least recently used slot is reused first. Decoded into new arrays, each
 * period a plot had not read before cost 56 KB of fresh buffers, and at a few of those per plot
 * that churn set off one of V8's full collections every few dozen plots: the slowest plots were
 * those that waited for one.
 *
 * The views handed out are overwritten when their slot is reused, so they are only read until the
 * next `claim` (a plot computes its M4 before the storage call that read the periods returns), and
 * a reader never claims more than `capacity` periods at once (see `holds`).
 */
export class PlotPeriodSlab {
  /** Slots by period key, least recently used first. */
  private readonly slots = new Map<string, Slot>();
  /** Slots given up by `forget`, to be claimed again before new ones. */
  private readonly freed: number[] = [];
  private buffer: Float64Array | undefined;
  private slotsMade = 0;

  constructor(readonly capacity = 256) {}

  /** Whether a plot of `periods` periods can read them all from the slab. */
  holds(periods: number): boolean {
    return periods <= this.capacity;
  }

  /** Whether a period of `length` buckets fits a slot (stored periods always do). */
  static fits(length: number): boolean {
    return length <= ROLLUP_CHUNK_BUCKETS;
  }

  /** The columns of period `key`, if they are in a slot. */
  get(key: string): M4Rollup | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return this.view(slot);
  }

  /**
   * A slot for period `key`, as views for the caller to fill at once. A caller that cannot fill
   * them (the stored bytes are damaged) must `forget` the key.
   */
  claim(key: string, widthSeconds: number, length: number): M4Rollup {
    if (!PlotPeriodSlab.fits(length))
      throw new RangeError(`a period of ${length} buckets does not fit a slot`);
    this.forget(key);
    const slot = { index: this.freeSlot(), widthSeconds, length };
    this.slots.set(key, slot);
    return this.view(slot);
  }

  forget(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    this.freed.push(slot.index);
  }

  clear(): void {
    this.slots.clear();
    this.freed.length = 0;
    this.slotsMade = 0;
  }

  private freeSlot(): number {
    const freed = this.freed.pop();
    if (freed !== undefined) return freed;
    if (this.slotsMade < this.capacity) return this.slotsMade++;
    const [oldest, slot] = this.slots.entries().next().value as [string, Slot];
    this.slots.delete(oldest);
    return slot.index;
  }

  private view({ index, widthSeconds, length }: Slot): M4Rollup {
    this.buffer ??= new Float64Array(this.capacity * SLOT_VALUES);
    const view: Record<string, unknown> = { widthSeconds, length };
    COLUMNS.forEach((name, c) => {
      const from = index * SLOT_VALUES + c * ROLLUP_CHUNK_BUCKETS;
      view[name] = this.buffer!.subarray(from, from + length);
    });
    return view as unknown as M4Rollup;
  }
}
