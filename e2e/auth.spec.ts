import { expect, test } from './fixtures';
import { shootSizesAndSchemes } from './screenshotFiles';
import { startServer } from './server';

test.describe('logging in', () => {
  test('a person logs in with username and password and sees the app', async ({ page, person }) => {
    await page.goto(`/${person.name}`);
    // Nobody is logged in: every page leads to the login form, and back after logging in.
    await expect(page).toHaveURL(/\/login$/);
    await page.getByRole('textbox', { name: 'Username' }).fill(person.name);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    await expect(page.getByRole('heading', { level: 1, name: person.name })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/${person.name}$`));
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Devices' })).toHaveAttribute('aria-current', 'page');
    await nav.getByRole('link', { name: 'Insert' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Insert' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Insert' })).toHaveAttribute('aria-current', 'page');
    await expect(nav.getByRole('link', { name: 'Devices' })).toHaveAttribute('href', `/${person.name}`);
    await expect(nav.getByRole('link', { name: 'Downlinks' })).toBeVisible();
    await expect(page.getByText('Nothing to enter yet')).toBeVisible();
    await shootSizesAndSchemes(page, 'insert-empty');
  });

  test('a wrong password is refused with a clear message', async ({ page, person }) => {
    await page.goto('/login');
    await page.getByRole('textbox', { name: 'Username' }).fill(person.name);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('That username and password do not match.');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('the session survives a reload and logging out ends it', async ({ page, logIn, person }) => {
    await logIn();
    await page.goto(`/${person.name}/user`);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'user' })).toBeVisible();
    await page.getByRole('button', { name: /^Account/ }).click();
    await page.getByRole('link', { name: 'Log out' }).click();
    await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
    await page.goto(`/${person.name}/user`);
    await expect(page).toHaveURL(/\/login$/);
  });

  test('the server serves the app at /', async ({ page, logIn }) => {
    await logIn();
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Insert' })).toBeVisible({ timeout: 3_000 });
  });
});

test.describe('first run', () => {
  test('on a server without users, the first person creates the admin account', async ({ browser }) => {
    const server = await startServer();
    try {
      const context = await browser.newContext({ baseURL: server.url });
      const page = await context.newPage();
      await page.goto('/login');
      await expect(page.getByRole('heading', { name: 'Welcome to Tributary' })).toBeVisible();
      await shootSizesAndSchemes(page, 'setup');
      await page.getByRole('textbox', { name: 'Username' }).fill('ada');
      await page.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByLabel('Repeat password').fill('different');
      await page.getByRole('button', { name: 'Create administrator' }).click();
      await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
      await expect(page.getByText('The passwords do not match.')).toBeVisible();

      await page.getByLabel('Password', { exact: true }).fill('analytical engine');
      await page.getByLabel('Repeat password').fill('analytical engine');
      await page.getByRole('button', { name: 'Create administrator' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Insert' })).toBeVisible();

      // The account exists on the server, as an admin, and the form is gone for good.
      const setup = await (await fetch(`${server.url}/api/v1/setup`)).json();
      expect(setup).toMatchObject({ needsSetup: false });
      const response = await fetch(`${server.url}/api/v1/crud/ada`, {
        headers: { authorization: `Basic ${Buffer.from('ada:analytical engine').toString('base64')}` },
      });
      expect(await response.json()).toMatchObject({ name: 'ada', role: 'admin', email: 'ada@example.com' });
      await context.close();
    } finally {
      await server.stop();
    }
  });
});
