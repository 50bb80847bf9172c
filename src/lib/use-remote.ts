import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/client';

export type Remote<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: T };

/** Loads once on mount; `reload` for retry and pull-down refresh. */
export function useRemote<T>(load: () => Promise<T>): [Remote<T>, () => Promise<void>] {
  const [remote, setRemote] = useState<Remote<T>>({ state: 'loading' });
  const reload = useCallback(async () => {
    setRemote({ state: 'loading' });
    try {
      setRemote({ state: 'ready', data: await load() });
    } catch (e) {
      setRemote({ state: 'error', message: errorMessage(e) });
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [remote, reload];
}
