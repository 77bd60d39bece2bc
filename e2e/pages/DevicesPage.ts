import { expect, type Page } from '@playwright/test';

/** The Devices pages: `/{user}` (devices, people) and `/{user}/{device}` (API key, streams). */
export class DevicesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await expect(this.page.getByRole('heading', { name: 'Devices', level: 2 })).toBeVisible();
  }

  async addDevice(name: string, nickname: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Add device' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Add device' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await dialog.getByRole('textbox', { name: 'Display name' }).fill(nickname);
    await dialog.getByRole('button', { name: 'Create device' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: nickname })).toBeVisible();
  }

  /** Reveals the device's API key and returns it. */
  async readApiKey(): Promise<string> {
    await this.page.getByRole('button', { name: 'Show' }).click();
    const key = this.page.getByLabel('API key', { exact: true });
    await expect(key).toHaveText(/^[0-9a-f-]{36}$/);
    return (await key.textContent()) ?? '';
  }
}
