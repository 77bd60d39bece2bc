import { expect, test } from './fixtures';

test.describe('appearance', () => {
  test('dark mode follows the system until the switch overrides it, and the choice is kept', async ({
    browser,
    server,
    logIn,
    person,
  }) => {
    const context = await browser.newContext({ baseURL: server.url, colorScheme: 'dark' });
    const page = await context.newPage();
    await logIn(page);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const darkMode = page.getByRole('switch', { name: 'Dark mode' });

    await expect(darkMode).toHaveAttribute('aria-checked', 'true');
    const dark = await background();
    await darkMode.click();
    await expect(darkMode).toHaveAttribute('aria-checked', 'false');
    await expect.poll(background).not.toBe(dark);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

    await page.goto(`/${person.name}`);
    await expect(page.getByRole('switch', { name: 'Dark mode' })).toHaveAttribute('aria-checked', 'false');
    expect(await background()).not.toBe(dark);

    // "System" in the account menu hands the choice back to the system.
    await page.getByRole('button', { name: /^Account/ }).click();
    await page.getByRole('button', { name: 'System' }).click();
    await expect(page.getByRole('switch', { name: 'Dark mode' })).toHaveAttribute('aria-checked', 'true');
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);
    await context.close();
  });

  test('keyboard users can skip to the content and see where the focus is', async ({ page, logIn }) => {
    await logIn();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
  });
});
