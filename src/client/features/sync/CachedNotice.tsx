import { CloudOff } from 'lucide-react';
import { useAppStore, useAppStoreShallow } from '../../store';
import { formatDateTime, formatRelativeTime } from '../../ui/formatTime';
import { useNow } from '../../ui/useNow';
import './sync.css';

/**
 * Says that a page shows what this device cached, because the server could not be asked, and how
 * old it is. `keys` are the cache keys of what the page shows (`streams/alice/user`, `data/…`);
 * the oldest of those served from the cache counts. Renders nothing while everything is fresh.
 */
export function CachedNotice({ keys }: { keys: readonly string[] }) {
  const times = useAppStoreShallow((s) => keys.map((key) => s.cachedAt[key]));
  const isOnline = useAppStore((s) => s.sync.online);
  const now = useNow();
  const known = times.filter((t): t is number => t !== undefined);
  if (known.length === 0) return null;
  const oldestSeconds = Math.min(...known) / 1000;
  return (
    <p className="alert alert-info cache-notice" role="note">
      <CloudOff size={16} aria-hidden />
      <span>
        {isOnline ? 'The server did not answer' : 'You are offline'}: showing data cached on this device, last
        updated{' '}
        <time
          dateTime={new Date(oldestSeconds * 1000).toISOString()}
          title={formatDateTime(oldestSeconds, true)}
        >
          {formatRelativeTime(oldestSeconds, now)}
        </time>
        .
      </span>
    </p>
  );
}
