import { isValidName } from './names';

/** The path of a stream, optionally naming its `downlink` substream. */
export interface StreamPath {
  user: string;
  device: string;
  stream: string;
  /** True for `user/device/stream/downlink`. */
  downlink: boolean;
}

export function formatStreamPath(p: Omit<StreamPath, 'downlink'> & { downlink?: boolean }): string {
  const base = `${p.user}/${p.device}/${p.stream}`;
  return p.downlink ? `${base}/downlink` : base;
}

/** Parses `u/d/s` or `u/d/s/downlink`; returns undefined for anything else. */
export function parseStreamPath(path: string): StreamPath | undefined {
  const parts = path.split('/');
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  if (parts.length === 4 && parts[3] !== 'downlink') return undefined;
  const [user, device, stream] = parts as [string, string, string];
  if (!isValidName(user) || !isValidName(device) || !isValidName(stream)) return undefined;
  return { user, device, stream, downlink: parts.length === 4 };
}

/**
 * The boolean spellings Go's `strconv.ParseBool` accepts: the Python client sends `True`/`False`,
 * browsers send `true`/`false`, others `1`/`0`/`t`/`f`.
 */
export function parseGoBool(value: string): boolean | undefined {
  switch (value) {
    case '1':
    case 't':
    case 'T':
    case 'true':
    case 'TRUE':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'false':
    case 'FALSE':
    case 'False':
      return false;
    default:
      return undefined;
  }
}
