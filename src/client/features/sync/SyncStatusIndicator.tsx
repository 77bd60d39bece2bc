import { CircleAlert, CircleCheck, CloudOff, CloudUpload, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAppStore } from '../../store';
import { useNow } from '../../ui/useNow';
import { nextSyncProgress, syncProgressText, syncStatusText, type SyncProgress } from './syncStatusText';
import './sync.css';

const ICONS = {
  offline: CloudOff,
  loading: RefreshCw,
  pending: CloudUpload,
  error: CircleAlert,
  rejected: CircleAlert,
  saved: CircleCheck,
  unavailable: CloudOff,
} as const;

/**
 * The sync indicator in the app's header (phone and desktop): a live region named "Sync status"
 * whose text says `Offline`, `N pending` or `All saved` — and `syncing n of m` while a pass sends —
 * linking to the queue view.
 */
export function SyncStatusIndicator() {
  const status = useAppStore((s) => s.sync);
  const unavailable = useAppStore((s) => s.localFirstError);
  useNow(5_000); // "trying again in 10 s" stays true
  // Follows the pass through each status (React's "adjust state while rendering").
  const [progress, setProgress] = useState<SyncProgress>();
  const nextProgress = nextSyncProgress(progress, status);
  if (nextProgress !== progress) setProgress(nextProgress);
  const { kind, text, detail } = syncStatusText(status, unavailable);
  const progressText = kind === 'pending' ? syncProgressText(nextProgress, status) : undefined;
  const Icon = ICONS[kind];
  return (
    <div role="status" aria-label="Sync status" className={`sync-status sync-status-${kind}`}>
      {text && (
        <Link to="/queue" className="sync-pill" title={detail}>
          <Icon
            size={16}
            aria-hidden
            className={kind === 'pending' && status.isSyncing ? 'sync-spin' : undefined}
          />
          <span>{text}</span>
          {progressText && <span className="sync-progress"> · {progressText}</span>}
        </Link>
      )}
    </div>
  );
}
