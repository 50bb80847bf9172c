import { useEffect, useRef } from 'react';

/** Calls `fn` every `ms` while `ms` is not null; the latest `fn` is used without restarting the timer. */
export function useInterval(fn: () => void, ms: number | null): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (ms === null) return undefined;
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
