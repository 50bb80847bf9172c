/**
 * The daily report (DESIGN "Reports"), computed from the ledger as it is:
 * an event is in it as soon as it commits. Days are business days in
 * JIFEN_TIMEZONE (DST-safe: each day's bounds come from the calendar, not
 * from 24 hours). Liability is the member balances at the end of each day,
 * worked back from now (balances now, less what changed since the first
 * day), valued at JIFEN_POINT_VALUE_FEN; it is chain-wide, so it is on the
 * ungrouped rows and the totals, and null on grouped ones.
 */
import { DateTime } from 'luxon';
import { errors } from '../domain/errors.js';
import type { ReportDay, ReportGroup, ReportSums, Store } from '../store/port.js';

/** A year and a day: enough for "this year against last", small enough to answer at once. */
export const REPORT_DAYS_MAX = 367;

export interface ReportRow extends Omit<ReportSums, 'net'> {
  liabilityPoints: number | null;
  liabilityFen: number | null;
}

export interface DailyReport {
  rows: ReportRow[];
  totals: {
    issued: number;
    redeemed: number;
    expired: number;
    adjusted: number;
    activeMembers: number;
    /** At the end of the last day. */
    liabilityPoints: number;
    liabilityFen: number;
  };
}

export class Reports {
  constructor(private readonly deps: { store: Store; timeZone: string; pointValueFen: number }) {}

  async daily(from: string, to: string, groupBy: ReportGroup | null): Promise<DailyReport> {
    const days = this.days(from, to);
    const { rows, netSince, liabilityNow, activeMembers } = await this.deps.store.reportDaily(days, groupBy);
    const fen = (points: number) => points * this.deps.pointValueFen;
    // Member balances when the first day began; then each day's change on top.
    let liability = liabilityNow - netSince;
    const daily = new Map<string, number>();
    for (const d of days) {
      liability += rows.filter((r) => r.date === d.date).reduce((n, r) => n + r.net, 0);
      daily.set(d.date, liability);
    }
    const zero = { issued: 0, redeemed: 0, expired: 0, adjusted: 0, net: 0, activeMembers: 0 };
    const out: ReportRow[] = groupBy
      ? rows.map(({ net: _net, ...r }) => ({ ...r, liabilityPoints: null, liabilityFen: null }))
      : days.map((d) => {
          const { net: _net, ...r } = rows.find((x) => x.date === d.date) ?? { ...zero, date: d.date, group: null };
          const points = daily.get(d.date)!;
          return { ...r, liabilityPoints: points, liabilityFen: fen(points) };
        });
    const sum = (k: 'issued' | 'redeemed' | 'expired' | 'adjusted') => rows.reduce((n, r) => n + r[k], 0);
    const end = daily.get(days.at(-1)!.date)!;
    return {
      rows: out,
      totals: {
        issued: sum('issued'),
        redeemed: sum('redeemed'),
        expired: sum('expired'),
        adjusted: sum('adjusted'),
        activeMembers,
        liabilityPoints: end,
        liabilityFen: fen(end),
      },
    };
  }

  private days(from: string, to: string): ReportDay[] {
    const zone = this.deps.timeZone;
    const first = DateTime.fromISO(from, { zone }).startOf('day');
    const last = DateTime.fromISO(to, { zone }).startOf('day');
    if (!first.isValid || !last.isValid) throw errors.validation('from and to are dates: YYYY-MM-DD.');
    if (last < first) throw errors.validation('from must not be after to.');
    const out: ReportDay[] = [];
    for (let d = first; d <= last; d = d.plus({ days: 1 })) {
      if (out.length === REPORT_DAYS_MAX) throw errors.validation(`A report covers at most ${REPORT_DAYS_MAX} days.`);
      out.push({ date: d.toISODate()!, start: d.toMillis(), end: d.plus({ days: 1 }).toMillis() });
    }
    return out;
  }
}
