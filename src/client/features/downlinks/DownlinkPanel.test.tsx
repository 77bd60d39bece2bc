// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialDownlinkState, reduceDownlink, type DownlinkEvent } from '../../../core/downlink';
import { STREAM_DEFAULTS, type Stream } from '../../../core/model';
import { useAppStore, type DownlinkView } from '../../store';
import { DownlinkPanel } from './DownlinkPanel';

const PATH = 'ann/lamp/light';
const NOW = Date.now() / 1000;

const sendCommand = vi.fn(async () => ({ ok: true as const, value: undefined }));

const stream = (props: Partial<Stream> = {}): Stream => ({
  ...STREAM_DEFAULTS,
  name: 'light',
  nickname: 'Light',
  schema: '{"type":"boolean"}',
  downlink: true,
  ...props,
});

/** The panel's state after these events (times in seconds before now). */
function showState(events: DownlinkEvent[], view: Partial<DownlinkView> = {}) {
  const machine = events.reduce(reduceDownlink, initialDownlinkState({ timeoutSeconds: 10 }));
  useAppStore.setState({
    downlinks: { [PATH]: { status: 'ready', hasLoaded: true, machine, ...view } },
  });
}

const command = (d: unknown, ago: number): DownlinkEvent => ({
  type: 'command',
  point: { t: NOW - ago, d, o: 'ann/user' },
  at: NOW - ago,
});
const report = (d: unknown, ago: number): DownlinkEvent => ({
  type: 'report',
  point: { t: NOW - ago, d },
  at: NOW - ago,
});

beforeEach(() => {
  sendCommand.mockClear();
  // The store's downlink actions are replaced: these tests are about what the panel shows.
  useAppStore.setState({
    session: { user: 'ann', device: 'user', isAdmin: false },
    isOnline: true,
    downlinkLiveness: 'live',
    watchDownlink: () => () => {},
    sendCommand,
  });
});
afterEach(cleanup);

function renderPanel(props: Partial<Stream> = {}) {
  return render(
    <MemoryRouter>
      <DownlinkPanel path={PATH} stream={stream(props)} />
    </MemoryRouter>,
  );
}

describe('DownlinkPanel', () => {
  it('is a region named by the stream, with the state beside the control', () => {
    showState([report(false, 30), command(true, 2)]);
    renderPanel();
    const region = screen.getByRole('region', { name: 'Light' });
    expect(within(region).getByRole('status').textContent).toBe('Requested');
  });

  it('never flips the switch before the device reports: it shows the reported value', () => {
    showState([report(false, 30), command(true, 2)]);
    renderPanel();
    const toggle = screen.getByRole('switch', { name: 'Light' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(toggle.className).toContain('is-pending');
    expect(toggle.getAttribute('aria-busy')).toBe('true');
  });

  it('turns the switch on once the device reports it on', () => {
    showState([report(false, 30), command(true, 2), report(true, 1)]);
    renderPanel();
    expect(screen.getByRole('switch', { name: 'Light' }).getAttribute('aria-checked')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe('Acknowledged');
  });

  it('asks for the opposite of what the device reports', () => {
    showState([report(true, 30)]);
    renderPanel();
    fireEvent.click(screen.getByRole('switch', { name: 'Light' }));
    expect(sendCommand).toHaveBeenCalledWith(PATH, false);
  });

  it('says "Sending…" until the server has the command', () => {
    showState([report(false, 30)], { sending: { previous: undefined } });
    renderPanel();
    expect(screen.getByRole('status').textContent).toBe('Sending…');
  });

  it('disables the controls offline and says why', () => {
    useAppStore.setState({ isOnline: false });
    showState([report(false, 30)]);
    renderPanel({
      name: 'thermostat',
      nickname: 'Thermostat',
      schema: '{"type":"number","minimum":10,"maximum":30}',
    });
    const box = screen.getByRole('spinbutton', { name: 'Thermostat' }) as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect((screen.getByRole('slider', { name: 'Thermostat' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    const reason = document.getElementById(box.getAttribute('aria-describedby')!.split(' ').at(-1)!);
    expect(reason?.textContent).toMatch(/You are offline — commands are not queued/);
  });

  it('sends a number from the box, and refuses one outside the bounds without sending it', async () => {
    showState([report(20, 30)]);
    renderPanel({
      name: 'thermostat',
      nickname: 'Thermostat',
      schema: '{"type":"number","minimum":10,"maximum":30}',
    });
    const box = screen.getByRole('spinbutton', { name: 'Thermostat' }) as HTMLInputElement;
    expect(box.value).toBe('20');
    fireEvent.change(box, { target: { value: '35' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Between 10 and 30.');
    expect(sendCommand).not.toHaveBeenCalled();
    fireEvent.change(box, { target: { value: '25' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(sendCommand).toHaveBeenCalledWith('ann/lamp/light', 25));
  });

  it('lists past commands newest first, with sender and outcome', () => {
    showState([report(false, 60), command(true, 50), report(true, 49.5), command(false, 5)]);
    renderPanel();
    const items = within(screen.getByRole('list', { name: /Commands sent to Light/ })).getAllByRole(
      'listitem',
    );
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^OffRequested.* by you · waiting for the device · \d s left$/),
      expect.stringMatching(/^OnAcknowledged.* by you · in 0\.5 s$/),
    ]);
  });
});
