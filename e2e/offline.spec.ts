/**
 * Issue #4 as a person lives it: ratings given on a train with no signal reach the server exactly
 * once, with the time they were given — across reloads, and across a server that dies mid-sync.
 */
import type { Page } from '@playwright/test';
import { TributaryClient } from '../src/sdk';
import { ADMIN, DESKTOP, expect, PHONE, test } from './fixtures';
import { InsertPage } from './pages/InsertPage';
import {
  outboxPoints,
  QueuePage,
  syncStatus,
  waitForAppLoaded,
  waitForServiceWorker,
} from './pages/LocalFirst';
import { StreamPage } from './pages/StreamPage';
import { screenshotPath, shootSizesAndSchemes } from './screenshotFiles';
import { startServer } from './server';

const MOOD = {
  nickname: 'Mood',
  datatype: 'rating.stars',
  schema: { type: 'integer', minimum: 0, maximum: 10 },
  icon: 'material:star',
} as const;

/** Phone and desktop screenshots of the page as it is, light and dark. */
const shoot = shootSizesAndSchemes;

/** Rates `value` stars on a card and waits until the card says the value is kept. */
async function rate(page: Page, card: string, value: number, expected: RegExp): Promise<void> {
  const stars = new InsertPage(page).card(card).getByRole('radiogroup', { name: card });
  await stars.getByRole('radio', { name: value === 1 ? '1 star' : `${value} stars`, exact: true }).click();
  await expect(new InsertPage(page).card(card).getByRole('status')).toContainText(expected);
}

test.describe('offline', () => {
  test('three ratings given offline survive a reload and reach the server once, with their times', async ({
    page,
    context,
    logIn,
    person,
    api,
  }) => {
    const path = `${person.name}/user/mood`;
    await api.createStream(path, MOOD);
    await logIn();
    const insert = new InsertPage(page);
    await expect(insert.card('Mood')).toBeVisible();
    await waitForServiceWorker(page);
    await expect(syncStatus(page)).toHaveText('All saved');
    await shoot(page, 'sync-all-saved');

    await context.setOffline(true);
    await expect(syncStatus(page)).toHaveText('Offline');
    await shoot(page, 'sync-offline');
    const before = Date.now() / 1000;
    await rate(page, 'Mood', 3, /Queued 3 stars at .* sent when online/);
    await expect(syncStatus(page)).toHaveText('Offline · 1 pending');
    await rate(page, 'Mood', 5, /Queued 5 stars/);
    await rate(page, 'Mood', 8, /Queued 8 stars/);
    const after = Date.now() / 1000;
    await expect(syncStatus(page)).toHaveText('Offline · 3 pending');
    await shoot(page, 'sync-offline-pending');
    const queued = await outboxPoints(page);
    expect(queued.map((p) => p.d)).toEqual([3, 5, 8]);
    for (const { t } of queued) {
      expect(t).toBeGreaterThanOrEqual(before - 1);
      expect(t).toBeLessThanOrEqual(after + 1);
    }

    // Closed and opened again, still without a network: the app, its data and the queue are there.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Insert' })).toBeVisible();
    await expect(syncStatus(page)).toContainText('3 pending');
    await expect(insert.card('Mood')).toBeVisible();
    await expect(insert.card('Mood').getByText('Last:')).toContainText('8 stars');
    await expect(insert.card('Mood').getByText('not sent yet')).toBeVisible();
    await expect(page.getByRole('note')).toContainText(/You are offline: showing data cached on this device/);
    await shoot(page, 'insert-offline-cached');

    // The stream's table and plot show the three at once, marked as pending (the server's values
    // of this range were never opened here); the queue lists them.
    const stream = new StreamPage(page);
    await stream.goto(path, 'Mood');
    const rows = page.getByRole('table').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: 'Pending' })).toHaveCount(3);
    await expect(stream.plot('Mood').locator('canvas').first()).toBeVisible();
    await expect(stream.plot('Mood')).toHaveAccessibleDescription(
      /^3 values from .*, none of them sent yet\./,
    );
    await expect(stream.plotCard().getByText('No values yet')).toHaveCount(0);
    // One note says what is shown and why.
    await expect(page.getByRole('note')).toHaveCount(1);
    await expect(page.getByRole('note')).toHaveText(
      'You are offline, and this range has not been opened on this device yet. Only the 3 values waiting to be sent are shown.',
    );
    await shoot(page, 'stream-offline-pending');
    for (const [size, name] of [
      [PHONE, 'phone'],
      [DESKTOP, 'desktop'],
    ] as const) {
      await page.setViewportSize(size);
      // The plot follows the narrower card (it once kept the desktop width and stuck out).
      await expect
        .poll(async () => {
          const [card, drawing] = await Promise.all([
            stream.plotCard().boundingBox(),
            stream.plot('Mood').boundingBox(),
          ]);
          return drawing!.x + drawing!.width <= card!.x + card!.width;
        })
        .toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      await page.getByRole('heading', { name: 'Values' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`stream-offline-pending-table-${name}-light`) });
    }
    await syncStatus(page).getByRole('link').click();
    const queue = new QueuePage(page);
    await expect(queue.heading()).toBeVisible();
    await expect(queue.item('Mood')).toContainText('3 values');
    await expect(queue.item('Mood').getByRole('table').locator('tbody tr')).toHaveCount(3);
    await shoot(page, 'queue-offline');
    expect(await api.read(path, {})).toEqual([]);

    await context.setOffline(false);
    await expect(syncStatus(page)).toHaveText('All saved', { timeout: 20_000 });
    await expect(page.getByText('Nothing waits to be sent')).toBeVisible();
    await shoot(page, 'queue-empty');
    const stored = await api.read(path, {});
    expect(stored.map(({ t, d }) => ({ t, d }))).toEqual(queued.map(({ t, d }) => ({ t, d })));
    expect(await outboxPoints(page)).toEqual([]);
  });

  test('a value the schema refuses is stopped at entry, offline too, and never queued', async ({
    page,
    context,
    logIn,
    person,
    api,
  }) => {
    const path = `${person.name}/user/weight`;
    await api.createStream(path, {
      nickname: 'Weight',
      datatype: 'number',
      schema: { type: 'number', minimum: 40, maximum: 120 },
    });
    await logIn();
    const card = new InsertPage(page).card('Weight');
    await expect(card).toBeVisible();
    // Installed, as an app used offline is: its service worker holds every chunk, the validator too.
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await expect(syncStatus(page)).toHaveText('Offline');

    const box = card.getByRole('spinbutton', { name: 'Weight' });
    await box.fill('300');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByText('Must be <= 120.')).toBeVisible();
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(await outboxPoints(page)).toEqual([]);
    await expect(syncStatus(page)).toHaveText('Offline');

    await box.fill('72.5');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByRole('status')).toContainText('Queued 72.5');
    await context.setOffline(false);
    await expect(syncStatus(page)).toHaveText('All saved', { timeout: 20_000 });
    expect((await api.read(path, {})).map((p) => p.d)).toEqual([72.5]);
  });

  test('a value the server refuses later stays visible as rejected with the reason, until discarded', async ({
    page,
    context,
    logIn,
    person,
    api,
  }) => {
    const path = `${person.name}/user/mood`;
    await api.createStream(path, MOOD);
    await logIn();
    await expect(new InsertPage(page).card('Mood')).toBeVisible();
    await waitForAppLoaded(page);
    await context.setOffline(true);
    await rate(page, 'Mood', 7, /Queued 7 stars/);
    // Meanwhile, on another device, the stream is deleted: the server will refuse the rating.
    await api.deleteStream(path);
    await context.setOffline(false);

    await expect(syncStatus(page)).toHaveText('1 rejected', { timeout: 20_000 });
    // Said in plain words (the server only says "Can't access this resource."), and without a
    // "No values yet" beside it.
    const card = new InsertPage(page).card('Mood');
    await expect(card.getByRole('alert')).toHaveText(
      'Not saved: the stream no longer exists, or you may no longer add values to it. Open the queue',
    );
    await expect(card.getByText('No values yet')).toHaveCount(0);
    await shoot(page, 'sync-rejected');
    const queue = new QueuePage(page);
    await queue.goto();
    const item = queue.item('mood');
    await expect(item).toContainText('Refused');
    await expect(
      item.getByText(
        'The server refused it: the stream no longer exists, or you may no longer add values to it.',
      ),
    ).toBeVisible();
    await shoot(page, 'queue-rejected');

    // Retrying is allowed and is refused again, never in a loop; discarding asks first.
    await item.getByRole('button', { name: 'Retry' }).click();
    await expect(syncStatus(page)).toHaveText('1 rejected', { timeout: 20_000 });
    await item.getByRole('button', { name: 'Discard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this value of mood?' });
    // The retry may still be on its way: the dialog then says so, and Discard works a moment later.
    await expect(async () => {
      await dialog.getByRole('button', { name: 'Discard' }).click();
      await expect(dialog).toBeHidden({ timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(syncStatus(page)).toHaveText('All saved');
    await expect(page.getByText('Nothing waits to be sent')).toBeVisible();
  });

  test('logging out with values not sent asks first, and keeps them for the next login', async ({
    page,
    context,
    logIn,
    person,
    api,
  }) => {
    const path = `${person.name}/user/mood`;
    await api.createStream(path, MOOD);
    await logIn();
    await expect(new InsertPage(page).card('Mood')).toBeVisible();
    await waitForAppLoaded(page);
    await context.setOffline(true);
    await rate(page, 'Mood', 4, /Queued 4 stars/);
    await page.getByRole('button', { name: /^Account/ }).click();
    await page.getByRole('link', { name: 'Log out' }).click();
    await expect(page.getByRole('heading', { name: 'Log out with values not saved?' })).toBeVisible();
    await expect(page.getByText(/1 value is on this device but not on the server/)).toBeVisible();
    await shoot(page, 'logout-question');
    await page.getByRole('button', { name: 'Keep them and log out' }).click();
    await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
    expect(await outboxPoints(page)).toMatchObject([{ d: 4 }]);

    // Logged out offline, the server's session is ended as soon as the app reaches it again.
    // Logged out offline, the server's session is ended as soon as the app reaches it again.
    await context.setOffline(false);
    await logIn();
    await expect
      .poll(async () => (await api.read(path, {})).map((p) => p.d), { timeout: 20_000 })
      .toEqual([4]);
  });
});

test.describe('a server that dies', () => {
  test('killed during a sync and restarted, it has every rating exactly once', async ({ browser, logIn }) => {
    let server = await startServer({ admin: ADMIN });
    const dataDir = server.dataDir;
    try {
      const admin = new TributaryClient({
        url: server.url,
        credentials: { username: ADMIN.name, password: ADMIN.password },
      });
      const who = { name: `crash${Date.now().toString(36)}`, password: 'correct horse battery' };
      await admin.createUser(who.name, {
        email: `${who.name}@example.com`,
        password: who.password,
        role: 'user',
      });
      const path = `${who.name}/user/mood`;
      const api = new TributaryClient({
        url: server.url,
        credentials: { username: who.name, password: who.password },
      });
      await api.createStream(path, MOOD);

      const context = await browser.newContext({ baseURL: server.url });
      const page = await context.newPage();
      await logIn(page, who);
      await expect(new InsertPage(page).card('Mood')).toBeVisible();
      await waitForAppLoaded(page);
      await context.setOffline(true);
      await rate(page, 'Mood', 2, /Queued 2 stars/);
      await rate(page, 'Mood', 6, /Queued 6 stars/);
      await rate(page, 'Mood', 9, /Queued 9 stars/);
      const queued = await outboxPoints(page);

      // The batch reaches the server and is stored; the server dies before its answer gets back.
      let isKilled = false;
      await page.route(`**/api/v1/crud/${path}/data**`, async (route) => {
        if (route.request().method() !== 'POST' || isKilled) return route.continue();
        await route.fetch();
        await server.kill('SIGKILL');
        await route.abort('connectionreset');
        isKilled = true;
      });
      await context.setOffline(false);
      await expect.poll(() => isKilled, { timeout: 20_000 }).toBe(true);
      await page.unroute(`**/api/v1/crud/${path}/data**`);
      await expect(syncStatus(page)).toContainText('3 pending');

      // While it is down, more ratings wait; then it comes back on the same address and data.
      await rate(page, 'Mood', 1, /Queued 1 star/);
      server = await startServer({ admin: ADMIN, dataDir, port: server.port });
      await expect(syncStatus(page)).toHaveText('All saved', { timeout: 45_000 });

      const stored = await api.read(path, {});
      expect(stored).toHaveLength(4);
      expect(stored.slice(0, 3).map(({ t, d }) => ({ t, d }))).toEqual(queued.map(({ t, d }) => ({ t, d })));
      expect(stored[3]!.d).toBe(1);
      await context.close();
    } finally {
      await server.stop();
      await import('node:fs').then((fs) => fs.rmSync(dataDir, { recursive: true, force: true }));
    }
  });
});
