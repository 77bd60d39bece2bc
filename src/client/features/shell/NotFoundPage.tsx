import { SearchX } from 'lucide-react';
import { Link } from 'react-router';
import { EmptyState } from '../../ui/EmptyState';
import { usePageTitle } from '../../ui/usePageTitle';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <div className="card">
      {/* Every page has a level-one heading to land on; this one's words are the card's. */}
      <h1 className="visually-hidden">Page not found</h1>
      <EmptyState
        icon={<SearchX size={28} />}
        title="Nothing here"
        action={
          <Link to="/" className="btn btn-primary">
            Go to Insert
          </Link>
        }
      >
        This address does not lead to a page. Check it, or start again from your inputs.
      </EmptyState>
    </div>
  );
}
