/** A dataset or merge request that cannot be answered; `message` is meant for the 400 response. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}
