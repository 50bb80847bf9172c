/**
 * The business-zone parts of an instant that earning rules look at: the
 * local date, weekday and minute of the day. One cached Intl formatter per
 * zone (a few µs), where building a luxon DateTime costs about 190 µs: rule
 * evaluation runs on every payment.
 */
export interface LocalParts {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** MM-DD, for birthdays. */
  monthDay: string;
  /** YYYY-MM, for monthly caps. */
  month: string;
  /** 1 = Monday … 7 = Sunday (ISO, as DESIGN's rule shape). */
  weekday: number;
  /** Minutes since local midnight, 0–1439. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const p: Record<string, string> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(ms)) p[type] = value;
  const month = `${p.year}-${p.month}`;
  return {
    date: `${month}-${p.day}`,
    monthDay: `${p.month}-${p.day}`,
    month,
    weekday: WEEKDAYS[p.weekday!]!,
    minute: Number(p.hour) * 60 + Number(p.minute),
  };
}

/** "HH:mm" → minutes since midnight; null when malformed. */
export function minuteOf(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
