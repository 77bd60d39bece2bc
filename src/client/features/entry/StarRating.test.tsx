// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StarRating } from './StarRating';

afterEach(cleanup);

function renderStars(value?: number) {
  const onChoose = vi.fn(async () => {});
  render(<StarRating label="Mood" min={1} max={10} value={value} onChoose={onChoose} />);
  const group = screen.getByRole('radiogroup', { name: 'Mood' });
  const star = (name: string) => screen.getByRole('radio', { name });
  return { onChoose, group, star };
}

describe('StarRating', () => {
  it('names a radio per star and checks the last value', () => {
    const { star } = renderStars(7);
    expect(screen.getAllByRole('radio')).toHaveLength(10);
    expect(star('1 star').getAttribute('aria-checked')).toBe('false');
    expect(star('7 stars').getAttribute('aria-checked')).toBe('true');
  });

  it('inserts at once when a star is clicked', () => {
    const { onChoose, star } = renderStars();
    fireEvent.click(star('4 stars'));
    expect(onChoose).toHaveBeenCalledWith(4);
    expect(star('4 stars').getAttribute('aria-checked')).toBe('true');
  });

  it('is one tab stop: the checked star, or the first', () => {
    renderStars(3);
    const focusable = screen.getAllByRole('radio').filter((r) => r.tabIndex === 0);
    expect(focusable.map((r) => r.getAttribute('aria-label'))).toEqual(['3 stars']);
  });

  it('moves with arrows, Home and End without inserting', () => {
    const { onChoose, group, star } = renderStars(3);
    star('3 stars').focus();
    fireEvent.keyDown(group, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(star('4 stars'));
    fireEvent.keyDown(group, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(star('5 stars'));
    fireEvent.keyDown(group, { key: 'ArrowLeft' });
    fireEvent.keyDown(group, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(star('3 stars'));
    fireEvent.keyDown(group, { key: 'End' });
    expect(document.activeElement).toBe(star('10 stars'));
    fireEvent.keyDown(group, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(star('10 stars'));
    fireEvent.keyDown(group, { key: 'Home' });
    expect(document.activeElement).toBe(star('1 star'));
    expect(onChoose).not.toHaveBeenCalled();
  });
});
