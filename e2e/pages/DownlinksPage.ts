import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The Downlinks page (`/downlinks`): one region per downlink stream, named by its nickname, with
 * its control, the command's state (a status beside the control), the requested and reported
 * values and the command log. The panel on a downlink stream's own page has the same parts.
 */
export class DownlinksPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Downlinks' })
      .click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Downlinks' })).toBeVisible();
  }

  /** A stream's panel on this page. */
  panel(nickname: string): Locator {
    return this.page.getByRole('region', { name: nickname, exact: true });
  }
}

/** The parts of one downlink panel, wherever it is shown. */
export class DownlinkPanel {
  constructor(readonly root: Locator) {}

  /** The command's state beside the control: "Requested", "Acknowledged", "Mismatch", … */
  state(): Locator {
    return this.root.getByRole('status');
  }

  requested(): Locator {
    return this.root.locator('dt:text-is("Requested") + dd');
  }

  reported(): Locator {
    return this.root.locator('dt:text-is("Reported") + dd');
  }

  /** The log's entries, newest first (the log is opened if it is closed). */
  async logEntries(): Promise<Locator> {
    const log = this.root.locator('details.command-log');
    if ((await log.getAttribute('open')) === null) await log.locator('summary').click();
    return this.root.getByRole('list', { name: /^Commands sent to/ }).getByRole('listitem');
  }

  async sendNumber(label: string, value: number): Promise<void> {
    await this.root.getByRole('spinbutton', { name: label }).fill(String(value));
    await this.root.getByRole('button', { name: 'Send' }).click();
  }

  /**
   * Records what the panel shows from now on — the state beside the control and the reported value,
   * at every change, as a screen reader would hear them — so that a state lasting milliseconds (a
   * light acknowledges at once) or a second (a thermostat on its way) is seen however busy the
   * machine is. Call the returned function for the list so far.
   */
  async record(): Promise<() => Promise<PanelSnapshot[]>> {
    const root = await this.root.elementHandle();
    if (!root) throw new Error('no panel');
    const key = `panel${Math.random().toString(36).slice(2)}`;
    await root.evaluate((element, name) => {
      const seen: { state: string; reported: string }[] = [];
      const snapshot = () => {
        const state = element.querySelector('[role="status"]')?.textContent ?? '';
        const term = [...element.querySelectorAll('dt')].find((dt) => dt.textContent === 'Reported');
        const reported = term?.nextElementSibling?.textContent ?? '';
        const last = seen.at(-1);
        if (last?.state !== state || last.reported !== reported) seen.push({ state, reported });
      };
      snapshot();
      (window as unknown as Record<string, unknown>)[name] = seen;
      new MutationObserver(snapshot).observe(element, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    }, key);
    return () =>
      this.root
        .page()
        .evaluate((name) => (window as unknown as Record<string, PanelSnapshot[]>)[name] ?? [], key);
  }
}

/** What a panel showed at one moment. */
export interface PanelSnapshot {
  state: string;
  reported: string;
}
