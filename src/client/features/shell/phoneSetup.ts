/**
 * What a phone needs to use this server: an address it can reach (not this computer's loopback)
 * and HTTPS, without which a browser neither installs the app nor runs its service worker.
 */

export type AddressKind =
  /** `localhost`, `127.x.x.x`, `[::1]`: only this computer reaches it. */
  | 'loopback'
  /** Reachable, but plain HTTP: the app opens, yet cannot be installed nor work offline. */
  | 'insecure'
  /** HTTPS on a network address: ready for a phone. */
  | 'ready';

/** How a phone would fare with the address this page was opened at. */
export function classifyAddress(url: URL): AddressKind {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const isLoopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '::1' ||
    host === '0:0:0:0:0:0:0:1';
  if (isLoopback) return 'loopback';
  return url.protocol === 'https:' ? 'ready' : 'insecure';
}

/** The address to show and encode: the page's origin, without a path. */
export function serverAddress(url: URL): string {
  return url.origin;
}
