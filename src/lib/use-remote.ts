import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api/client';

export type Remote<T> =
  | { state: 'loading' }
  /** status: the HTTP status when the server refused (0 for the network), so a page can tell final refusals from retryable failures. */
  | { state: 'error'; message: string; status: number | null }
  | { state: 'ready'; data: T };

/**
 * Loads once on mount; `reload` for retry. `reload({ quiet: true })` keeps
 * what is shown until the new answer arrives (pull to refresh has its own
 * spinner; coming back to a page should not flash one).
 */
export function useRemote<T>(load: () => Promise<T>): [Remote<T>, (o?: { quiet?: boolean }) => Promise<void>] {
  const [remote, setRemote] = useState<Remote<T>>({ state: 'loading' });
  const reload = useCallback(
    async (o: { quiet?: boolean } = {}) => {
      if (!o.quiet) setRemote({ state: 'loading' });
      try {
        setRemote({ state: 'ready', data: await load() });
      } catch (e) {
        setRemote({ state: 'error', message: errorMessage(e), status: e instanceof ApiError ? e.status : null });
      }
    },
    [load],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  return [remote, reload];
}
