/**
 * The critical JavaScript of the web app, as the build counts it (vite.config.ts writes
 * dist/bundle-budget.json: the entry, the Insert page and the local-first chunk, gzipped; the
 * e2e test bundle.spec.ts checks that count against what the browser fetches). Builds first, so
 * the figure is of the sources as they are.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const REPORT = 'dist/bundle-budget.json';

export function criticalJsKbGzip(): number {
  const build = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0) throw new Error('the web app did not build');
  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as { criticalBytes: number };
  return report.criticalBytes / 1024;
}
