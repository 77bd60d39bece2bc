import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer';

describe('serving the built web app', () => {
  let t: TestServer;
  const shell = '<!doctype html><title>Tributary app shell</title>';

  beforeAll(async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'tributary-static-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), shell);
    writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(staticDir, 'sw.js'), 'self.x = 1');
    t = await startTestServer({ config: { staticDir } });
  });
  afterAll(() => t.close());

  it('serves the app shell at / and at every page route, never cached', async () => {
    for (const path of ['/', '/login', '/alice', '/alice/phone', '/alice/phone/steps', '/downlinks']) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe(shell);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('caches hashed assets forever and revalidates the service worker', async () => {
    const asset = await fetch(`${t.url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const worker = await fetch(`${t.url}/sw.js`);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing file with 404, not the shell', async () => {
    const response = await fetch(`${t.url}/assets/missing-5678.js`);
    expect(response.status).toBe(404);
  });
});
