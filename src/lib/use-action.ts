import { useCallback, useState } from 'react';
import { errorMessage } from '../api/client';

/**
 * One button's call: `busy` while it runs (the button blocks double taps),
 * `error` as a sentence for the person, cleared on the next try. `run`
 * resolves to the answer, or undefined when it failed (the error is shown).
 */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setBusy(true);
      setError('');
      try {
        return await fn(...args);
      } catch (e) {
        setError(errorMessage(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [fn],
  );
  return { run, busy, error };
}
