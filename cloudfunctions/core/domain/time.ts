/** Business time: days, expiry dates and displayed timestamps are in JIFEN_TIMEZONE, never UTC. */
import { DateTime } from 'luxon';

export const DAY_MS = 86_400_000;

/** ISO 8601 with the business zone's offset, e.g. 2026-11-25T17:03:00.000+08:00. */
export function isoInZone(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toISO() ?? new Date(ms).toISOString();
}

/** The last millisecond of the business day `days` days after `ms`. */
export function endOfBusinessDay(ms: number, days: number, timeZone: string): number {
  return DateTime.fromMillis(ms, { zone: timeZone }).plus({ days }).endOf('day').toMillis();
}

export function isValidTimeZone(timeZone: string): boolean {
  return DateTime.local().setZone(timeZone).isValid;
}
