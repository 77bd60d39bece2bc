/** The critical JavaScript of the web app: the entry module and what it imports statically, gzipped. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function criticalJsKbGzip(distDir = 'dist/client'): number | undefined {
  const indexFile = join(distDir, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const html = readFileSync(indexFile, 'utf8');
  const files = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  let bytes = 0;
  for (const file of new Set(files))
    bytes += gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;
  return bytes / 1024;
}
