/** Business time: days, expiry dates and displayed timestamps are in JIFEN_TIMEZONE, never UTC. */
import { DateTime } from 'luxon';
import { isoLocal } from './local-time.js';

export const DAY_MS = 86_400_000;

/** ISO 8601 with the business zone's offset, e.g. 2026-11-25T17:03:00.000+08:00. */
export function isoInZone(ms: number, timeZone: string): string {
  return fastIso(ms, timeZone) ?? DateTime.fromMillis(ms, { zone: timeZone }).toISO() ?? new Date(ms).toISOString();
}

/** isoLocal where it applies; null for what only luxon handles (a zero offset, NaN, a zone Intl does not know). */
export function fastIso(ms: number, timeZone: string): string | null {
  if (!Number.isFinite(ms)) return null;
  try {
    return isoLocal(ms, timeZone);
  } catch {
    return null;
  }
}

/** The last millisecond of the business day `days` days after `ms`, computed afresh (luxon: ~0.2 ms). */
export function endOfBusinessDayUncached(ms: number, days: number, timeZone: string): number {
  return DateTime.fromMillis(ms, { zone: timeZone }).plus({ days }).endOf('day').toMillis();
}

/** The business day a result holds for, per (zone, days): every `ms` in [from, to) has the same answer. */
interface DayMemo {
  from: number;
  to: number;
  result: number;
}
const memo = new Map<string, DayMemo>();
/** Zones × expiry lengths in use at once: a handful; past this the memo starts over. */
const MEMO_KEYS_MAX = 64;

/**
 * The last millisecond of the business day `days` days after `ms`. Every
 * credit asks this; all of one business day share the answer, so it is
 * computed once per day and zone. The day's bounds come from luxon too, so
 * the answer is exact across daylight-saving changes.
 */
export function endOfBusinessDay(ms: number, days: number, timeZone: string): number {
  return endOfDayAfter(ms, { days }, timeZone);
}

/**
 * The last millisecond of the day a span (days or months) after `ms`, in the
 * zone: memoized like endOfBusinessDay, for a tier's period end, which every
 * tier evaluation asks.
 */
export function endOfDayAfter(ms: number, span: { days?: number; months?: number }, timeZone: string): number {
  const key = `${timeZone}|${span.days ?? 0}|${span.months ?? 0}`;
  const known = memo.get(key);
  if (known && ms >= known.from && ms < known.to) return known.result;
  const local = DateTime.fromMillis(ms, { zone: timeZone });
  const day: DayMemo = {
    from: local.startOf('day').toMillis(),
    to: local.plus({ days: 1 }).startOf('day').toMillis(),
    result: local.plus(span).endOf('day').toMillis(),
  };
  if (memo.size >= MEMO_KEYS_MAX) memo.clear();
  memo.set(key, day);
  return day.result;
}

export function isValidTimeZone(timeZone: string): boolean {
  return DateTime.local().setZone(timeZone).isValid;
}
