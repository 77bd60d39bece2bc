/**
 * Pages and heavy widgets are separate chunks. They must still open when the network goes away
 * right after the app loaded, before any service worker has cached them (here none may run at all),
 * and a chunk that cannot be fetched must say so instead of leaving a blank page.
 */
import { expect, test } from './fixtures';
import { InsertPage } from './pages/InsertPage';
import { waitForAppLoaded } from './pages/LocalFirst';

test.use({ serviceWorkers: 'block' });

const MOOD = {
  nickname: 'Mood',
  datatype: 'rating.stars',
  schema: { type: 'integer', minimum: 0, maximum: 10 },
};

test('every page opens offline once the app has loaded, without a service worker', async ({
  page,
  context,
  logIn,
  person,
  api,
}) => {
  await api.createStream(`${person.name}/user/mood`, MOOD);
  await api.insert(`${person.name}/user/mood`, [{ t: Date.now() / 1000 - 60, d: 6 }]);
  await logIn();
  await expect(new InsertPage(page).card('Mood')).toBeVisible();
  // The rest of the app loads when the browser is idle.
  await waitForAppLoaded(page);
  await context.setOffline(true);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Downlinks' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Downlinks' })).toBeVisible();
  await nav.getByRole('link', { name: 'Devices' }).click();
  await expect(page.getByRole('heading', { level: 1, name: person.name })).toBeVisible();
  await nav.getByRole('link', { name: 'Insert' }).click();
  // The stream page with its plot, the transform box and the add-stream dialog.
  await new InsertPage(page)
    .card('Mood')
    .getByRole('link', { name: /plot|Mood/i })
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mood' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Plot of Mood' }).locator('canvas').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Transform' })).toBeVisible();
  await page.getByRole('button', { name: /^Account/ }).click();
  await page.getByRole('link', { name: 'Log out' }).click();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
});

test('a page whose chunk cannot be fetched says so, keeps the navigation, and loads on Try again', async ({
  page,
  logIn,
  person,
  api,
}) => {
  await api.createStream(`${person.name}/user/mood`, MOOD);
  await page.route('**/assets/StreamPage-*.js', (route) => route.abort());
  await logIn();
  await page.goto(`/${person.name}/user/mood`);
  await expect(page.getByRole('heading', { name: 'This page could not be loaded' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await page.unroute('**/assets/StreamPage-*.js');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mood' })).toBeVisible();
});
