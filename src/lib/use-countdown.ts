import { useEffect, useState } from 'react';

/** Seconds left until `expiresAt` (ISO), ticking once a second; 0 once past. */
export function useCountdown(expiresAt: string | null): number {
  const left = () => (expiresAt ? Math.max(0, Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000)) : 0);
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (!expiresAt) return undefined;
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
    // left() reads only expiresAt, the one dependency.
  }, [expiresAt]);
  return seconds;
}
