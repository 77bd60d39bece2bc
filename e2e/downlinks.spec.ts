/**
 * The downlink control panel against the device simulator running as a real child process: what
 * was asked, what the device says it did, and never an optimistic flip.
 */
import { startSimulator, type SimulatorProcess } from '../src/simulator/testing/startSimulator';
import { writeFileSync } from 'node:fs';
import { expect, test as base, type Person } from './fixtures';
import { DownlinkPanel, DownlinksPage, type PanelSnapshot } from './pages/DownlinksPage';
import { LOOKS, SCHEMES, shoot, SIZES } from './screenshotFiles';

/** Seconds per thermostat step: short, but long enough to see the mismatch on the way. */
const STEP_SECONDS = '0.5';

const test = base.extend<{
  /** Starts `npm run device` for the test's person; stopped after the test. */
  startDevice: (...flags: string[]) => Promise<SimulatorProcess>;
}>({
  startDevice: async ({ server, person }, use, testInfo) => {
    const running: SimulatorProcess[] = [];
    await use(async (...flags) => {
      const simulator = startSimulator([
        ...['--url', server.url, '--user', person.name, '--password', person.password],
        ...['--step-seconds', STEP_SECONDS, ...flags],
      ]);
      running.push(simulator);
      await simulator.waitForLine('simulator ready', 30_000);
      return simulator;
    });
    await Promise.all(running.map((simulator) => simulator.stop()));
    // What the device did, beside a failure.
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const [i, simulator] of running.entries()) {
        writeFileSync(testInfo.outputPath(`simulator-${i + 1}.log`), simulator.lines.join('\n'));
      }
    }
  },
});

/** The states a panel went through, in order, each once. */
function statesOf(snapshots: readonly PanelSnapshot[]): string[] {
  return snapshots.map((s) => s.state).filter((state, i, all) => state !== '' && state !== all[i - 1]);
}

const lightPath = (person: Person) => `${person.name}/simulator/light`;

test.describe('the Downlinks page with the device simulator', () => {
  test('toggling the light shows Requested, then Acknowledged, and the reported value changes', async ({
    page,
    logIn,
    person,
    api,
    startDevice,
  }) => {
    const simulator = await startDevice();
    await logIn();
    const downlinks = new DownlinksPage(page);
    await downlinks.goto();
    await expect(page.getByRole('heading', { level: 2, name: 'Device simulator' })).toBeVisible();
    const light = new DownlinkPanel(downlinks.panel('Light'));
    const toggle = light.root.getByRole('switch', { name: 'Light' });
    await expect(light.reported()).toHaveText('No report yet');
    await expect(toggle).toBeEnabled();
    await expect(toggle).not.toBeChecked();

    const shown = await light.record();
    await toggle.click();
    await expect(light.state()).toHaveText('Acknowledged');
    // "Sending…" until the server has it, then the command's states; the reported value changes
    // only with the device's acknowledgement, never with the click.
    expect(statesOf(await shown())).toEqual(['Sending…', 'Requested', 'Acknowledged']);
    expect((await shown()).filter((s) => s.state !== 'Acknowledged').map((s) => s.reported)).not.toContain(
      expect.stringContaining('On'),
    );
    await expect(toggle).toBeChecked();
    await expect(light.reported()).toContainText('On');
    await expect(light.requested()).toContainText(/On · .* by you/);
    await simulator.waitForLine('light → true (acknowledged)');

    // The server holds the command (sent as the person's user device) and the device's report.
    expect((await api.read(lightPath(person), { i1: -1 }, { downlink: true }))[0]).toMatchObject({
      d: true,
      o: `${person.name}/user`,
    });
    expect((await api.read(lightPath(person), { i1: -1 }))[0]?.d).toBe(true);

    await toggle.click();
    await expect(toggle).not.toBeChecked();
    await expect(light.state()).toHaveText('Acknowledged');
    const log = await light.logEntries();
    await expect(log).toHaveCount(2);
    await expect(log.first()).toContainText('Off');
    await expect(log.first()).toContainText('Acknowledged');
    await expect(log.first()).toContainText('by you');
    await expect(log.nth(1)).toContainText('On');
  });

  test('setting the thermostat to 25 shows Mismatch while it moves, then Acknowledged', async ({
    page,
    logIn,
    startDevice,
  }) => {
    const simulator = await startDevice();
    await logIn();
    const downlinks = new DownlinksPage(page);
    await downlinks.goto();
    const thermostat = new DownlinkPanel(downlinks.panel('Thermostat'));
    await expect(thermostat.root.getByRole('slider', { name: 'Thermostat' })).toBeVisible();

    const shown = await thermostat.record();
    await thermostat.sendNumber('Thermostat', 25);
    await expect(thermostat.requested()).toContainText(/^25/);
    await expect(thermostat.state()).toHaveText('Acknowledged', { timeout: 15_000 });
    await expect(thermostat.reported()).toContainText(/^25/);
    expect(statesOf(await shown())).toEqual(['Sending…', 'Requested', 'Mismatch', 'Acknowledged']);
    // Each degree on the way was reported, and shown as a mismatch.
    const onTheWay = (await shown())
      .filter((s) => s.state === 'Mismatch')
      .map((s) => s.reported.split(' ')[0]);
    expect([...new Set(onTheWay)]).toEqual(['21', '22', '23', '24']);
    await simulator.waitForLine('thermostat 25 (target reached)');
    const log = await thermostat.logEntries();
    await expect(log).toHaveCount(1);
    await expect(log.first()).toContainText('Acknowledged');
  });

  test('with the simulator stopped, a command times out after the stream’s own timeout', async ({
    page,
    logIn,
    person,
    api,
    startDevice,
  }) => {
    const simulator = await startDevice();
    await simulator.stop();
    await logIn();

    // The timeout is a setting of the stream, stored by the server: every client uses it.
    await page.goto(`/${lightPath(person)}`);
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Light' });
    await dialog.getByText('More options').click();
    await dialog.getByRole('spinbutton', { name: 'Downlink timeout (seconds)' }).fill('2');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    expect((await api.readStream(lightPath(person))).downlink_timeout).toBe(2);

    // The stream's page shows the same control and state as the Downlinks page.
    const panel = new DownlinkPanel(page.getByRole('region', { name: 'Send to the device' }));
    const toggle = panel.root.getByRole('switch', { name: 'Light' });
    await toggle.click();
    await expect(panel.state()).toHaveText('Requested');
    await expect(panel.requested()).toContainText('On');
    await expect(panel.state()).toHaveText('Timed out');
    // Never an optimistic flip: nothing ever reported the light on.
    await expect(toggle).not.toBeChecked();
    await expect(panel.reported()).toHaveText('No report yet');
    const log = await panel.logEntries();
    await expect(log.first()).toContainText('no acknowledgement within 2 s');

    const downlinks = new DownlinksPage(page);
    await downlinks.goto();
    await expect(new DownlinkPanel(downlinks.panel('Light')).state()).toHaveText('Timed out');
  });

  test('a second browser sees the same states live', async ({
    browser,
    page,
    logIn,
    server,
    startDevice,
  }) => {
    await startDevice();
    const other = await browser.newContext({ baseURL: server.url });
    try {
      const otherPage = await other.newPage();
      await logIn(otherPage);
      await logIn();
      const mine = new DownlinksPage(page);
      const theirs = new DownlinksPage(otherPage);
      await mine.goto();
      await theirs.goto();
      const theirLight = new DownlinkPanel(theirs.panel('Light'));
      const theirThermostat = new DownlinkPanel(theirs.panel('Thermostat'));
      await expect(theirLight.root.getByRole('switch', { name: 'Light' })).toBeEnabled();
      const lightShown = await theirLight.record();
      const thermostatShown = await theirThermostat.record();

      await mine.panel('Light').getByRole('switch', { name: 'Light' }).click();
      await expect(theirLight.state()).toHaveText('Acknowledged');
      // No "Sending…" here: this browser learns of the command from the server, like any device.
      expect(statesOf(await lightShown())).toEqual(['Requested', 'Acknowledged']);
      await expect(theirLight.root.getByRole('switch', { name: 'Light' })).toBeChecked();

      await new DownlinkPanel(mine.panel('Thermostat')).sendNumber('Thermostat', 23);
      await expect(theirThermostat.state()).toHaveText('Acknowledged', { timeout: 15_000 });
      expect(statesOf(await thermostatShown())).toEqual(['Requested', 'Mismatch', 'Acknowledged']);
      await expect(theirThermostat.reported()).toContainText(/^23/);
      await expect(theirThermostat.requested()).toContainText(/^23/);
    } finally {
      await other.close();
    }
  });

  test('offline, the controls are disabled and say why; commands are not queued', async ({
    page,
    context,
    logIn,
    person,
    api,
    startDevice,
  }) => {
    await startDevice();
    await logIn();
    const downlinks = new DownlinksPage(page);
    await downlinks.goto();
    const light = downlinks.panel('Light');
    const thermostat = downlinks.panel('Thermostat');
    await expect(light.getByRole('switch', { name: 'Light' })).toBeEnabled();

    await context.setOffline(true);
    await expect(light.getByRole('switch', { name: 'Light' })).toBeDisabled();
    await expect(thermostat.getByRole('spinbutton', { name: 'Thermostat' })).toBeDisabled();
    await expect(thermostat.getByRole('slider', { name: 'Thermostat' })).toBeDisabled();
    await expect(thermostat.getByRole('button', { name: 'Send' })).toBeDisabled();
    await expect(light.getByText(/You are offline — commands are not queued/)).toBeVisible();
    await expect(light.getByRole('switch', { name: 'Light' })).toHaveAccessibleDescription(
      /You are offline — commands are not queued/,
    );
    await expect(
      page.getByText(/could be dangerous, so nothing is sent until you are back online/),
    ).toBeVisible();

    await context.setOffline(false);
    await expect(light.getByRole('switch', { name: 'Light' })).toBeEnabled();
    await expect(light.getByText(/You are offline/)).toHaveCount(0);
    expect(await api.read(lightPath(person), {}, { downlink: true })).toEqual([]);
  });
});

test.describe('the Downlinks page', () => {
  test('gives each schema its control and sends what is chosen as a command', async ({
    page,
    logIn,
    person,
    api,
  }) => {
    await api.createDevice(person.name, 'heatpump', {
      nickname: 'Heat pump',
      streams: {
        mode: { nickname: 'Mode', schema: { enum: ['eco', 'comfort', 'off'] }, downlink: true },
        note: { nickname: 'Display text', schema: { type: 'string', maxLength: 20 }, downlink: true },
        level: { nickname: 'Level', schema: { type: 'integer', minimum: 0 }, downlink: true },
        reading: { nickname: 'Reading', schema: { type: 'number' } },
      },
    });
    await logIn();
    const downlinks = new DownlinksPage(page);
    await downlinks.goto();
    await expect(page.getByRole('heading', { level: 2, name: 'Heat pump' })).toBeVisible();
    await expect(downlinks.panel('Reading')).toHaveCount(0);
    await expect(downlinks.panel('Level').getByRole('slider')).toHaveCount(0);

    const mode = new DownlinkPanel(downlinks.panel('Mode'));
    await mode.root.getByRole('combobox', { name: 'Mode' }).selectOption('comfort');
    await mode.root.getByRole('button', { name: 'Send' }).click();
    await expect(mode.state()).toHaveText('Requested');
    await expect(mode.requested()).toContainText('comfort');
    await expect(mode.reported()).toHaveText('No report yet');

    const level = new DownlinkPanel(downlinks.panel('Level'));
    await level.sendNumber('Level', -3);
    await expect(level.root.getByText('At least 0.')).toBeVisible();

    const note = new DownlinkPanel(downlinks.panel('Display text'));
    await note.root.getByRole('textbox', { name: 'Display text' }).fill('Hello');
    await note.root.getByRole('button', { name: 'Send' }).click();
    await expect(note.state()).toHaveText('Requested');

    await expect
      .poll(async () => (await api.read(`${person.name}/heatpump/mode/downlink`, {})).map((p) => p.d))
      .toEqual(['comfort']);
    expect(await api.read(`${person.name}/heatpump/level/downlink`, {})).toEqual([]);
    expect((await api.read(`${person.name}/heatpump/note/downlink`, {})).map((p) => p.d)).toEqual(['Hello']);
  });

  test('says what a downlink is and how to try one when there is none', async ({ page, logIn, person }) => {
    await logIn();
    await new DownlinksPage(page).goto();
    await expect(page.getByRole('heading', { name: 'No downlinks yet' })).toBeVisible();
    await expect(page.getByText(`npm run device -- --url`)).toContainText(`--user ${person.name}`);
  });
});

test.describe('how the Downlinks page looks', () => {
  for (const scheme of SCHEMES) {
    test(`every state at phone and desktop size, for a person to look at (${scheme})`, async ({
      browser,
      server,
      person,
      api,
      startDevice,
      logIn,
    }) => {
      test.setTimeout(120_000);
      // A slow thermostat, so it is caught on its way; a device that never answers, for the rest.
      await startDevice('--step-seconds', '3');
      await api.createDevice(person.name, 'garden', {
        nickname: 'Garden',
        streams: {
          sprinkler: {
            nickname: 'Sprinkler mode',
            description: 'Waters the lawn',
            schema: { enum: ['off', 'eco', 'full'] },
            downlink: true,
            downlink_timeout: 3_600,
          },
          sign: {
            nickname: 'Gate sign',
            schema: { type: 'string', maxLength: 30 },
            downlink: true,
            downlink_timeout: 1,
          },
        },
      });
      await api.insert(`${person.name}/garden/sprinkler/downlink`, [{ d: 'eco' }]);
      await api.insert(`${person.name}/garden/sign/downlink`, [{ d: 'Back at 5' }]);

      let target = 12;
      for (const [size, viewport] of SIZES) {
        const context = await browser.newContext({ baseURL: server.url, viewport, colorScheme: scheme });
        const page = await context.newPage();
        await logIn(page, person);
        const downlinks = new DownlinksPage(page);
        await downlinks.goto();

        const light = new DownlinkPanel(downlinks.panel('Light'));
        await light.root.getByRole('switch', { name: 'Light' }).click();
        await expect(light.state()).toHaveText('Acknowledged');
        await light.logEntries();
        const thermostat = new DownlinkPanel(downlinks.panel('Thermostat'));
        target = target === 12 ? 28 : 12;
        await thermostat.sendNumber('Thermostat', target);
        await expect(thermostat.state()).toHaveText('Mismatch', { timeout: 15_000 });
        await expect(new DownlinkPanel(downlinks.panel('Sprinkler mode')).state()).toHaveText('Requested');
        await expect(new DownlinkPanel(downlinks.panel('Gate sign')).state()).toHaveText('Timed out');
        await shoot(page, 'downlinks-states', size, scheme);

        await context.setOffline(true);
        await expect(light.root.getByRole('switch', { name: 'Light' })).toBeDisabled();
        await shoot(page, 'downlinks-offline', size, scheme);
        await context.setOffline(false);

        await page.goto(`/${person.name}/simulator/thermostat`);
        await expect(
          page.getByRole('region', { name: 'Send to the device' }).getByRole('status'),
        ).not.toBeEmpty();
        await shoot(page, 'stream-downlink-thermostat', size, scheme);
        await context.close();
      }
    });
  }

  test('the empty state at phone and desktop size, light and dark', async ({
    browser,
    server,
    person,
    logIn,
  }) => {
    for (const { scheme, size, viewport } of LOOKS) {
      const context = await browser.newContext({ baseURL: server.url, viewport, colorScheme: scheme });
      const page = await context.newPage();
      await logIn(page, person);
      await new DownlinksPage(page).goto();
      await expect(page.getByRole('heading', { name: 'No downlinks yet' })).toBeVisible();
      await shoot(page, 'downlinks-empty', size, scheme);
      await context.close();
    }
  });
});
