import { DEFAULT_DOWNLINK_TIMEOUT_SECONDS, type Stream } from '../model';

/**
 * The seconds a command on this stream may wait for the device's acknowledgement: the stream's
 * `downlink_timeout`, or 10 s when it is 0 (the stored default), missing (an older server) or not a
 * positive number.
 */
export function downlinkTimeoutSeconds(stream: Partial<Pick<Stream, 'downlink_timeout'>>): number {
  const seconds = stream.downlink_timeout;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds
    : DEFAULT_DOWNLINK_TIMEOUT_SECONDS;
}
