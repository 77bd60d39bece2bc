import { useEffect } from 'react';

/** Sets the document title, which screen readers announce and browser tabs and history show. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Tributary` : 'Tributary';
  }, [title]);
}
