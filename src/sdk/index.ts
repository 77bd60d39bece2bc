/**
 * The typed TypeScript client of Tributary's wire API (ConnectorDB 0.3 compatible), for browsers
 * and Node 20. See README.md for the contract: credentials, errors, reconnection.
 */
export { TributaryClient } from './TributaryClient';
export type {
  ClientOptions,
  DatapointInput,
  DownsampleRequest,
  DownlinkHandler,
  InsertMethod,
  InsertOptions,
  InterpolatorInfo,
  PlotData,
  PlotWindow,
  ReadOptions,
  TransformInfo,
  UserStreamFilter,
} from './ClientOptions';
export { ApiError, NetworkError, type ErrorBody } from './errors';
export { type Credentials, DEFAULT_REQUEST_TIMEOUT_MS } from './HttpTransport';
export {
  DEFAULT_RECONNECT,
  type ConnectionState,
  type CreateWebSocket,
  type ReconnectOptions,
  type Subscription,
  type SubscriptionHandler,
  type SubscriptionMessage,
  type WebSocketLike,
} from './realtime';
export { createIdempotencyKey } from './encoding';
export type {
  DataRange,
  DatasetColumn,
  DatasetQuery,
  IndexRange,
  Interpolator,
  QueryRange,
  StreamQuery,
  TDatasetQuery,
  TimeRange,
  XDatasetQuery,
} from './queries';
export type {
  DeviceCreate,
  DevicePatch,
  JsonSchemaObject,
  StreamCreate,
  StreamPatch,
  UserCreate,
  UserPatch,
} from './objectProps';
