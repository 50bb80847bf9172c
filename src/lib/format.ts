/** 1280 → "1,280"; thousands separators by hand, as some mini-program JS engines lack Intl. */
export function groupDigits(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1280 → "1,280 积分" */
export const formatPoints = (n: number): string => `${groupDigits(n)} 积分`;

/** 50 → "+50", -30 → "-30": history amounts always carry their sign. */
export const signedPoints = (n: number): string => (n > 0 ? '+' : '') + groupDigits(n);

/** 1280 fen → "¥12.80" (integer arithmetic: fen never pass through a float division). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}¥${groupDigits(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.8" → 1280 fen; null when it is not an amount a till could charge. */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

/** "2026-12-31T23:59:59.999+08:00" → "2026-12-31"; the server already gives business-zone times. */
export const formatDay = (iso: string): string => iso.slice(0, 10);

/** "2026-11-25T09:05:00.000+08:00" → "09:05" */
export const formatClock = (iso: string): string => iso.slice(11, 16);

/** A day heading for a list: 今天, 昨天, 11月23日, or 2025年11月23日 in another year. */
export function dayLabel(day: string, today: string): string {
  if (day === today) return '今天';
  if (day === shiftDay(today, -1)) return '昨天';
  const [y, m, d] = day.split('-').map(Number);
  const md = `${m}月${d}日`;
  return day.slice(0, 4) === today.slice(0, 4) ? md : `${y}年${md}`;
}

/** "2026-03-01", -1 → "2026-02-28", by the calendar (UTC arithmetic on a date has no DST). */
export function shiftDay(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Today in the business zone (UTC+8 for every merchant we serve; China has no DST). */
export const todayInChina = (now: number = Date.now()): string =>
  new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);

/** Whole days from now until an ISO time, never negative. */
export const daysUntil = (iso: string, now: number = Date.now()): number =>
  Math.max(0, Math.ceil((Date.parse(iso) - now) / 86_400_000));

/** 95 → "01:35" */
export function mmss(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** "661234567890123456" → "6612 3456 7890 1234 56": easier to read aloud at the till. */
export const spacedCode = (code: string): string => code.replace(/(.{4})(?=.)/g, '$1 ');

/** Progress toward the next tier, 0–100. */
export function tierProgress(growth: number, growthNeeded: number): number {
  const total = growth + growthNeeded;
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round((growth / total) * 100)));
}
