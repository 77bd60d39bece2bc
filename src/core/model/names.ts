/** Names of users, devices and streams: a letter, then letters, digits, `_` or `-`; under 30 characters. */
export const NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_-]*$/;
export const MAX_NAME_LENGTH = 29;

export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name);
}

/**
 * Usernames that would collide with the web app's own routes. ConnectorDB's default list, plus the
 * routes Tributary's app adds (`/downlinks`, `/queue`, …) so that `/{user}` never shadows a page.
 */
export const DISALLOWED_USERNAMES: ReadonlySet<string> = new Set([
  'support',
  'www',
  'api',
  'app',
  'favicon.ico',
  'robots.txt',
  'sitemap.xml',
  'join',
  'login',
  'logout',
  'user',
  'admin',
  'nobody',
  'root',
  'downlinks',
  'queue',
  'settings',
  'assets',
  'icons',
  'meta',
]);

export function isAllowedUsername(name: string): boolean {
  return isValidName(name) && !DISALLOWED_USERNAMES.has(name.toLowerCase());
}
