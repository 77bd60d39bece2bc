import { expect, test } from './fixtures';
import { InsertPage } from './pages/InsertPage';

test.describe('the Insert page', () => {
  test('creates a star-rating stream and rates it 7', async ({ page, logIn, person, api }) => {
    await logIn();
    const insert = new InsertPage(page);
    await insert.addStream({ template: 'Star rating', name: 'mood', nickname: 'Mood' });

    const card = insert.card('Mood');
    const stars = card.getByRole('radiogroup', { name: 'Mood' });
    await expect(stars.getByRole('radio')).toHaveCount(10);
    await expect(stars.getByRole('radio', { name: '1 star', exact: true })).toBeVisible();
    await expect(stars.getByRole('radio', { name: '10 stars' })).toBeVisible();

    await stars.getByRole('radio', { name: '7 stars' }).click();
    await expect(card.getByRole('status')).toContainText('Saved 7 stars');
    await expect(stars.getByRole('radio', { name: '7 stars' })).toHaveAttribute('aria-checked', 'true');

    const path = `${person.name}/user/mood`;
    expect(await api.readStream(path)).toMatchObject({
      datatype: 'rating.stars',
      schema: '{"type":"integer","minimum":0,"maximum":10}',
      icon: 'material:star',
      nickname: 'Mood',
    });
    await expect.poll(async () => (await api.read(path, {})).map((p) => p.d)).toEqual([7]);
    // The card shows the last value once the confirmation has made way for it.
    await expect(card.getByText('Last:')).toContainText('7 stars', { timeout: 15_000 });
  });

  test('a number stream takes a value, and a value outside its schema is refused beside the field', async ({
    page,
    logIn,
    person,
    api,
  }) => {
    await logIn();
    const insert = new InsertPage(page);
    await insert.addStream({
      template: 'Number',
      name: 'weight',
      nickname: 'Weight',
      minimum: 40,
      maximum: 120,
    });
    const card = insert.card('Weight');
    const box = card.getByRole('spinbutton', { name: 'Weight' });
    // Bounded by its schema, so it also has a slider.
    await expect(card.getByRole('slider', { name: 'Weight' })).toBeVisible();

    await box.fill('300');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByText('Must be <= 120.')).toBeVisible();
    await expect(box).toHaveAttribute('aria-invalid', 'true');

    await box.fill('72.5');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByRole('status')).toContainText('Saved 72.5');
    const path = `${person.name}/user/weight`;
    await expect.poll(async () => (await api.read(path, {})).map((p) => p.d)).toEqual([72.5]);
    expect(JSON.parse((await api.readStream(path)).schema)).toEqual({
      type: 'number',
      minimum: 40,
      maximum: 120,
    });
  });

  test('a toggle stream inserts on every flip', async ({ page, logIn, person, api }) => {
    await logIn();
    const insert = new InsertPage(page);
    await insert.addStream({ template: 'Toggle', name: 'meditated', nickname: 'Meditated' });
    const toggle = insert.card('Meditated').getByRole('switch', { name: 'Meditated' });
    await expect(toggle).toHaveAttribute('aria-checked', 'false');

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await expect(insert.card('Meditated').getByRole('status')).toContainText('Saved On');
    const path = `${person.name}/user/meditated`;
    await expect.poll(async () => (await api.read(path, {})).map((p) => p.d)).toEqual([true]);

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await expect.poll(async () => (await api.read(path, {})).map((p) => p.d)).toEqual([true, false]);
    expect(await api.readStream(path)).toMatchObject({ datatype: 'boolean', schema: '{"type":"boolean"}' });
  });

  test('rating works with the keyboard alone, and arrows alone insert nothing', async ({
    page,
    logIn,
    person,
    api,
  }) => {
    const path = `${person.name}/user/focus`;
    await api.createStream(path, {
      nickname: 'Focus',
      datatype: 'rating.stars',
      schema: { type: 'integer', minimum: 0, maximum: 10 },
    });
    await logIn();
    const stars = page.getByRole('radiogroup', { name: 'Focus' });
    await expect(stars).toBeVisible();

    // Tab through the page until a star has the focus: one tab stop for the whole group.
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      if (
        await stars
          .getByRole('radio', { name: '1 star', exact: true })
          .evaluate((el) => el === document.activeElement)
      )
        break;
    }
    await expect(stars.getByRole('radio', { name: '1 star', exact: true })).toBeFocused();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await expect(stars.getByRole('radio', { name: '7 stars' })).toBeFocused();
    expect(await api.read(path, {})).toEqual([]);

    await page.keyboard.press('Space');
    await expect(stars.getByRole('radio', { name: '7 stars' })).toHaveAttribute('aria-checked', 'true');
    await expect.poll(async () => (await api.read(path, {})).map((p) => p.d)).toEqual([7]);

    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await api.read(path, {})).map((p) => p.d)).toEqual([7, 6]);
    // Tab leaves the group in one step.
    await page.keyboard.press('Tab');
    expect(await stars.evaluate((group) => group.contains(document.activeElement))).toBe(false);
  });

  test('"Set time" stores a value at the chosen time', async ({ page, logIn, person, api }) => {
    const path = `${person.name}/user/mood`;
    await api.createStream(path, {
      nickname: 'Mood',
      datatype: 'rating.stars',
      schema: { type: 'integer', minimum: 0, maximum: 10 },
    });
    await logIn();
    const card = new InsertPage(page).card('Mood');
    await card.getByRole('button', { name: 'Set time' }).click();
    await card.getByLabel('Time of the entry').fill('2025-03-14T08:30:00');
    await card.getByRole('button', { name: 'Done' }).click();
    await expect(card.getByText(/^At /)).toBeVisible();
    await card.getByRole('radio', { name: '4 stars' }).click();
    await expect(card.getByRole('status')).toContainText('Saved 4 stars');

    const expected = await page.evaluate(() => new Date(2025, 2, 14, 8, 30, 0).getTime() / 1000);
    await expect.poll(async () => await api.read(path, {})).toEqual([{ t: expected, d: 4 }]);
    // The next value is stamped now again.
    await expect(card.getByText(/^At /)).toBeHidden();
  });

  test('a diary and a form generated from a schema save what was typed', async ({
    page,
    logIn,
    person,
    api,
  }) => {
    await api.createStream(`${person.name}/user/diary`, {
      nickname: 'Diary',
      datatype: 'log.diary',
      schema: { type: 'string', minLength: 1 },
    });
    await api.createStream(`${person.name}/user/sleep`, {
      nickname: 'Sleep',
      schema: {
        type: 'object',
        properties: {
          hours: { type: 'number' },
          quality: { enum: ['bad', 'ok', 'good'] },
          dreamt: { type: 'boolean' },
        },
        required: ['hours'],
      },
    });
    await logIn();
    const insert = new InsertPage(page);

    const diary = insert.card('Diary');
    await diary.getByRole('button', { name: 'Save' }).click();
    await expect(diary.getByText('Must NOT have fewer than 1 characters.')).toBeVisible();
    await diary.getByRole('textbox', { name: 'Diary' }).fill('Walked by the river.');
    await diary.getByRole('button', { name: 'Save' }).click();
    await expect(diary.getByRole('status')).toContainText('Saved Walked by the river.');
    await expect(diary.getByRole('textbox', { name: 'Diary' })).toHaveValue('');

    const sleep = insert.card('Sleep');
    await sleep.getByRole('button', { name: 'Save' }).click();
    await expect(sleep.getByText('Required.')).toBeVisible();
    await sleep.getByRole('spinbutton', { name: 'Hours' }).fill('7.5');
    await sleep.getByRole('combobox', { name: 'Quality (optional)' }).selectOption('good');
    await sleep.getByRole('checkbox', { name: 'Dreamt' }).check();
    await sleep.getByRole('button', { name: 'Save' }).click();
    await expect(sleep.getByRole('status')).toContainText('Saved');

    await expect
      .poll(async () => (await api.read(`${person.name}/user/diary`, {})).map((p) => p.d))
      .toEqual(['Walked by the river.']);
    await expect
      .poll(async () => (await api.read(`${person.name}/user/sleep`, {})).map((p) => p.d))
      .toEqual([{ hours: 7.5, quality: 'good', dreamt: true }]);
  });

  test('the search box filters the cards', async ({ page, logIn, person, api }) => {
    for (const [name, nickname] of [
      ['mood', 'Mood'],
      ['water', 'Glasses of water'],
      ['energy', 'Energy'],
    ]) {
      await api.createStream(`${person.name}/user/${name}`, { nickname, schema: { type: 'number' } });
    }
    await logIn();
    const insert = new InsertPage(page);
    await expect(insert.card('Energy')).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search streams' }).fill('water');
    await expect(insert.card('Glasses of water')).toBeVisible();
    await expect(insert.card('Mood')).toBeHidden();
    await expect(insert.card('Energy')).toBeHidden();
    await page.getByRole('searchbox', { name: 'Search streams' }).fill('nothing like this');
    await expect(page.getByText('No stream matches “nothing like this”')).toBeVisible();
  });
});
