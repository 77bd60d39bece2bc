import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { InsertPage } from './pages/InsertPage';
import { StreamPage } from './pages/StreamPage';

const RATING = { datatype: 'rating.stars', schema: { type: 'integer', minimum: 0, maximum: 10 } };

test.describe('the stream page', () => {
  test('draws the plot and the table shows the value', async ({ page, logIn, person, api }) => {
    const path = `${person.name}/user/mood`;
    await api.createStream(path, { nickname: 'Mood', description: 'How I feel', ...RATING });
    const now = Date.now() / 1000;
    await api.insert(
      path,
      [
        { t: now - 7200, d: 5 },
        { t: now - 60, d: 7 },
      ],
      { method: 'insert' },
    );
    await logIn();

    const stream = new StreamPage(page);
    await stream.goto(path, 'Mood');
    await expect(page.getByText('How I feel')).toBeVisible();
    const facts = page.getByRole('list', { name: 'About this stream' });
    await expect(facts.getByText('rating.stars')).toBeVisible();
    // The raw schema is for those who ask: behind "Details", not a chip in the header.
    const schema = facts.getByText('{"type":"integer","minimum":0,"maximum":10}');
    await expect(schema).toBeHidden();
    await facts.getByText('Details').click();
    await expect(schema).toBeVisible();
    await expect(stream.plot('Mood').locator('canvas').first()).toBeVisible();
    await expect(stream.plot('Mood')).toHaveAccessibleDescription(/^2 values from/);
    await expect(stream.valueCells()).toHaveText(['7', '5']);
    // Its owner's own stream: the input is on the page too.
    await expect(page.getByRole('radiogroup', { name: 'Mood' })).toBeVisible();

    // Range presets choose what is read: only the last hour holds just the 7.
    await stream.choosePreset('1 h');
    await expect(stream.valueCells()).toHaveText(['7']);
    await stream.choosePreset('All');
    await expect(stream.valueCells()).toHaveText(['7', '5']);
  });

  test('the plot shows a tooltip with time and value, zooms by dragging and resets', async ({
    page,
    logIn,
    person,
    api,
  }) => {
    const path = `${person.name}/user/weight`;
    await api.createStream(path, { nickname: 'Weight', schema: { type: 'number' } });
    const now = Date.now() / 1000;
    await api.insert(
      path,
      [0, 1, 2, 3, 4].map((i) => ({ t: now - 3000 + i * 600, d: 70 + i })),
      { method: 'insert' },
    );
    await logIn();
    const stream = new StreamPage(page);
    await stream.goto(path, 'Weight');
    await stream.choosePreset('1 h');
    const plot = stream.plot('Weight');
    const area = plot.locator('.u-over');
    await expect(area).toBeVisible();
    const box = (await area.boundingBox())!;

    // The last point (74) sits at the right edge: hover there.
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    const tooltip = plot.locator('.plot-tooltip');
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toContainText('Weight: 74');
    await expect(tooltip).toContainText(/\d{1,2}:\d{2}/);

    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeDisabled();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeEnabled();
    await page.getByRole('button', { name: 'Earlier' }).click();
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeDisabled();
  });

  test('a second browser sees a new datapoint arrive live, also while zoomed', async ({
    browser,
    server,
    page,
    logIn,
    person,
    api,
  }) => {
    const path = `${person.name}/user/mood`;
    await api.createStream(path, { nickname: 'Mood', ...RATING });
    await api.insert(path, [{ t: Date.now() / 1000 - 600, d: 3 }], { method: 'insert' });
    await logIn();
    const stream = new StreamPage(page);
    await stream.goto(path, 'Mood');
    await expect(stream.valueCells()).toHaveText(['3']);
    await expect(page.getByText('Live', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeEnabled();

    const other = await browser.newContext({ baseURL: server.url });
    const phone = await other.newPage();
    await logIn(phone);
    await new InsertPage(phone).card('Mood').getByRole('radio', { name: '8 stars' }).click();
    await expect(new InsertPage(phone).card('Mood').getByRole('status')).toContainText('Saved 8 stars');

    // No reload: the value arrives over the websocket, and the zoom stays.
    await expect(stream.valueCells()).toHaveText(['8', '3']);
    await expect(stream.plot('Mood')).toHaveAccessibleDescription(/^2 values/);
    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeEnabled();
    await expect(
      page.getByRole('radiogroup', { name: 'Mood' }).getByRole('radio', { name: '8 stars' }),
    ).toHaveAttribute('aria-checked', 'true');
    await other.close();
  });

  test('downloads the values as CSV', async ({ page, logIn, person, api }) => {
    const path = `${person.name}/user/sleep`;
    await api.createStream(path, { nickname: 'Sleep', schema: { type: 'object' } });
    await api.insert(path, [{ t: 1_700_000_000, d: { hours: 7.5, note: 'deep, "calm"' } }], {
      method: 'insert',
    });
    await logIn();
    const stream = new StreamPage(page);
    await stream.goto(path, 'Sleep');
    await stream.choosePreset('All');
    await expect(stream.table().getByRole('columnheader', { name: 'hours' })).toBeVisible();

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${person.name}-user-sleep.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toBe(
      'time,unix_time,hours,note\r\n2023-11-14T22:13:20.000Z,1700000000,7.5,"deep, ""calm"""\r\n',
    );
  });

  test('booleans are drawn as an on/off timeline and objects per numeric key', async ({
    page,
    logIn,
    person,
    api,
  }) => {
    const now = Date.now() / 1000;
    await api.createStream(`${person.name}/user/lamp`, {
      nickname: 'Lamp',
      datatype: 'boolean',
      schema: { type: 'boolean' },
    });
    await api.insert(
      `${person.name}/user/lamp`,
      [
        { t: now - 300, d: true },
        { t: now - 100, d: false },
      ],
      { method: 'insert' },
    );
    await api.createStream(`${person.name}/user/sleep`, { nickname: 'Sleep', schema: { type: 'object' } });
    await api.insert(
      `${person.name}/user/sleep`,
      [{ t: now - 300, d: { hours: 7, quality: 3, note: 'ok' } }],
      {
        method: 'insert',
      },
    );
    await logIn();
    const stream = new StreamPage(page);

    await stream.goto(`${person.name}/user/lamp`, 'Lamp');
    await expect(stream.plot('Lamp').locator('canvas').first()).toBeVisible();
    await expect(stream.plot('Lamp').getByText('On', { exact: true })).toHaveCount(0); // axis labels are drawn, not text
    await expect(stream.valueCells()).toHaveText(['Off', 'On']);

    await stream.goto(`${person.name}/user/sleep`, 'Sleep');
    await expect(stream.plot('Sleep').locator('canvas').first()).toBeVisible();
    // A legend names one line per numeric key; the text key is in the table only.
    await expect(stream.plotCard().getByRole('list', { name: 'Lines' }).getByRole('listitem')).toHaveText([
      'hours',
      'quality',
    ]);
    // Beside the drawing, not inside it: an img hides what it holds from screen readers.
    await expect(stream.plot('Sleep').getByRole('listitem')).toHaveCount(0);
    await expect(stream.plot('Sleep').getByRole('button')).toHaveCount(0);
  });

  test('the input shows only where the viewer may write', async ({ page, logIn, person, api }) => {
    await api.createDevice(person.name, 'sensor', {
      streams: {
        temperature: { nickname: 'Temperature', schema: { type: 'number' } },
        heater: { nickname: 'Heater', schema: { type: 'boolean' }, downlink: true },
      },
    });
    await logIn();
    const stream = new StreamPage(page);
    await stream.goto(`${person.name}/sensor/temperature`, 'Temperature');
    await expect(stream.plotCard().getByRole('heading', { name: 'No values yet' })).toBeVisible();
    await expect(page.getByRole('spinbutton')).toHaveCount(0);

    await stream.goto(`${person.name}/sensor/heater`, 'Heater');
    await expect(page.getByRole('heading', { name: 'Send to the device' })).toBeVisible();
    await page.getByRole('switch', { name: 'Heater' }).click();
    await expect(page.getByRole('region', { name: 'Send to the device' }).getByRole('status')).toHaveText(
      'Requested',
    );
    // A request waits in the downlink substream until the device acknowledges it.
    await expect
      .poll(async () => (await api.read(`${person.name}/sensor/heater/downlink`, {})).map((p) => p.d))
      .toEqual([true]);
    expect(await api.read(`${person.name}/sensor/heater`, {})).toEqual([]);
  });
});
