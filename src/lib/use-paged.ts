import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';

export interface Paged<T> {
  items: T[];
  /** First load (nothing to show yet). */
  loading: boolean;
  /** Loading the next page under a list already shown. */
  loadingMore: boolean;
  /** Error of the last load; with items it is shown under the list, without them it replaces it. */
  error: string | null;
  done: boolean;
}

/**
 * Cursor paging: `more` appends the next page (infinite scroll), `refresh`
 * starts over (pull to refresh). One load at a time; a refresh makes any
 * page still in flight stale so it cannot append to the new list.
 */
export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): [Paged<T>, { more: () => Promise<void>; refresh: () => Promise<void> }] {
  const [state, setState] = useState<Paged<T>>({
    items: [],
    loading: true,
    loadingMore: false,
    error: null,
    done: false,
  });
  const cursor = useRef<string | undefined>(undefined);
  const generation = useRef(0);
  const busy = useRef(false);

  const fetchPage = useCallback(
    async (first: boolean) => {
      if (busy.current && !first) return;
      busy.current = true;
      const gen = first ? ++generation.current : generation.current;
      if (first) cursor.current = undefined;
      setState((s) => ({ ...s, loading: first && s.items.length === 0, loadingMore: !first, error: null }));
      try {
        const page = await load(cursor.current);
        if (gen !== generation.current) return;
        cursor.current = page.nextCursor ?? undefined;
        setState((s) => ({
          items: first ? page.items : [...s.items, ...page.items],
          loading: false,
          loadingMore: false,
          error: null,
          done: page.nextCursor === null,
        }));
      } catch (e) {
        if (gen !== generation.current) return;
        setState((s) => ({ ...s, loading: false, loadingMore: false, error: errorMessage(e) }));
      } finally {
        if (gen === generation.current) busy.current = false;
      }
    },
    [load],
  );

  useEffect(() => {
    void fetchPage(true);
  }, [fetchPage]);

  const more = useCallback(async () => {
    if (state.done || state.error) return;
    await fetchPage(false);
  }, [fetchPage, state.done, state.error]);
  const refresh = useCallback(() => fetchPage(true), [fetchPage]);
  return [state, { more, refresh }];
}
