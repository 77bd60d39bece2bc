import { Plus, Search, Star } from 'lucide-react';
import { Suspense, useDeferredValue, useEffect, useId, useState } from 'react';
import { useAppStore, useAppStoreShallow } from '../../store';
import { lazyWithPreload } from '../../ui/lazyWithPreload';
import { CardSkeletons } from '../../ui/Skeleton';
import { EmptyState } from '../../ui/EmptyState';
import { PageHeader } from '../../ui/PageHeader';
import { usePageTitle } from '../../ui/usePageTitle';
import { EntryCard } from '../entry/EntryCard';
import { CachedNotice } from '../sync/CachedNotice';
import { filterStreams } from './filterStreams';
import './insert.css';

// The dialog (and react-hook-form, and the schema validator it uses) loads on "Add stream", not
// with the page: most visits only enter values.
const loadStreamFormDialog = () => import('../devices/StreamFormDialog').then((m) => m.StreamFormDialog);
const preloadStreamFormDialog = () => void loadStreamFormDialog().catch(() => undefined);
const StreamFormDialog = lazyWithPreload(loadStreamFormDialog);

/** `/`: a card per stream of the person's `user` device, to rate, count and write things down. */
export function InsertPage() {
  const user = useAppStore((s) => s.session?.user ?? '');
  const owner = `${user}/user`;
  const list = useAppStore((s) => s.streamLists[owner]);
  const loadStreams = useAppStore((s) => s.loadStreams);
  const streams = useAppStoreShallow((s) =>
    (s.streamLists[owner]?.value ?? []).flatMap((name) => s.streams[`${owner}/${name}`] ?? []),
  );
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [isAdding, setIsAdding] = useState(false);
  const [hasAdded, setHasAdded] = useState(false);
  const searchId = useId();
  usePageTitle('Insert');

  useEffect(() => {
    void loadStreams(user, 'user');
  }, [user, loadStreams]);

  const shown = filterStreams(streams, deferredQuery);
  const addButton = (
    <button
      type="button"
      className="btn btn-primary"
      onPointerEnter={preloadStreamFormDialog}
      onFocus={preloadStreamFormDialog}
      onClick={() => {
        setHasAdded(true);
        setIsAdding(true);
      }}
    >
      <Plus size={18} aria-hidden />
      Add stream
    </button>
  );

  return (
    <div className="stack-lg">
      <PageHeader
        title="Insert"
        description="Rate, count and note things as they happen."
        actions={addButton}
      />

      {streams.length > 0 && (
        <div className="search" role="search">
          <Search size={18} aria-hidden className="search-icon" />
          <label htmlFor={searchId} className="visually-hidden">
            Search streams
          </label>
          <input
            id={searchId}
            className="input search-input"
            type="search"
            placeholder="Search streams"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
      )}

      <CachedNotice keys={[`streams/${owner}`, ...streams.map((s) => `latest/${owner}/${s.name}`)]} />

      {list?.status === 'error' && (
        <p className="alert alert-error" role="alert">
          {list.error}
        </p>
      )}

      {!list?.value && list?.status !== 'error' ? (
        <CardSkeletons count={4} height="11rem" />
      ) : streams.length === 0 ? (
        <div className="card">
          <EmptyState icon={<Star size={28} />} title="Nothing to enter yet" action={addButton}>
            Add a stream for each thing you want to track: rate your mood out of 10, count glasses of water,
            switch a habit on, or keep a diary. Each one gets a card here.
          </EmptyState>
        </div>
      ) : shown.length === 0 ? (
        <div className="card">
          <EmptyState icon={<Search size={28} />} title={`No stream matches “${deferredQuery}”`}>
            Try another word, or clear the search to see all {streams.length} streams.
          </EmptyState>
        </div>
      ) : (
        <div className="card-grid">
          {shown.map((stream) => (
            <EntryCard key={stream.name} path={`${owner}/${stream.name}`} stream={stream} />
          ))}
        </div>
      )}

      {hasAdded && (
        <Suspense fallback={null}>
          <StreamFormDialog open={isAdding} onClose={() => setIsAdding(false)} owner={owner} />
        </Suspense>
      )}
    </div>
  );
}
