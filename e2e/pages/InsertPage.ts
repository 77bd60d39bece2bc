import { expect, type Locator, type Page } from '@playwright/test';

export type Template = 'Star rating' | 'Number' | 'Toggle' | 'Diary' | 'Custom schema';

/** The Insert page (`/`): stream cards and the "Add stream" dialog. */
export class InsertPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Insert' })).toBeVisible();
  }

  /** A stream's card: a region named by the stream's nickname. */
  card(nickname: string): Locator {
    return this.page.getByRole('region', { name: nickname, exact: true });
  }

  async addStream(options: {
    template: Template;
    name: string;
    nickname: string;
    minimum?: number;
    maximum?: number;
  }) {
    await this.page.getByRole('button', { name: 'Add stream' }).first().click();
    const dialog = this.page.getByRole('dialog', { name: 'Add stream' });
    await dialog.getByRole('radio', { name: new RegExp(`^${options.template}`) }).check();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(options.name);
    await dialog.getByRole('textbox', { name: 'Display name' }).fill(options.nickname);
    if (options.minimum !== undefined) await dialog.getByLabel('Minimum').fill(String(options.minimum));
    if (options.maximum !== undefined) await dialog.getByLabel('Maximum').fill(String(options.maximum));
    await dialog.getByRole('button', { name: 'Create stream' }).click();
    await expect(dialog).toBeHidden();
    await expect(this.card(options.nickname)).toBeVisible();
  }
}
