import {
  ROLLUP_FIELDS,
  type RollupColumns,
  type RollupField,
  type RollupSeries,
} from '../../../core/timeseries';
import {
  decodeRollupColumn,
  readRollupSections,
  type RollupChunkSections,
  type RollupColumn,
} from '../chunks';

/**
 * One stored rollup period, as the caches hold it: its columns are decoded when first read. A plot
 * reads 6 of the 10 aggregate columns, and the sums it skips are the costliest to decode.
 */
export class RollupPeriod {
  private readonly columns = new Map<RollupColumn, Float64Array>();

  private constructor(
    readonly widthSeconds: number,
    readonly length: number,
    private readonly chunk?: RollupChunkSections,
  ) {}

  /** A period from its stored bytes; throws a RangeError on data the codec did not write. */
  static fromBytes(bytes: Uint8Array): RollupPeriod {
    return RollupPeriod.fromSections(readRollupSections(bytes));
  }

  /** A period from its stored bytes, already split into sections. */
  static fromSections(chunk: RollupChunkSections): RollupPeriod {
    return new RollupPeriod(chunk.widthSeconds, chunk.length, chunk);
  }

  /** A period already decoded (just written, say). */
  static fromSeries(series: RollupSeries): RollupPeriod {
    const period = new RollupPeriod(series.widthSeconds, series.length);
    for (const column of ['start', ...ROLLUP_FIELDS] as const) period.columns.set(column, series[column]);
    return period;
  }

  /** `start` and the given aggregate columns. */
  pick<F extends RollupField>(fields: readonly F[]): RollupColumns<F> {
    const names: RollupColumn[] = ['start', ...fields];
    this.decode(names);
    const picked: Record<string, unknown> = { widthSeconds: this.widthSeconds, length: this.length };
    for (const name of names) picked[name] = this.columns.get(name)!;
    return picked as RollupColumns<F>;
  }

  /**
   * Decodes the columns not decoded yet, into one buffer: freeing many small buffers is a large
   * part of what the garbage collector's pauses cost a server.
   */
  private decode(names: readonly RollupColumn[]): void {
    const missing = names.filter((name) => !this.columns.has(name));
    if (missing.length === 0) return;
    const buffer = new Float64Array(missing.length * this.length);
    missing.forEach((name, i) => {
      const out = buffer.subarray(i * this.length, (i + 1) * this.length);
      this.columns.set(name, decodeRollupColumn(this.chunk!, name, out));
    });
  }

  /** Every column. */
  series(): RollupSeries {
    return this.pick(ROLLUP_FIELDS);
  }
}
