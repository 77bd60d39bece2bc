// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STREAM_DEFAULTS, type Stream } from '../../../core/model';
import { useAppStore, type Entry } from '../../store';
import { StreamInput } from './StreamInput';

const insertDatapoint = vi.fn(async (path: string, t: number, d: unknown): Promise<Entry> => ({
  id: 'k',
  path,
  t,
  d,
  state: 'saved',
  isDownlinkRequest: false,
  isQueued: false,
}));

beforeEach(() => {
  insertDatapoint.mockClear();
  // The store's data actions are replaced: these tests are about the widget, not the server.
  useAppStore.setState({
    insertDatapoint,
    loadLatest: async () => {},
    subscribeLive: () => () => {},
    latest: { 'ann/user/weight': { status: 'ready', value: { t: 1_700_000_000, d: 70 } } },
  });
});
afterEach(cleanup);

const stream = (props: Partial<Stream>): Stream => ({
  ...STREAM_DEFAULTS,
  name: 'weight',
  nickname: 'Weight',
  ...props,
});

function renderInput(props: Partial<Stream>) {
  return render(
    <MemoryRouter>
      <StreamInput path="ann/user/weight" stream={stream(props)} isLabelVisible />
    </MemoryRouter>,
  );
}

describe('StreamInput', () => {
  it('chooses the widget by datatype, then schema', () => {
    renderInput({ datatype: 'rating.stars', schema: '{"type":"integer","minimum":0,"maximum":5}' });
    expect(screen.getAllByRole('radio')).toHaveLength(5);
    cleanup();
    renderInput({ schema: '{"type":"boolean"}' });
    expect(screen.getByRole('switch', { name: 'Weight' })).toBeTruthy();
    cleanup();
    renderInput({ schema: '{"type":"number","minimum":0,"maximum":200}' });
    expect(screen.getByRole('spinbutton', { name: 'Weight' })).toBeTruthy();
    expect(screen.getByRole('slider', { name: 'Weight' })).toBeTruthy();
    cleanup();
    renderInput({ schema: '{}' });
    expect(screen.getByRole('textbox', { name: 'Weight' })).toBeTruthy();
  });

  it('shows the last value', () => {
    renderInput({ schema: '{"type":"number"}' });
    expect(screen.getByText('Last:').textContent).toMatch(/Last: 70/);
  });

  it('refuses a value against the schema beside the field, without inserting', async () => {
    renderInput({ schema: '{"type":"number","maximum":120}' });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Weight' }), { target: { value: '300' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    const error = await screen.findByText('Must be <= 120.');
    expect(screen.getByRole('spinbutton', { name: 'Weight' }).getAttribute('aria-describedby')).toBe(
      error.id,
    );
    expect(insertDatapoint).not.toHaveBeenCalled();
  });

  it('inserts a valid value at the time chosen with "Set time", and confirms it', async () => {
    renderInput({ schema: '{"type":"number"}' });
    fireEvent.click(screen.getByRole('button', { name: 'Set time' }));
    fireEvent.change(screen.getByLabelText('Time of the entry'), {
      target: { value: '2025-03-14T08:30:00' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Weight' }), { target: { value: '71.2' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(insertDatapoint).toHaveBeenCalledWith(
      'ann/user/weight',
      new Date(2025, 2, 14, 8, 30).getTime() / 1000,
      71.2,
    );
    expect((await screen.findByRole('status')).textContent).toMatch(/^ ?Saved 71\.2 at/);
    // Emptied, so a second tap cannot save the reading twice.
    expect((screen.getByRole('spinbutton', { name: 'Weight' }) as HTMLInputElement).value).toBe('');
  });

  it('shows the last value as the number box’s placeholder, where the slider rests', () => {
    renderInput({ schema: '{"type":"number","minimum":40,"maximum":120}' });
    const box = screen.getByRole('spinbutton', { name: 'Weight' }) as HTMLInputElement;
    expect(box.value).toBe('');
    expect(box.placeholder).toBe('70');
    expect((screen.getByRole('slider', { name: 'Weight' }) as HTMLInputElement).value).toBe('70');
  });

  it('empties the JSON box once its value is saved, and keeps it when refused', async () => {
    renderInput({ schema: '{"type":"object","additionalProperties":false}' });
    const box = screen.getByRole('textbox', { name: 'Weight' }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: '{"a": 1}' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(await screen.findByText('Must NOT have additional properties.')).toBeTruthy();
    expect(box.value).toBe('{"a": 1}');
    expect(insertDatapoint).not.toHaveBeenCalled();
    fireEvent.change(box, { target: { value: '{}' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(insertDatapoint).toHaveBeenCalledWith('ann/user/weight', expect.any(Number), {});
    expect(box.value).toBe('');
  });
});
