/**
 * Merges, interpolators and datasets of ConnectorDB's query endpoints, as pure functions over
 * datapoints the server has already read.
 */
export { DatasetError } from './DatasetError';
export { mergeDatapoints, mergedDatapoints } from './mergeDatapoints';
export { createInterpolator, interpolatorMayFail, INTERPOLATOR_NAMES } from './interpolators';
export type { FirstWindow, Interpolator, InterpolatorOptions } from './interpolators';
export {
  buildTDataset,
  buildXDataset,
  checkPosttransformSize,
  checkTDatasetRange,
  prepareTDataset,
  prepareXDataset,
  tDatasetRowCount,
  POSTTRANSFORM_MAX_VALUES,
  TDATASET_MAX_ROWS,
  TDATASET_MIN_DT,
} from './buildDataset';
export type { DatasetColumn, DatasetColumns, DatasetOptions, PreparedDataset } from './buildDataset';
export {
  validateDatasetQuery,
  validateMergeQuery,
  streamQueryHasRange,
  DATASET_INDEX_BACKTRACK,
  MAX_MERGE_STREAMS,
} from './validateDatasetQuery';
export type {
  DatasetElementQuery,
  DatasetQuery,
  DatasetSource,
  StreamQuery,
  TDatasetQuery,
  XDatasetQuery,
} from './validateDatasetQuery';
