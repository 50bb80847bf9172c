/** 1280 → "1,280"; thousands separators by hand, as some mini-program JS engines lack Intl. */
export function groupDigits(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1280 → "1,280 积分" */
export const formatPoints = (n: number): string => `${groupDigits(n)} 积分`;

/** "2026-12-31T23:59:59.999+08:00" → "2026-12-31"; the server already gives business-zone times. */
export const formatDay = (iso: string): string => iso.slice(0, 10);

/** Progress toward the next tier, 0–100. */
export function tierProgress(growth: number, growthNeeded: number): number {
  const total = growth + growthNeeded;
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round((growth / total) * 100)));
}
