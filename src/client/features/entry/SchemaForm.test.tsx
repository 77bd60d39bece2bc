// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeSchema } from '../../../core/schema';
import { SchemaForm } from './SchemaForm';

afterEach(cleanup);

const shape = describeSchema({
  type: 'object',
  properties: { hours: { type: 'number' }, mode: { enum: ['eco', 'boost'] }, away: { type: 'boolean' } },
  required: ['hours'],
});

describe('SchemaForm', () => {
  it('generates labelled fields from the schema and saves the converted value', async () => {
    const onSave = vi.fn(async () => undefined);
    render(<SchemaForm id="f" label="Heating" shape={shape} onSave={onSave} />);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Hours' }), { target: { value: '2.5' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Mode (optional)' }), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Away' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(onSave).toHaveBeenCalledWith({ hours: 2.5, mode: 'boost', away: true });
  });

  it('shows what is missing beside the field', async () => {
    const onSave = vi.fn(async () => undefined);
    render(<SchemaForm id="f" label="Heating" shape={shape} onSave={onSave} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    const error = await screen.findByText('Required.');
    expect(screen.getByRole('spinbutton', { name: 'Hours' }).getAttribute('aria-describedby')).toBe(error.id);
    expect(onSave).not.toHaveBeenCalled();
  });

  it('shows the server’s refusal under the form', async () => {
    render(
      <SchemaForm
        id="f"
        label="Heating"
        shape={shape}
        onSave={async () => 'Write access to stream data denied.'}
      />,
    );
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Hours' }), { target: { value: '1' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect((await screen.findByRole('alert')).textContent).toBe('Write access to stream data denied.');
  });
});
