import type { CSSProperties } from 'react';

/** A placeholder the size of what is loading, so nothing jumps when it arrives. */
export function Skeleton({
  height,
  width = '100%',
  style,
}: {
  height: string;
  width?: string;
  style?: CSSProperties;
}) {
  return <div className="skeleton" aria-hidden style={{ height, width, ...style }} />;
}

/** A grid of card-sized placeholders with a label for screen readers. */
export function CardSkeletons({ count = 3, height = '9rem' }: { count?: number; height?: string }) {
  return (
    <div className="card-grid" role="status" aria-label="Loading">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} height={height} style={{ borderRadius: 'var(--radius-lg)' }} />
      ))}
    </div>
  );
}
