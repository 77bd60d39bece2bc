/**
 * uPlot redraw after a zoom, in Debian's Chromium: a 2,000 px plot of M4 data (first, min, max and
 * last of each pixel column, so 8,000 points) drawn as a line with a min/max band, as the web app
 * draws it. Each zoom sets a new x range and is timed until uPlot's `draw` hook has run.
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../playwright.config';
import { percentile } from './datasets';

const COLUMNS = 2000;

export async function uplotRedraw(zooms = 60): Promise<{ p50Ms: number; p99Ms: number }> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage({ viewport: { width: 2100, height: 600 } });
    await page.setContent('<!doctype html><div id="plot"></div>');
    await page.addStyleTag({ content: readFileSync('node_modules/uplot/dist/uPlot.min.css', 'utf8') });
    await page.addScriptTag({ content: readFileSync('node_modules/uplot/dist/uPlot.iife.min.js', 'utf8') });
    const times = await page.evaluate(
      async ({ columns, zooms }) => {
        type Plot = {
          setScale(key: string, range: { min: number; max: number }): void;
        };
        const uPlot = (window as unknown as { uPlot: new (...args: unknown[]) => Plot }).uPlot;
        // Four points per column (first, min, max, last) of a noisy daily wave, and its band.
        const t: number[] = [];
        const v: number[] = [];
        const lo: number[] = [];
        const hi: number[] = [];
        for (let c = 0; c < columns; c++) {
          const base = 15 + 4 * Math.sin(c / 80);
          const spread = 0.5 + (c % 7) / 10;
          for (const [dt, value] of [
            [0, base],
            [0.25, base - spread],
            [0.5, base + spread],
            [0.75, base + spread / 3],
          ] as const) {
            t.push(1_672_531_200 + (c + dt) * 600);
            v.push(value);
            lo.push(base - spread);
            hi.push(base + spread);
          }
        }
        let drawn: (() => void) | undefined;
        const plot = new uPlot(
          {
            width: columns,
            height: 400,
            scales: { x: { time: true } },
            series: [
              {},
              { stroke: '#0e7490', width: 1 },
              { stroke: 'transparent' },
              { stroke: 'transparent' },
            ],
            bands: [{ series: [3, 2], fill: '#0e749026' }],
            hooks: { draw: [() => drawn?.()] },
          },
          [t, v, lo, hi],
          document.getElementById('plot'),
        );
        const first = t[0]!;
        const span = t[t.length - 1]! - first;
        const out: number[] = [];
        for (let i = 0; i < zooms; i++) {
          // Alternate between zoomed windows and the whole range.
          const from = i % 2 === 0 ? first + ((i * 37) % 50) * (span / 100) : first;
          const to = i % 2 === 0 ? from + span / 2 : first + span;
          const started = performance.now();
          await new Promise<void>((resolve) => {
            drawn = resolve;
            plot.setScale('x', { min: from, max: to });
          });
          out.push(performance.now() - started);
        }
        return out;
      },
      { columns: COLUMNS, zooms: zooms + 10 },
    );
    // The first redraws warm up the JIT and are not counted.
    const counted = times.slice(10);
    return { p50Ms: percentile(counted, 50), p99Ms: percentile(counted, 99) };
  } finally {
    await browser.close();
  }
}
