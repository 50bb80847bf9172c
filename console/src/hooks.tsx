/**
 * The two shapes every console page repeats, in one place: a thing loaded
 * when the page opens (with its error and a retry), and a call a button or a
 * dialog makes (busy while it runs, its error as a sentence).
 */
import { Alert, Button } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describe } from './api';

export function useLoad<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(async () => {
    setError('');
    try {
      setData(await load());
    } catch (e) {
      setError(describe(e));
    }
  }, [load]);
  useEffect(() => void reload(), [reload]);
  return { data, error, setError, reload, loading: data === null && !error };
}

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  /** Runs the call; true when it succeeded (the error is shown otherwise). */
  const run = useCallback(async (call: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError('');
    try {
      await call();
      return true;
    } catch (e) {
      setError(describe(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

/** An error above a page's content, with retry when there is something to retry. */
export function ErrorBar({ message, onRetry }: { message: string; onRetry?: () => void }) {
  if (!message) return null;
  return (
    <Alert
      type="error"
      showIcon
      message={message}
      style={{ marginBottom: 16 }}
      action={onRetry ? <Button onClick={onRetry}>重试</Button> : undefined}
    />
  );
}
