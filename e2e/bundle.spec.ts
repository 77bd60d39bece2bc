/**
 * DESIGN.md §7: the critical JavaScript of the first page is at most 150 KB gzip. The build prints
 * and enforces what it counts as critical (vite.config.ts writes dist/bundle-budget.json); this
 * checks that count against what the browser really fetches to show the Insert page after login.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from './fixtures';
import { InsertPage } from './pages/InsertPage';

interface BudgetReport {
  budgetBytes: number;
  criticalBytes: number;
  critical: { file: string; gzipBytes: number }[];
  afterFirstPage: string[];
}

const ROOT = resolve(import.meta.dirname, '..');

test('the Insert page loads no JavaScript beyond the critical chunks the build counts, within budget', async ({
  page,
  logIn,
  person,
  api,
}) => {
  const report = JSON.parse(readFileSync(resolve(ROOT, 'dist/bundle-budget.json'), 'utf8')) as BudgetReport;
  // One stream of every built-in widget, so that every input the page can show is drawn.
  const owner = `${person.name}/user`;
  await api.createStream(`${owner}/mood`, {
    nickname: 'Mood',
    datatype: 'rating.stars',
    schema: { type: 'integer', minimum: 0, maximum: 10 },
  });
  await api.createStream(`${owner}/weight`, {
    nickname: 'Weight',
    datatype: 'number',
    schema: { type: 'number', minimum: 40, maximum: 120 },
  });
  await api.createStream(`${owner}/walked`, { nickname: 'Walked', schema: { type: 'boolean' } });
  await api.createStream(`${owner}/diary`, {
    nickname: 'Diary',
    datatype: 'log.diary',
    schema: { type: 'string' },
  });
  await api.createStream(`${owner}/note`, { nickname: 'Note', schema: {} });
  await logIn();

  // The app opened again, as a person does every day: the session check, then the first page.
  await page.reload();
  const insert = new InsertPage(page);
  for (const name of ['Mood', 'Weight', 'Walked', 'Diary', 'Note'])
    await expect(insert.card(name)).toBeVisible();
  await expect(insert.card('Weight').getByText('No values yet')).toBeVisible();

  // What the first page fetched: everything asked for before the app starts loading the rest of
  // itself (every other page, once the browser is idle), which src/client/main.tsx marks.
  const loaded = await page.evaluate(() => {
    const rest = performance.getEntriesByName('tributary:rest-of-app')[0]?.startTime ?? Infinity;
    return [
      ...new Set(
        performance
          .getEntriesByType('resource')
          .filter((entry) => entry.startTime < rest)
          .map((entry) => new URL(entry.name).pathname)
          .filter((path) => path.endsWith('.js') && path.startsWith('/assets/')),
      ),
    ];
  });
  const critical = new Set(report.critical.map((c) => `/${c.file}`));
  const later = new Set(report.afterFirstPage.map((file) => `/${file}`));
  expect(loaded.filter((path) => !critical.has(path) && !later.has(path))).toEqual([]);

  const gzipBytes = (path: string) =>
    gzipSync(readFileSync(resolve(ROOT, 'dist/client', `.${path}`)), { level: 9 }).length;
  const loadedCritical = loaded
    .filter((path) => critical.has(path))
    .reduce((sum, path) => sum + gzipBytes(path), 0);
  expect(loadedCritical).toBeLessThanOrEqual(report.criticalBytes);
  expect(report.criticalBytes).toBeLessThanOrEqual(report.budgetBytes);
  expect(report.budgetBytes).toBe(150 * 1024);
});
