import { CardSkeletons, Skeleton } from './Skeleton';

/** What a page looks like while its code or data loads: a title and a few cards. */
export function PageSkeleton() {
  return (
    <div className="stack-lg">
      <Skeleton height="2.25rem" width="min(18rem, 70%)" />
      <CardSkeletons count={3} />
    </div>
  );
}
