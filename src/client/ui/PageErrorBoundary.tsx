import { CloudOff, TriangleAlert } from 'lucide-react';
import { Component, type ReactNode } from 'react';
import { EmptyState } from './EmptyState';
import { retryFailedLoads } from './lazyWithPreload';

interface PageErrorBoundaryProps {
  children: ReactNode;
  /** Changes when the person navigates: a new page gets a new chance. */
  resetKey?: string;
}

interface PageErrorBoundaryState {
  error?: Error;
  resetKey?: string;
}

/** A chunk of the app that could not be fetched (offline before it was ever loaded, or a redeploy). */
function isChunkLoadError(error: Error): boolean {
  return /dynamically imported module|Importing a module script failed|Unable to preload CSS|Failed to fetch/i.test(
    error.message,
  );
}

/**
 * Catches what a page throws while rendering, so that the app keeps its header and navigation and
 * says what happened, instead of going blank.
 */
export class PageErrorBoundary extends Component<PageErrorBoundaryProps, PageErrorBoundaryState> {
  override state: PageErrorBoundaryState = { resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<PageErrorBoundaryState> {
    return { error };
  }

  static getDerivedStateFromProps(
    props: PageErrorBoundaryProps,
    state: PageErrorBoundaryState,
  ): Partial<PageErrorBoundaryState> | null {
    if (props.resetKey === state.resetKey) return null;
    return { resetKey: props.resetKey, error: undefined };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const retry = (
      <button
        type="button"
        className="btn btn-primary"
        onClick={() => {
          retryFailedLoads();
          this.setState({ error: undefined });
        }}
      >
        Try again
      </button>
    );
    if (isChunkLoadError(error)) {
      return (
        <div className="card">
          <EmptyState icon={<CloudOff size={28} />} title="This page could not be loaded" action={retry}>
            {navigator.onLine
              ? 'The server did not send this part of the app. It may have been updated: reloading the page fetches the new version.'
              : 'You are offline, and this part of the app was not saved on this device yet. It will be once the app has finished installing; what you entered elsewhere is kept.'}
          </EmptyState>
        </div>
      );
    }
    return (
      <div className="card">
        <EmptyState
          icon={<TriangleAlert size={28} />}
          title="Something went wrong on this page"
          action={retry}
        >
          {error.message}
        </EmptyState>
      </div>
    );
  }
}
