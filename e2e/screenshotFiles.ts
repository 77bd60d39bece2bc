/**
 * Screenshots for a person to look at (phone and desktop, light and dark). They go to
 * artifacts/screenshots/, not to Playwright's outputDir (test-results/), which every run empties:
 * a run of one spec must not wipe the shots of the others.
 */
import type { Page } from '@playwright/test';
import { DESKTOP, PHONE } from './fixtures';

export const SCREENSHOT_DIR = 'artifacts/screenshots';

/** `artifacts/screenshots/<name>.png`. */
export function screenshotPath(name: string): string {
  return `${SCREENSHOT_DIR}/${name}.png`;
}

/**
 * The page as it is, at phone and desktop size, light and dark: `<name>-phone-light.png` and so
 * on. The viewport and colour scheme are restored afterwards.
 */
export async function shootSizesAndSchemes(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.evaluate(() => document.fonts.ready);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [sizeName, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({
        path: screenshotPath(`${name}-${sizeName}-${scheme}`),
        animations: 'disabled',
      });
    }
  }
  await page.emulateMedia({ colorScheme: null });
  if (size) await page.setViewportSize(size);
}
