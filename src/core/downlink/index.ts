/**
 * Downlink commands as a state machine (README.md): requested → acknowledged | mismatch | timed
 * out, never an optimistic flip. Pure: the caller supplies data and times.
 */
export {
  DEFAULT_LOG_LIMIT,
  initialDownlinkState,
  isPending,
  reduceDownlink,
  type CommandRecord,
  type CommandState,
  type DownlinkEvent,
  type DownlinkOptions,
  type DownlinkState,
  type ReportRecord,
} from './reduceDownlink';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  deriveCommandStates,
  orderDownlinkHistory,
  type DownlinkHistory,
} from './deriveCommandStates';
export { commandStateText, type CommandStateText } from './commandStateText';
export { downlinkTimeoutSeconds } from './downlinkTimeoutSeconds';
export { valuesMatch } from './valuesMatch';
