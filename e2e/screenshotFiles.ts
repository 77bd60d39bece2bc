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

export const SCHEMES = ['light', 'dark'] as const;
export const SIZES = [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const;
/** Every colour scheme at every size, as one flat list. */
export const LOOKS = SCHEMES.flatMap((scheme) =>
  SIZES.map(([size, viewport]) => ({ scheme, size, viewport })),
);

/**
 * What the screen shows (where a phone's tab bar and header sit), plus the whole page on phones,
 * where most of it is below the fold: `<name>-<size>-<scheme>.png` (and `-full.png`).
 */
export async function shoot(page: Page, name: string, size: string, scheme: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  // A full-page shot of a scrolled page would draw the sticky header in the middle.
  if (size === 'desktop') await page.evaluate(() => window.scrollTo(0, 0));
  const file = `${name}-${size}-${scheme}`;
  await page.screenshot({ path: screenshotPath(file), fullPage: size === 'desktop' });
  if (size === 'phone') await page.screenshot({ path: screenshotPath(`${file}-full`), fullPage: true });
}

/**
 * The page as it is, at phone and desktop size, light and dark: `<name>-phone-light.png` and so
 * on. The viewport and colour scheme are restored afterwards.
 */
export async function shootSizesAndSchemes(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.evaluate(() => document.fonts.ready);
  for (const { scheme, size: sizeName, viewport } of LOOKS) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize(viewport);
    await page.screenshot({ path: screenshotPath(`${name}-${sizeName}-${scheme}`), animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: null });
  if (size) await page.setViewportSize(size);
}
