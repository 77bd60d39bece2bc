/**
 * Renders the web app's icons (public/icons/*.png) from the logo's SVG with the Chromium the e2e
 * tests use — no downloads, no image tools. Run after changing the logo, and commit the PNGs:
 *
 *   node --import tsx scripts/generateIcons.ts
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../playwright.config';

const OUT = resolve(import.meta.dirname, '../public/icons');
const ACCENT = '#0f6f8f';
/** The mark of `src/client/ui/Logo.tsx` (a 32 × 32 box): streams joining into one. */
const MARK = 'M7 9c4 0 6 3 9 7s5 7 9 7M7 16c4 0 6 0 9 0M7 23c4 0 6-3 9-7';

/** The logo as on the page: a rounded square, transparent corners ("any" purpose). */
const roundIcon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" rx="7" fill="${ACCENT}"/>
  <path d="${MARK}" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/></svg>`;

/**
 * Full-bleed for "maskable" and Apple's touch icon: the platform cuts its own shape, so the mark
 * stays inside the central 80 % safe zone.
 */
const fullIcon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" fill="${ACCENT}"/>
  <g transform="translate(16 16) scale(0.74) translate(-16 -16)">
    <path d="${MARK}" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/></g></svg>`;

/** The "Rate" shortcut: a star on the accent colour. */
const rateIcon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" rx="7" fill="${ACCENT}"/>
  <path d="M16 6.5l2.9 5.9 6.5.95-4.7 4.6 1.1 6.45L16 21.35l-5.8 3.05 1.1-6.45-4.7-4.6 6.5-.95z"
    fill="#f2a30f" stroke="#fff" stroke-width="1.4" stroke-linejoin="round"/></svg>`;

const ICONS: { file: string; svg: string; size: number }[] = [
  { file: 'icon-192.png', svg: roundIcon, size: 192 },
  { file: 'icon-512.png', svg: roundIcon, size: 512 },
  { file: 'maskable-512.png', svg: fullIcon, size: 512 },
  { file: 'apple-touch-icon-180.png', svg: fullIcon, size: 180 },
  { file: 'shortcut-rate-96.png', svg: rateIcon, size: 96 },
];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const { file, svg, size } of ICONS) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">` +
          svg.replace('<svg ', `<svg width="${size}" height="${size}" style="display:block" `) +
          `</body></html>`,
      );
      await page.screenshot({ path: join(OUT, file), omitBackground: true });
      console.log(`public/icons/${file} (${size} × ${size})`);
    }
  } finally {
    await browser.close();
  }
}

await main();
