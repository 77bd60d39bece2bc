/**
 * Long time series: the plot draws the server's per-pixel M4 data (from its rollups) instead of
 * downloading every datapoint, asks again for each zoom and pan, and keeps live values flowing.
 */
import { expect, test } from './fixtures';
import { StreamPage } from './pages/StreamPage';

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
  await expect.poll(() => sources.length).toBeGreaterThan(0);
  // A week at ~1,000 px is minutes per pixel: the server answers from a rollup level.
  expect(sources.at(-1)).toBe('rollup');
  const first = plotRequests.at(-1)!;
  expect(first.t2 - first.t1).toBeGreaterThan(6 * DAY);
  const box = (await area.boundingBox())!;
  expect(Math.abs(first.width - box.width)).toBeLessThan(40);

  await page.screenshot({ path: 'test-results/screenshots/plot-long-desktop-light.png' });

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
