import { expect, test } from './fixtures';
import { StreamPage } from './pages/StreamPage';

// The browser's own zone decides where a day starts for the daily presets.
test.use({ timezoneId: 'America/New_York' });

/** 22:00 on Nov 19 in New York, then 01:00 and 15:00 on Nov 20: one UTC day, two local ones. */
const POINTS = [
  { t: Date.UTC(2026, 10, 20, 3) / 1000, d: 10 },
  { t: Date.UTC(2026, 10, 20, 6) / 1000, d: 2 },
  { t: Date.UTC(2026, 10, 20, 20) / 1000, d: 4 },
];

test.describe('transforms on the stream page', () => {
  test.beforeEach(async ({ page, logIn, person, api }) => {
    await api.createStream(`${person.name}/user/steps`, { nickname: 'Steps', schema: { type: 'number' } });
    await api.insert(`${person.name}/user/steps`, POINTS, { method: 'insert' });
    await logIn();
    const stream = new StreamPage(page);
    await stream.goto(`${person.name}/user/steps`, 'Steps');
    await stream.choosePreset('All');
    await expect(stream.valueCells()).toHaveText(['4', '2', '10']);
  });

  test('a script typed in the box is run by the server, plotted and tabled', async ({ page }) => {
    const stream = new StreamPage(page);
    await stream.runTransform('if $ > 3');
    await expect(stream.transformResultCells()).toHaveText(['4', '10']);
    await expect(stream.transform()).toContainText('2 values.');
    await expect(stream.transform().getByRole('img', { name: 'Plot of Steps (transformed)' })).toBeVisible();
    // The stream's own table is unchanged.
    await expect(stream.valueCells()).toHaveText(['4', '2', '10']);
  });

  test('the daily sum preset groups by days of the browser’s time zone', async ({ page }) => {
    const stream = new StreamPage(page);
    await stream.transform().getByRole('button', { name: 'Daily sum' }).click();
    await expect(stream.transform().getByRole('textbox', { name: 'Transform' })).toHaveValue(
      "while(not day('America/New_York'):changed, sum)",
    );
    // In UTC all three fall on one day (16); in New York the 10 is the evening before.
    await expect(stream.transformResultCells()).toHaveText(['6', '10']);
  });

  test('a script with a mistake says where, and nothing is shown as its result', async ({ page }) => {
    const stream = new StreamPage(page);
    await stream.runTransform('if $ > > 3');
    await expect(stream.transform().getByRole('alert')).toContainText(/at character \d+/);
    await expect(stream.transform().getByRole('table')).toHaveCount(0);
    await expect(stream.transform().getByRole('textbox', { name: 'Transform' })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
  });

  test('the reference lists every transform one click away and puts a picked one in the box', async ({
    page,
  }) => {
    const stream = new StreamPage(page);
    await stream.transform().getByRole('button', { name: 'Transform reference' }).click();
    const dialog = page.getByRole('dialog', { name: 'Transform reference' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('searchbox', { name: 'Search transforms' }).fill('weekday');
    await dialog.getByRole('button', { name: 'weekday', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(stream.transform().getByRole('textbox', { name: 'Transform' })).toHaveValue('weekday');
  });

  test('offline, the same engine runs in the browser over the values the page holds', async ({
    page,
    context,
  }) => {
    const stream = new StreamPage(page);
    await context.setOffline(true);
    await stream.runTransform('sum | if last');
    await expect(stream.transformResultCells()).toHaveText(['16']);
    await expect(stream.transform()).toContainText('computed on this device');
  });
});
