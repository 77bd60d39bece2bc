import { TributaryClient } from '../src/sdk';
import { ADMIN, expect, test } from './fixtures';
import { DevicesPage } from './pages/DevicesPage';

const whoIs = (url: string, apikey: string) => new TributaryClient({ url, credentials: { apikey } }).whoami();

test.describe('devices', () => {
  test('creating a device shows its API key, which works, can be copied and reset', async ({
    page,
    context,
    logIn,
    person,
    server,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await logIn();
    const devices = new DevicesPage(page);
    await devices.open();
    await devices.addDevice('phone', 'My phone');
    await expect(page).toHaveURL(new RegExp(`/${person.name}/phone$`));

    // Hidden until asked for.
    await expect(page.getByLabel('API key', { exact: true })).toHaveText(/^•+[0-9a-f]{4}$/);
    const key = await devices.readApiKey();
    expect(await whoIs(server.url, key)).toBe(`${person.name}/phone`);

    await page.getByRole('button', { name: 'Copy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'API key copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

    await page.getByRole('button', { name: 'Reset' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset the API key?' });
    await confirm.getByRole('button', { name: 'Reset key' }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByLabel('API key', { exact: true })).not.toHaveText(key);
    const newKey = (await page.getByLabel('API key', { exact: true }).textContent()) ?? '';
    expect(await whoIs(server.url, newKey)).toBe(`${person.name}/phone`);
    await expect(whoIs(server.url, key)).rejects.toMatchObject({ status: 401 });
  });

  test('deleting a device asks first', async ({ page, logIn, person, api }) => {
    await api.createDevice(person.name, 'old', { nickname: 'Old sensor' });
    await logIn();
    await new DevicesPage(page).open();
    await page.getByRole('link', { name: /Old sensor/ }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Old sensor?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    expect((await api.listDevices(person.name)).map((d) => d.name)).toContain('old');

    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete device' }).click();
    await expect(page.getByRole('heading', { level: 1, name: person.name })).toBeVisible();
    await expect(page.getByRole('link', { name: /Old sensor/ })).toBeHidden();
    expect((await api.listDevices(person.name)).map((d) => d.name)).not.toContain('old');
  });

  test('streams of a device are created from a template, edited and deleted', async ({
    page,
    logIn,
    person,
    api,
  }) => {
    await api.createDevice(person.name, 'bench');
    await logIn();
    await page.goto(`/${person.name}/bench`);
    await expect(page.getByText('No streams yet')).toBeVisible();
    await page.getByRole('button', { name: 'Add stream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add stream' });
    await dialog.getByRole('radio', { name: /^Custom schema/ }).check();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('reading');
    await dialog.getByRole('textbox', { name: 'JSON Schema' }).fill('{"type": "nonsense"}');
    await dialog.getByRole('button', { name: 'Create stream' }).click();
    await expect(dialog.getByText(/^Invalid JSON Schema/)).toBeVisible();
    await dialog
      .getByRole('textbox', { name: 'JSON Schema' })
      .fill('{"type":"object","properties":{"lux":{"type":"number"}}}');
    await dialog.getByRole('textbox', { name: 'Datatype' }).fill('sensor.light');
    await dialog.getByText('More options').click();
    await dialog.getByRole('textbox', { name: 'Tags' }).fill('lab, light');
    await dialog.getByRole('checkbox', { name: /^Downlink/ }).check();
    await dialog.getByRole('button', { name: 'Create stream' }).click();

    // Created streams open on their own page.
    await expect(page.getByRole('heading', { level: 1, name: 'reading' })).toBeVisible();
    expect(await api.readStream(`${person.name}/bench/reading`)).toMatchObject({
      schema: '{"type":"object","properties":{"lux":{"type":"number"}}}',
      datatype: 'sensor.light',
      tags: ['lab', 'light'],
      downlink: true,
    });

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit reading' });
    await edit.getByRole('textbox', { name: 'Display name' }).fill('Light level');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Light level' })).toBeVisible();
    expect((await api.readStream(`${person.name}/bench/reading`)).nickname).toBe('Light level');

    await page.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete Light level?' })
      .getByRole('button', { name: 'Delete stream' })
      .click();
    await expect(page.getByRole('heading', { level: 1, name: 'bench' })).toBeVisible();
    expect(await api.listStreams(person.name, 'bench')).toEqual([]);
  });

  test('an admin sees everyone on the server and adds a user', async ({ page, logIn, person, adminApi }) => {
    await logIn(page, ADMIN);
    await new DevicesPage(page).open();
    const people = page.getByRole('list', { name: 'Users' });
    await expect(people.getByRole('link', { name: new RegExp(person.name) })).toBeVisible();

    const name = `${person.name}b`;
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByRole('textbox', { name: 'Username' }).fill(name);
    await dialog.getByRole('textbox', { name: 'Email' }).fill(`${name}@example.com`);
    await dialog.getByLabel('Password').fill('a good password');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await expect(people.getByRole('link', { name: new RegExp(name) })).toBeVisible();
    expect(await adminApi.readUser(name)).toMatchObject({ name, role: 'user', email: `${name}@example.com` });
  });

  test('a person who is not an admin does not see the list of users', async ({ page, logIn }) => {
    await logIn();
    await new DevicesPage(page).open();
    await expect(page.getByRole('heading', { name: 'People on this server' })).toBeHidden();
    await expect(page.getByRole('link', { name: /^user/ })).toBeVisible();
  });
});
