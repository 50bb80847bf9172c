/**
 * When points expire (DESIGN "Lots and expiry"), one of two policies an
 * operator picks (PUT /api/admin/expiry):
 * - rolling: a credit lives `ttlDays` and expires at the end of that
 *   business day (0 = never expires);
 * - yearly clearance: points credited in year Y expire at the end of
 *   `clearOn` (MM-DD) of year Y + `afterYears` (年度清零: "每年 12 月 31 日
 *   清零上一年度获得的积分" is clearOn 12-31, afterYears 1).
 * All days are business days in `timeZone`. The policy object is shared by
 * the services that credit points and changed in place when an operator
 * changes it (services/expiry-policy.ts), so a credit always uses the
 * policy of its moment; lots already made keep their date.
 */
import { endOfBusinessDay, DAY_MS } from './time.js';
import { localParts } from './local-time.js';
import type { Lot } from './lots.js';

export interface ExpiryPolicy {
  ttlDays: number;
  timeZone: string;
  /** Set: yearly clearance instead of rolling days. */
  yearly?: { clearOn: string; afterYears: number } | null;
}

export function lotExpiry(createdAt: number, policy: ExpiryPolicy): number | null {
  if (policy.yearly) return yearlyClearance(createdAt, policy.yearly, policy.timeZone);
  return policy.ttlDays > 0 ? endOfBusinessDay(createdAt, policy.ttlDays, policy.timeZone) : null;
}

/** The end of `clearOn` in the year `afterYears` after the credit's business year (29 February: the 28th if need be). */
export function yearlyClearance(
  createdAt: number,
  yearly: { clearOn: string; afterYears: number },
  timeZone: string,
): number {
  const year = Number(localParts(createdAt, timeZone).date.slice(0, 4)) + yearly.afterYears;
  const [month, day] = yearly.clearOn.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Noon UTC of that local date is inside it in every zone within ±12 h; its business day's end is the answer.
  const noon = Date.UTC(year, month - 1, Math.min(day, lastDay), 12);
  const local = localParts(noon, timeZone).date;
  const target = `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
  const shift = local === target ? 0 : local < target ? 1 : -1;
  return endOfBusinessDay(noon, shift, timeZone);
}

/** The first expiry date among the lots and how many points expire at that business day's end. */
export function nextExpiry(lots: readonly Lot[]): { points: number; at: number } | null {
  const open = lots.filter((l) => l.remaining > 0 && l.expiresAt !== null);
  if (open.length === 0) return null;
  const at = Math.min(...open.map((l) => l.expiresAt as number));
  return { points: open.filter((l) => l.expiresAt === at).reduce((s, l) => s + l.remaining, 0), at };
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
