import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api/client';

export type Remote<T> =
  | { state: 'loading' }
  /** status: the HTTP status when the server refused (0 for the network), so a page can tell final refusals from retryable failures. */
  | { state: 'error'; message: string; status: number | null }
  | { state: 'ready'; data: T };

/** Loads once on mount; `reload` for retry and pull-down refresh. */
export function useRemote<T>(load: () => Promise<T>): [Remote<T>, () => Promise<void>] {
  const [remote, setRemote] = useState<Remote<T>>({ state: 'loading' });
  const reload = useCallback(async () => {
    setRemote({ state: 'loading' });
    try {
      setRemote({ state: 'ready', data: await load() });
    } catch (e) {
      setRemote({ state: 'error', message: errorMessage(e), status: e instanceof ApiError ? e.status : null });
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [remote, reload];
}
