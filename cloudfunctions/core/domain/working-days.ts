/**
 * A deadline in working days (a deletion request's, DESIGN "Member data
 * rights"): Monday to Friday in the merchant's time zone, less the dates of
 * the operator's holiday calendar. The deadline is the end of the last
 * working day counted, and the day of the request does not count.
 */
import { DateTime } from 'luxon';

export function addWorkingDays(ms: number, days: number, timeZone: string, holidays: ReadonlySet<string>): number {
  let day = DateTime.fromMillis(ms, { zone: timeZone }).startOf('day');
  let left = days;
  while (left > 0) {
    day = day.plus({ days: 1 });
    if (day.weekday <= 5 && !holidays.has(day.toISODate() ?? '')) left--;
  }
  return day.endOf('day').toMillis();
}
