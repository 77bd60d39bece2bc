import type { Session } from '../../store';

/**
 * Whether the viewer may enter values into a stream: a device writes its own streams, and only the
 * downlink of anyone else's (connectordb-v1.md §4). So: a stream of the session's own device, or a
 * downlink stream (the value then goes to the device as a request).
 */
export function canWriteStream(
  session: Session | null,
  path: string,
  stream: { downlink: boolean },
): boolean {
  if (!session) return false;
  const [user, device] = path.split('/');
  return (user === session.user && device === session.device) || stream.downlink;
}
