import type { Session } from '../../store';

/**
 * Whether what the viewer writes to this stream is a command for its device: a downlink stream of
 * any device but the viewer's own (whose writes are the stream's data, connectordb-v1.md §2.5).
 */
export function sendsCommands(session: Session | null, path: string, stream: { downlink: boolean }): boolean {
  if (!session || !stream.downlink) return false;
  const [user, device] = path.split('/');
  return !(user === session.user && device === session.device);
}
