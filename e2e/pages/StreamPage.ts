import { expect, type Locator, type Page } from '@playwright/test';

/** A stream's page (`/{user}/{device}/{stream}`): header, input, plot and table. */
export class StreamPage {
  constructor(readonly page: Page) {}

  async goto(path: string, nickname: string): Promise<void> {
    await this.page.goto(`/${path}`);
    await expect(this.page.getByRole('heading', { level: 1, name: nickname })).toBeVisible();
  }

  /** The drawing only: an `img` named "Plot of <nickname>" that holds the canvas. */
  plot(nickname: string): Locator {
    return this.page.getByRole('img', { name: `Plot of ${nickname}` });
  }

  /** The plot's card: the drawing with its presets, toolbar, legend and empty states. */
  plotCard(): Locator {
    return this.page.getByRole('region', { name: 'Plot', exact: true });
  }

  /** The plot's zoom and pan buttons. */
  plotTool(name: 'Earlier' | 'Later' | 'Zoom in' | 'Zoom out' | 'Reset zoom'): Locator {
    return this.plotCard().getByRole('group', { name: 'Zoom and pan' }).getByRole('button', { name });
  }

  /** The table of the stream's values (not a transform's result). */
  table(): Locator {
    return this.page.getByRole('table', { name: /^Values of / });
  }

  /** The transform box and what it shows. */
  transform(): Locator {
    return this.page.getByRole('region', { name: 'Transform' });
  }

  /** The result cells of the transform's table, newest first. */
  transformResultCells(): Locator {
    return this.transform().getByRole('table').locator('tbody tr td:nth-child(2)');
  }

  async runTransform(script: string): Promise<void> {
    await this.transform().getByRole('textbox', { name: 'Transform' }).fill(script);
    await this.transform().getByRole('button', { name: 'Run' }).click();
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
