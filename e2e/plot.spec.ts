/**
 * Long time series: the plot draws the server's per-pixel M4 data (from its rollups) instead of
 * downloading every datapoint, asks again for each zoom and pan, and keeps live values flowing.
 */
import type { Page } from '@playwright/test';
import type { TributaryClient } from '../src/sdk';
import { expect, PHONE, test } from './fixtures';
import { StreamPage } from './pages/StreamPage';
import { screenshotPath } from './screenshotFiles';

const DAY = 86_400;

interface PlotRequest {
  t1: number;
  t2: number;
  width: number;
}

function plotRequest(url: string): PlotRequest | undefined {
  const params = new URL(url).searchParams;
  if (params.get('q') !== 'plot') return undefined;
  return { t1: Number(params.get('t1')), t2: Number(params.get('t2')), width: Number(params.get('width')) };
}

test('two days of 1 Hz data are plotted from rollups, and zoom and pan ask for exact data', async ({
  page,
  logIn,
  person,
  api,
}) => {
  const path = `${person.name}/user/temperature`;
  await api.createStream(path, { nickname: 'Temperature', schema: { type: 'number' } });
  const end = Math.floor(Date.now() / 1000) - 10;
  const start = end - 2 * DAY;
  for (let from = start; from < end; from += 40_000) {
    const batch = [];
    for (let t = from; t < Math.min(from + 40_000, end); t++) {
      batch.push({ t, d: Math.round((20 + 5 * Math.sin(t / 3000) + (t % 97 === 0 ? 15 : 0)) * 10) / 10 });
    }
    await api.insert(path, batch);
  }

  const plotRequests: PlotRequest[] = [];
  const sources: string[] = [];
  page.on('response', (response) => {
    const request = plotRequest(response.url());
    if (!request) return;
    plotRequests.push(request);
    const source = response.headers()['x-plot-source'];
    if (source) sources.push(source);
  });

  await logIn();
  const stream = new StreamPage(page);
  await stream.goto(path, 'Temperature');
  await stream.choosePreset('7 d');
  const plot = stream.plot('Temperature');
  const area = plot.locator('.u-over');
  await expect(area).toBeVisible();
  // The page first plotted its default range; wait for the answer to the week's request.
  const first = await presetRequest(plotRequests, 7 * DAY);
  // A week at ~1,000 px is minutes per pixel: the server answers from a rollup level.
  expect(sources.at(-1)).toBe('rollup');
  const box = (await area.boundingBox())!;
  expect(Math.abs(first.width - box.width)).toBeLessThan(40);

  await page.screenshot({ path: screenshotPath('plot-long-desktop-light') });

  // Drag across a fifth of the plot: the plot asks for exactly that window.
  const before = plotRequests.length;
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.95, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => plotRequests.length).toBeGreaterThan(before);
  const zoomed = plotRequests.at(-1)!;
  expect(zoomed.t2 - zoomed.t1).toBeLessThan(first.t2 - first.t1);
  expect(zoomed.t2 - zoomed.t1).toBeGreaterThan(0.1 * (first.t2 - first.t1));

  // Pan: the next window is earlier by half a span.
  const beforePan = plotRequests.length;
  await page.getByRole('button', { name: 'Earlier' }).click();
  await expect.poll(() => plotRequests.length).toBeGreaterThan(beforePan);
  const panned = plotRequests.at(-1)!;
  expect(panned.t1).toBeLessThan(zoomed.t1);
  expect(panned.t2 - panned.t1).toBeCloseTo(zoomed.t2 - zoomed.t1, 0);

  // Zoomed in to a few minutes, the server sends the raw points.
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  await stream.choosePreset('1 h');
  await expect.poll(() => sources.at(-1)).toBe('raw');

  // A value saved now arrives live and is drawn at the right edge.
  await api.insert(path, [{ d: 99.5 }]);
  await expect(stream.valueCells().first()).toHaveText('99.5');
  await area.scrollIntoViewIfNeeded();
  const now = (await area.boundingBox())!;
  await page.mouse.move(now.x + now.width - 1, now.y + now.height / 2);
  await expect(plot.locator('.plot-tooltip')).toContainText('Temperature: 99.5');
});

/** Records the plot requests the page makes, newest last. */
function recordPlotRequests(page: Page): PlotRequest[] {
  const requests: PlotRequest[] = [];
  page.on('request', (request) => {
    const plot = plotRequest(request.url());
    if (plot) requests.push(plot);
  });
  return requests;
}

/** A day of a reading every ten minutes. */
async function seedDay(api: TributaryClient, path: string) {
  await api.createStream(path, { nickname: 'Temperature', schema: { type: 'number' } });
  const now = Math.floor(Date.now() / 1000);
  await api.insert(
    path,
    Array.from({ length: 144 }, (_, i) => ({ t: now - DAY + i * 600, d: 20 + 3 * Math.sin(i / 10) })),
    { method: 'insert' },
  );
}

const centre = (r: PlotRequest) => (r.t1 + r.t2) / 2;
const span = (r: PlotRequest) => r.t2 - r.t1;

/**
 * The plot's request for the preset just chosen, once made (a span of about `seconds`): the page
 * may still have been asking for its default range when the preset was clicked.
 */
async function presetRequest(requests: PlotRequest[], seconds: number): Promise<PlotRequest> {
  await expect
    .poll(() => {
      const last = requests.at(-1);
      return last !== undefined && Math.abs(span(last) - seconds) < 0.1 * seconds;
    })
    .toBe(true);
  return requests.at(-1)!;
}

test('zooms in and out with the keyboard alone: the span halves around its centre and comes back', async ({
  page,
  logIn,
  person,
  api,
}) => {
  const path = `${person.name}/user/temperature`;
  await seedDay(api, path);
  await logIn();
  const stream = new StreamPage(page);
  await stream.goto(path, 'Temperature');
  const requests = recordPlotRequests(page);
  await stream.choosePreset('24 h');
  await expect(stream.plot('Temperature').locator('.u-over')).toBeVisible();
  const whole = await presetRequest(requests, DAY);

  // Tab from the first tool to "Zoom in", then Enter: the view is the middle half.
  await stream.plotTool('Earlier').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(stream.plotTool('Zoom in')).toBeFocused();
  const before = requests.length;
  await page.keyboard.press('Enter');
  await expect.poll(() => requests.length).toBeGreaterThan(before);
  const zoomed = requests.at(-1)!;
  expect(span(zoomed) / span(whole)).toBeCloseTo(0.5, 1);
  expect(Math.abs(centre(zoomed) - centre(whole))).toBeLessThan(0.03 * span(whole));
  await expect(stream.plotTool('Reset zoom')).toBeEnabled();

  // Space on "Zoom out" doubles it again; "Reset zoom" goes back to the preset and is then off.
  await page.keyboard.press('Tab');
  await expect(stream.plotTool('Zoom out')).toBeFocused();
  const beforeOut = requests.length;
  await page.keyboard.press('Space');
  await expect.poll(() => requests.length).toBeGreaterThan(beforeOut);
  expect(span(requests.at(-1)!) / span(zoomed)).toBeCloseTo(2, 1);
  await page.keyboard.press('Tab');
  await expect(stream.plotTool('Reset zoom')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(stream.plotTool('Reset zoom')).toBeDisabled();
});

test('on a phone the plot fits its card, and taps, a swipe and a pinch zoom and pan it', async ({
  browser,
  server,
  person,
  api,
  logIn,
}) => {
  const path = `${person.name}/user/temperature`;
  await seedDay(api, path);
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: PHONE,
    hasTouch: true,
    isMobile: true,
  });
  const page = await context.newPage();
  await logIn(page, person);
  const stream = new StreamPage(page);
  await stream.goto(path, 'Temperature');
  const requests = recordPlotRequests(page);
  await stream.choosePreset('24 h');
  const area = stream.plot('Temperature').locator('.u-over');
  await expect(area).toBeVisible();
  await presetRequest(requests, DAY);

  // Nothing sticks out: not the drawing, not its toolbar, not the page.
  const card = (await stream.plotCard().boundingBox())!;
  for (const part of [
    stream.plot('Temperature'),
    stream.plotCard().getByRole('group', { name: 'Zoom and pan' }),
  ]) {
    const box = (await part.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(card.x);
    expect(box.x + box.width).toBeLessThanOrEqual(card.x + card.width);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  // A tap on "Zoom in": the middle half.
  const whole = requests.at(-1)!;
  await stream.plotTool('Zoom in').tap();
  await expect.poll(() => span(requests.at(-1)!) / span(whole)).toBeCloseTo(0.5, 1);
  const zoomed = requests.at(-1)!;

  // A finger moving right across the plot shows earlier values.
  const box = (await area.boundingBox())!;
  const y = box.y + box.height / 2;
  const cdp = await context.newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', xs: number[]) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: xs.map((x, id) => ({ x, y, id })) });
  await touch('touchStart', [box.x + box.width * 0.3]);
  for (let i = 1; i <= 5; i++) await touch('touchMove', [box.x + box.width * (0.3 + 0.08 * i)]);
  await touch('touchEnd', []);
  await expect.poll(() => centre(requests.at(-1)!)).toBeLessThan(centre(zoomed) - 0.2 * span(zoomed));
  const panned = requests.at(-1)!;
  expect(span(panned)).toBeCloseTo(span(zoomed), -1);

  // Two fingers moving apart zoom in around their middle.
  await touch('touchStart', [box.x + box.width * 0.4, box.x + box.width * 0.6]);
  for (let i = 1; i <= 5; i++) {
    await touch('touchMove', [box.x + box.width * (0.4 - 0.05 * i), box.x + box.width * (0.6 + 0.05 * i)]);
  }
  await touch('touchEnd', []);
  await expect.poll(() => span(requests.at(-1)!)).toBeLessThan(0.5 * span(panned));
  await context.close();
});
