import { Star } from 'lucide-react';
import { useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { starLabel } from './chooseWidget';

export interface StarRatingProps {
  label: string;
  min: number;
  max: number;
  /** The stream's last value: checked until a new rating is chosen. */
  value: number | undefined;
  /** Inserts the rating; resolves when it is saved or refused. */
  onChoose(value: number): Promise<unknown>;
  isBusy?: boolean;
}

/**
 * A row of stars that inserts on a click or tap. Keyboard: Tab reaches the group, arrows and
 * Home/End move between stars, Space or Enter chooses. Unlike a form's radio group, the arrows do
 * not select: each choice is a datapoint, and walking from 3 to 7 must not insert 4, 5 and 6.
 */
export function StarRating({ label, min, max, value, onChoose, isBusy = false }: StarRatingProps) {
  const stars = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const [pending, setPending] = useState<number>();
  const [preview, setPreview] = useState<number>();
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const checked =
    pending ?? (value !== undefined && value >= min && value <= max ? Math.round(value) : undefined);
  const [focusTarget, setFocusTarget] = useState<number>();
  const tabStop = focusTarget ?? checked ?? min;
  const shown = preview ?? checked ?? 0;

  const choose = async (n: number) => {
    setPending(n);
    await onChoose(n);
    setPending(undefined);
  };

  const moveFocus = (n: number) => {
    const next = Math.min(max, Math.max(min, n));
    setFocusTarget(next);
    setPreview(next);
    buttons.current.get(next)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = focusTarget ?? checked ?? min;
    const keys: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowUp: current + 1,
      ArrowLeft: current - 1,
      ArrowDown: current - 1,
      Home: min,
      End: max,
    };
    const target = keys[event.key];
    if (target === undefined) return;
    event.preventDefault();
    moveFocus(target);
  };

  return (
    <div
      role="radiogroup"
      aria-label={label}
      aria-busy={isBusy || pending !== undefined}
      className="stars"
      style={{ '--star-columns': Math.min(stars.length, 10) } as CSSProperties}
      onKeyDown={onKeyDown}
      onMouseLeave={() => setPreview(undefined)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) {
          setPreview(undefined);
          setFocusTarget(undefined);
        }
      }}
    >
      {stars.map((n) => (
        <button
          key={n}
          ref={(element) => {
            if (element) buttons.current.set(n, element);
            else buttons.current.delete(n);
          }}
          type="button"
          role="radio"
          aria-checked={checked === n}
          aria-label={starLabel(n)}
          tabIndex={n === tabStop ? 0 : -1}
          className={n <= shown ? 'star star-on' : 'star'}
          onMouseEnter={() => setPreview(n)}
          onClick={() => {
            setFocusTarget(n);
            void choose(n);
          }}
        >
          <Star aria-hidden strokeWidth={1.75} />
        </button>
      ))}
    </div>
  );
}
