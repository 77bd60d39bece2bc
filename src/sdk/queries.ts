/**
 * Ranges and query bodies of the data API (contract §2.5, §2.6, §5.1). The unions use `?: never`
 * so that mixing an index range with a time range — which the server refuses — does not compile.
 */

/**
 * A range by index, Python-like: negative counts from the end, `i2 <= 0` means `length + i2`, a
 * missing bound is 0. `{ i1: -10 }` is the last ten datapoints; `{}` the whole stream.
 */
export interface IndexRange {
  i1?: number;
  i2?: number;
  t1?: never;
  t2?: never;
  limit?: never;
}

/**
 * A range by time: `(t1, t2]`, start exclusive, end inclusive, in unix seconds. A missing or 0
 * `t2` means no upper bound; `limit` caps the count (after any transform).
 */
export interface TimeRange {
  /** Unix seconds, or (Tributary extension, GET reads only) relative: `now`, `now-90s`, `now-1h`, `now-7d`. */
  t1?: number | string;
  /** Same forms as `t1`. */
  t2?: number | string;
  limit?: number;
  i1?: never;
  i2?: never;
}

/** The range of a data read: by index or by time, never both. */
export type DataRange = IndexRange | TimeRange;

/** A range inside a JSON query body: the original decodes these into floats, so numbers only. */
export type QueryRange = IndexRange | { t1?: number; t2?: number; limit?: number; i1?: never; i2?: never };

/**
 * One stream in a merge or dataset (contract §2.6). `stream` may name the downlink substream
 * (`u/d/s/downlink`). Without any range field, merge reads nothing useful: give `{ i1: 0 }` for all.
 */
export type StreamQuery = {
  stream: string;
  /** A PipeScript applied to this stream's range before merging. */
  transform?: string;
} & QueryRange;

/** The built-in interpolators (§5.2); any other string is run as a PipeScript over the interval. */
export type Interpolator = 'closest' | 'before' | 'after' | 'sum' | 'count' | 'mean' | (string & {});

/** Options every dataset column has. */
interface DatasetColumnOptions {
  /** How the column's value at a row's timestamp is computed; the server's default is `closest`. */
  interpolator?: Interpolator;
  /** Keep rows where this column is null; by default such rows are dropped. */
  allownil?: boolean;
}

/**
 * One column of a dataset: a stream (with its own optional range and transform; without a range
 * it is read from the dataset's start with a 10-datapoint back-track), or a merge of several
 * streams (then transforms go on the merged queries, not on the column).
 */
export type DatasetColumn = DatasetColumnOptions &
  (
    | ({ merge?: never } & StreamQuery)
    | {
        merge: StreamQuery[];
        stream?: never;
        transform?: never;
        i1?: never;
        i2?: never;
        t1?: never;
        t2?: never;
        limit?: never;
      }
  );

/** Fields every dataset query has. */
interface DatasetQueryBase {
  /** Column name → column. An X-dataset may not have a column called `x`. */
  dataset: Record<string, DatasetColumn>;
  /** A PipeScript run over each output row (`d` is the row object). */
  posttransform?: string;
}

/**
 * A T-dataset: one row every `dt` seconds at `t1, t1+dt, …` while `< t2`. The server refuses
 * `t1 < 0`, `t2 < t1 + dt`, `dt < 0.001` and more than 10,000,000 rows.
 */
export interface TDatasetQuery extends DatasetQueryBase {
  t1: number;
  t2: number;
  dt: number;
  stream?: never;
  merge?: never;
  i1?: never;
  i2?: never;
}

/**
 * An X-dataset: one row per datapoint of the X stream (or of a merge), at its timestamp, with the X
 * value in column `x`.
 */
export type XDatasetQuery = DatasetQueryBase & { dt?: never } & (
    ({ merge?: never } & StreamQuery) | { merge: StreamQuery[]; stream?: never; transform?: never }
  );

/** The body of `POST /api/v1/query/dataset`. */
export type DatasetQuery = TDatasetQuery | XDatasetQuery;
