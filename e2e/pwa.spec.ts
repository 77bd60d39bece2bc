/**
 * The installable app: Chromium's installability check, every page opening offline from the
 * service worker, the update prompt, HTTPS served by Tributary itself, and the phone set-up.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromiumLaunchOptions } from '../playwright.config';
import { ADMIN, expect, PHONE, test } from './fixtures';
import { InsertPage } from './pages/InsertPage';
import { cachedObjectKeys, syncStatus, waitForServiceWorker } from './pages/LocalFirst';
import { screenshotPath, shootSizesAndSchemes } from './screenshotFiles';
import { startServer } from './server';

const ROOT = resolve(import.meta.dirname, '..');

test.describe('installable app', () => {
  test('passes Chromium’s installability check with a manifest as specified', async ({
    playwright,
    server,
  }) => {
    // An ordinary context is incognito to Chromium, which answers `in-incognito` (DESIGN.md §9).
    const profile = mkdtempSync(join(tmpdir(), 'tributary-profile-'));
    const context = await playwright.chromium.launchPersistentContext(profile, {
      ...chromiumLaunchOptions,
      baseURL: server.url,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto('/login');
      await waitForServiceWorker(page);
      const cdp = await context.newCDPSession(page);
      expect(await cdp.send('Page.getInstallabilityErrors')).toEqual({ installabilityErrors: [] });

      const { url, errors } = await cdp.send('Page.getAppManifest');
      expect(errors).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/client/manifest.webmanifest'), 'utf8'));
      expect(url).toBe(`${server.url}/manifest.webmanifest`);
      expect(manifest).toMatchObject({
        name: 'Tributary',
        short_name: 'Tributary',
        display: 'standalone',
        start_url: '/',
        theme_color: '#0f6f8f',
        shortcuts: [{ name: 'Rate' }],
      });
      const icons = manifest.icons as { sizes: string; purpose: string; src: string }[];
      expect(icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual([
        '192x192 any',
        '512x512 any',
        '512x512 maskable',
      ]);
      for (const icon of icons)
        expect((await page.request.get(icon.src)).headers()['content-type']).toBe('image/png');
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test('every page opens offline from the service worker, and the API is never served from it', async ({
    page,
    context,
    logIn,
    person,
    api,
  }) => {
    const user = person.name;
    await api.createStream(`${user}/user/mood`, {
      nickname: 'Mood',
      datatype: 'rating.stars',
      schema: { type: 'integer', minimum: 0, maximum: 10 },
    });
    await api.insert(`${user}/user/mood`, [{ t: Date.now() / 1000 - 60, d: 6 }], { method: 'insert' });
    await logIn();
    await waitForServiceWorker(page);
    // Each route, its heading, and what it reads that must be on the device before it is left.
    const routes: [string, string, string[]][] = [
      ['/', 'Insert', []],
      [`/${user}`, user, [`user/${user}`, `devices/${user}`]],
      [`/${user}/user`, 'user', [`device/${user}/user`, `streams/${user}/user`]],
      [`/${user}/user/mood`, 'Mood', [`stream/${user}/user/mood`]],
      ['/queue', 'Queue', []],
      ['/downlinks', 'Downlinks', []],
    ];
    // Each page read online once, so that its data is on this device too. The user and device
    // headings show the name before the data arrives, so the heading alone does not say it did.
    for (const [route, heading, keys] of routes) {
      await page.goto(route);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect.poll(() => cachedObjectKeys(page)).toEqual(expect.arrayContaining(keys));
    }

    await context.setOffline(true);
    for (const [route, heading] of routes) {
      await page.goto(route);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(syncStatus(page)).toHaveText('Offline');
    }
    await page.goto(`/${user}/user/mood`);
    await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByRole('note')).toContainText('You are offline: showing data cached on this device');
    await shootSizesAndSchemes(page, 'stream-offline-cached');
    // A page never opened on this device says so, rather than that it does not exist.
    await page.goto(`/${user}/somewhere/else`);
    await expect(page.getByRole('heading', { name: '“else” is not on this device' })).toBeVisible();
    await expect(page.getByText('Cannot reach the server')).toBeVisible();

    // The worker answers page routes only: an API request offline fails rather than getting stale data.
    const answer = await page.evaluate(async (path) => {
      try {
        return (await fetch(`/api/v1/crud/${path}/data?i1=0&i2=0`)).status;
      } catch {
        return 'failed';
      }
    }, `${user}/user/mood`);
    expect(answer).toBe('failed');
  });

  test('a new version is announced with Reload, and takes over only when asked', async ({ browser }) => {
    const site = mkdtempSync(join(tmpdir(), 'tributary-site-'));
    cpSync(join(ROOT, 'dist/client'), site, { recursive: true });
    const server = await startServer({ admin: ADMIN, staticDir: site });
    try {
      const context = await browser.newContext({ baseURL: server.url });
      const page = await context.newPage();
      await page.goto('/login');
      await waitForServiceWorker(page);
      const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);

      // Deploy: the worker's bytes change, as with any new build.
      appendFileSync(join(site, 'sw.js'), '\n// the next version\n');
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      const toast = page.getByRole('status').filter({ hasText: 'A new version of Tributary is ready.' });
      await expect(toast).toHaveCount(1, { timeout: 20_000 });
      await page.screenshot({ path: screenshotPath('update-prompt-desktop-light'), animations: 'disabled' });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: screenshotPath('update-prompt-phone-light'), animations: 'disabled' });
      // Still the old version until the person chooses.
      expect(
        await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r?.waiting)),
      ).toBe(true);

      await Promise.all([page.waitForEvent('load'), toast.getByRole('button', { name: 'Reload' }).click()]);
      await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
      const after = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return {
          waiting: !!registration?.waiting,
          controller: navigator.serviceWorker.controller?.scriptURL,
        };
      });
      expect(after).toEqual({ waiting: false, controller: firstWorker });
      await expect(page.getByText('A new version of Tributary is ready.')).toBeHidden();
      await context.close();
    } finally {
      await server.stop();
      rmSync(site, { recursive: true, force: true });
    }
  });
});

test.describe('reachable from a phone', () => {
  test('serves HTTPS itself with TRIBUTARY_TLS_CERT and TRIBUTARY_TLS_KEY', async ({ browser, logIn }) => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' }); // prettier-ignore
    const server = await startServer({
      admin: ADMIN,
      env: { TRIBUTARY_TLS_CERT: cert, TRIBUTARY_TLS_KEY: key },
    });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const context = await browser.newContext({ baseURL: server.url, ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await logIn(page, ADMIN);
      expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
      await expect(syncStatus(page)).toHaveText('All saved');

      // Writes and the websocket work over TLS too.
      await new InsertPage(page).addStream({ template: 'Star rating', name: 'mood', nickname: 'Mood' });
      const card = new InsertPage(page).card('Mood');
      await card.getByRole('radio', { name: '4 stars' }).click();
      await expect(card.getByRole('status')).toContainText('Saved 4 stars');
      const authorization = `Basic ${Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString('base64')}`;
      const data = `/api/v1/crud/${ADMIN.name}/user/mood/data`;
      expect((await (await page.request.get(`${data}?i1=0&i2=0`, { headers: { authorization } })).json()).map(
        (p: { d: unknown }) => p.d,
      )).toEqual([4]); // prettier-ignore
      await page.goto(`/${ADMIN.name}/user/mood`);
      const rows = page.getByRole('table').locator('tbody tr');
      await expect(rows).toHaveCount(1);
      // A value written elsewhere arrives over the websocket (wss://).
      await expect(async () => {
        await page.request.post(`${data}?method=insert`, {
          headers: { authorization },
          data: [{ t: Date.now() / 1000, d: 9 }],
        });
        await expect(rows).toHaveCount(2, { timeout: 2_000 });
      }).toPass({ timeout: 15_000 });
      await context.close();
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the account menu shows the server’s address as a QR code for setting up a phone', async ({
    page,
    logIn,
    server,
  }) => {
    await logIn();
    await page.getByRole('button', { name: /^Account/ }).click();
    await page.getByRole('button', { name: 'Set up a phone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up a phone' });
    await expect(dialog.getByRole('img', { name: `QR code of ${server.url}` })).toBeVisible();
    await expect(dialog.getByText(server.url, { exact: true })).toBeVisible();
    // Opened at 127.0.0.1: the phone needs the computer's network address and HTTPS.
    await expect(dialog.getByRole('note')).toContainText('This address only works on this computer.');
    await expect(dialog.getByRole('note')).toContainText('HOST=0.0.0.0');
    await expect(dialog.getByRole('note')).toContainText('TRIBUTARY_TLS_CERT');
    await page.screenshot({ path: screenshotPath('phone-setup-desktop-light') });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: screenshotPath('phone-setup-phone-light') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });
});
