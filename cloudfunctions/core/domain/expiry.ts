/**
 * When points expire. Until the rules issue makes this configurable per
 * merchant, every credit lives a rolling `ttlDays` and expires at the end of
 * that business day (0 = never expires).
 */
import { endOfBusinessDay, DAY_MS } from './time.js';
import type { Lot } from './lots.js';

export interface ExpiryPolicy {
  ttlDays: number;
  timeZone: string;
}

export function lotExpiry(createdAt: number, policy: ExpiryPolicy): number | null {
  return policy.ttlDays > 0 ? endOfBusinessDay(createdAt, policy.ttlDays, policy.timeZone) : null;
}

/** Points that expire within `windowDays`, and the first moment some do: for the home page countdown. */
export function expiringSoon(
  lots: readonly Lot[],
  now: number,
  windowDays = 30,
): { points: number; firstAt: number } | null {
  const horizon = now + windowDays * DAY_MS;
  const soon = lots.filter((l) => l.remaining > 0 && l.expiresAt !== null && l.expiresAt <= horizon);
  if (soon.length === 0) return null;
  return {
    points: soon.reduce((s, l) => s + l.remaining, 0),
    firstAt: Math.min(...soon.map((l) => l.expiresAt as number)),
  };
}
