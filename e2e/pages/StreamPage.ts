import { expect, type Locator, type Page } from '@playwright/test';

/** A stream's page (`/{user}/{device}/{stream}`): header, input, plot and table. */
export class StreamPage {
  constructor(readonly page: Page) {}

  async goto(path: string, nickname: string): Promise<void> {
    await this.page.goto(`/${path}`);
    await expect(this.page.getByRole('heading', { level: 1, name: nickname })).toBeVisible();
  }

  plot(nickname: string): Locator {
    return this.page.getByRole('img', { name: `Plot of ${nickname}` });
  }

  table(): Locator {
    return this.page.getByRole('table');
  }

  /** The value cells of the table, newest first. */
  valueCells(): Locator {
    return this.table().locator('tbody tr td:nth-child(2)');
  }

  async choosePreset(label: '1 h' | '24 h' | '7 d' | '30 d' | '1 y' | 'All'): Promise<void> {
    await this.page
      .getByRole('group', { name: 'Time range' })
      .getByRole('button', { name: label, exact: true })
      .click();
  }
}
