/**
 * Every page at phone (390×844) and desktop (1280×800) size, light and dark, saved as artifacts in
 * artifacts/screenshots/ for a person to look at. Each shot also checks the page rendered.
 */
import { resolve, sep } from 'node:path';
import type { TributaryClient } from '../src/sdk';
import { ADMIN, expect, test } from './fixtures';
import { LOOKS, SCHEMES, SCREENSHOT_DIR, shoot, SIZES } from './screenshotFiles';

const HOUR = 3_600;

/** A week of plausible data in the person's streams, and a thermostat with downlinks. */
async function seed(api: TributaryClient, user: string) {
  const now = Date.now() / 1000;
  await api.createStream(`${user}/user/mood`, {
    nickname: 'Mood',
    description: 'How I feel, out of 10',
    datatype: 'rating.stars',
    schema: { type: 'integer', minimum: 0, maximum: 10 },
    icon: 'material:star',
  });
  await api.createStream(`${user}/user/weight`, {
    nickname: 'Weight',
    description: 'Morning weight in kg',
    datatype: 'number',
    schema: { type: 'number', minimum: 40, maximum: 120 },
  });
  await api.createStream(`${user}/user/meditated`, {
    nickname: 'Meditated',
    datatype: 'boolean',
    schema: { type: 'boolean' },
  });
  await api.createStream(`${user}/user/diary`, {
    nickname: 'Diary',
    datatype: 'log.diary',
    schema: { type: 'string', minLength: 1 },
    icon: 'material:library_books',
  });
  await api.createStream(`${user}/user/sleep`, {
    nickname: 'Sleep',
    description: 'Hours and quality of last night',
    schema: {
      type: 'object',
      properties: { hours: { type: 'number' }, quality: { type: 'integer', minimum: 1, maximum: 5 } },
      required: ['hours'],
    },
  });
  const days = Array.from({ length: 14 }, (_, i) => now - (13 - i) * 12 * HOUR);
  const wave = (i: number, base: number, size: number) => base + size * Math.sin(i / 2);
  await api.insert(
    `${user}/user/mood`,
    days.map((t, i) => ({ t, d: Math.round(wave(i, 6, 3)) })),
    { method: 'insert' },
  );
  await api.insert(
    `${user}/user/weight`,
    days.map((t, i) => ({ t, d: +wave(i, 72, 1.5).toFixed(1) })),
    { method: 'insert' },
  );
  await api.insert(
    `${user}/user/meditated`,
    days.map((t, i) => ({ t, d: i % 3 !== 0 })),
    { method: 'insert' },
  );
  await api.insert(
    `${user}/user/diary`,
    [
      { t: days[10]!, d: 'Long walk by the river, felt great.' },
      { t: days[12]!, d: 'Busy day; finished the report.' },
    ],
    { method: 'insert' },
  );
  await api.insert(
    `${user}/user/sleep`,
    days.map((t, i) => ({ t, d: { hours: +wave(i, 7, 1).toFixed(1), quality: 1 + (i % 5) } })),
    { method: 'insert' },
  );
  await api.createDevice(user, 'thermostat', {
    nickname: 'Living room thermostat',
    description: 'Heating in the living room',
    icon: 'material:whatshot',
    streams: {
      target: {
        nickname: 'Target temperature',
        datatype: 'number',
        schema: { type: 'number', minimum: 10, maximum: 28 },
        downlink: true,
      },
      heating: { nickname: 'Heating on', datatype: 'boolean', schema: { type: 'boolean' }, downlink: true },
    },
  });
}

for (const scheme of SCHEMES) {
  test(`every page looks right at phone and desktop size (${scheme})`, async ({
    browser,
    server,
    person,
    api,
  }) => {
    test.setTimeout(120_000);
    await seed(api, person.name);
    for (const [size, viewport] of SIZES) {
      const context = await browser.newContext({ baseURL: server.url, viewport, colorScheme: scheme });
      const page = await context.newPage();

      await page.goto('/login');
      await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
      await shoot(page, 'login', size, scheme);
      await page.getByRole('textbox', { name: 'Username' }).fill(person.name);
      await page.getByLabel('Password').fill(person.password);
      await page.getByRole('button', { name: 'Log in' }).click();

      await expect(page.getByRole('radiogroup', { name: 'Mood' })).toBeVisible();
      await expect(page.getByRole('region', { name: 'Sleep' }).getByText(/^Last:/)).toBeVisible();
      // The search box's text starts after its icon (component styles come after the base ones).
      const search = page.getByRole('searchbox', { name: 'Search streams' });
      const icon = (await page.locator('.search-icon').boundingBox())!;
      const textStart = await search.evaluate(
        (input) => input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft),
      );
      expect(textStart).toBeGreaterThan(icon.x + icon.width);
      await shoot(page, 'insert', size, scheme);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
      await expect(page.getByRole('link', { name: /Living room thermostat/ })).toBeVisible();
      await shoot(page, 'user', size, scheme);

      await page.getByRole('link', { name: /Living room thermostat/ }).click();
      await expect(page.getByRole('link', { name: /Target temperature/ })).toBeVisible();
      // Badges wrap below a stream's name rather than cutting it short ("Heating…").
      for (const name of ['Heating on', 'Target temperature']) {
        const title = page.getByRole('list', { name: 'Streams' }).getByText(name, { exact: true });
        expect(await title.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
      }
      await shoot(page, 'device', size, scheme);

      await page.goto(`/${person.name}/user/mood`);
      await expect(page.getByRole('img', { name: 'Plot of Mood' }).locator('canvas')).toBeVisible();
      await shoot(page, 'stream-rating', size, scheme);

      const transform = page.getByRole('region', { name: 'Transform' });
      await transform.getByRole('button', { name: 'Daily mean' }).click();
      await expect(
        transform.getByRole('img', { name: 'Plot of Mood (transformed)' }).locator('canvas'),
      ).toBeVisible();
      if (size === 'phone') await transform.scrollIntoViewIfNeeded();
      await shoot(page, 'stream-transform', size, scheme);

      await page.goto(`/${person.name}/user/sleep`);
      await expect(page.getByRole('img', { name: 'Plot of Sleep' }).locator('canvas')).toBeVisible();
      await shoot(page, 'stream-object', size, scheme);

      await page.goto(`/${person.name}/user/meditated`);
      await expect(page.getByRole('img', { name: 'Plot of Meditated' }).locator('canvas')).toBeVisible();
      await shoot(page, 'stream-boolean', size, scheme);

      await page.goto(`/${person.name}/thermostat/target`);
      await expect(page.getByRole('heading', { name: 'Send to the device' })).toBeVisible();
      await shoot(page, 'stream-downlink', size, scheme);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Downlinks' }).click();
      await expect(page.getByRole('region', { name: 'Target temperature' })).toBeVisible();
      await shoot(page, 'downlinks', size, scheme);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Insert' }).click();
      await page.getByRole('button', { name: 'Add stream' }).first().click();
      await expect(page.getByRole('dialog', { name: 'Add stream' })).toBeVisible();
      await shoot(page, 'add-stream-dialog', size, scheme);
      await context.close();
    }
  });
}

test('the admin’s list of users and the page for an address that does not exist look right', async ({
  browser,
  server,
  person,
  logIn,
}) => {
  for (const { scheme, size, viewport } of LOOKS) {
    const context = await browser.newContext({ baseURL: server.url, viewport, colorScheme: scheme });
    const page = await context.newPage();
    await logIn(page, ADMIN);

    await page.goto(`/${ADMIN.name}`);
    const users = page.getByRole('list', { name: 'Users' });
    await expect(users.getByRole('link', { name: new RegExp(person.name) })).toBeVisible();
    await shoot(page, 'admin-users', size, scheme);

    await page.goto(`/${ADMIN.name}/user/nothing/here`);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeAttached();
    await expect(page.getByRole('heading', { name: 'Nothing here' })).toBeVisible();
    await shoot(page, 'not-found', size, scheme);
    await context.close();
  }
});

test('screenshots are kept outside Playwright’s output directory, which every run empties', () => {
  const outputDir = resolve(test.info().project.outputDir);
  expect(`${resolve(SCREENSHOT_DIR)}${sep}`.startsWith(`${outputDir}${sep}`)).toBe(false);
});
