/**
 * The daily report (DESIGN "Reports"), computed from the ledger: an event
 * is in it as soon as it commits. Days are business days in JIFEN_TIMEZONE
 * (DST-safe: each day's bounds come from the calendar, not from 24 hours).
 *
 * Daily rollups: a day's sums never change once the day has closed (events
 * are immutable and stamped when they commit), so each closed day is summed
 * once, per grouping, and kept in a `report_days` document per month; a
 * report reads those and sums only the days still open (today) from the
 * events. The cron job rolls each day up soon after it closes, so reports
 * rarely sum more than today; a day nobody rolled up yet is summed by the
 * first report that needs it. Grouping by region or tier uses the store's
 * region and the member's tier when the day was rolled up.
 *
 * Liability is the member balances at the end of each day, worked back
 * from now (balances now, less what changed since the first day), valued at
 * JIFEN_POINT_VALUE_FEN. It is chain-wide: on the ungrouped rows and the
 * totals, null on grouped rows and for a report narrowed to some stores.
 */
import { DateTime } from 'luxon';
import { errors } from '../domain/errors.js';
import type { ReportDay, ReportGroup, ReportSums, Store } from '../store/port.js';
import { plainDoc } from './config-docs.js';

/** A year and a day: enough for "this year against last", small enough to answer at once. */
export const REPORT_DAYS_MAX = 367;
/** How long after its end a day is rolled up: anything stamped inside it has committed by then. */
export const ROLLUP_AFTER_MS = 10 * 60_000;
/** Days one step of the rollup job sums. */
export const ROLLUP_BATCH_DAYS = 31;
/** Day lists kept (Reports.days): the rollup's year and the few ranges the console is looking at. */
const DAY_LISTS_MAX = 32;

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
    /** At the end of the last day; null when the report is narrowed to some stores. */
    liabilityPoints: number | null;
    liabilityFen: number | null;
  };
}

type Dim = ReportGroup | 'day';
const DIMS: readonly Dim[] = ['day', 'store', 'region', 'tier'];

export class Reports {
  /** The last day every grouping is rolled up through (the job's memory, so a quiet tick reads nothing). */
  private rolledThrough = '';
  /** Day lists by zone and range (Reports.days). */
  private readonly dayLists = new Map<string, readonly ReportDay[]>();

  constructor(private readonly deps: { store: Store; timeZone: string; pointValueFen: number; clock: () => number }) {}

  /**
   * The report from `from` to `to`. `stores` narrows it to those stores (a
   * manager's): then it is always by store, and has no liability.
   */
  async daily(
    from: string,
    to: string,
    groupBy: ReportGroup | null,
    stores: ReadonlySet<string> | null = null,
  ): Promise<DailyReport> {
    const days = this.days(from, to);
    const group = stores ? 'store' : groupBy;
    const dim: Dim = group ?? 'day';
    const saved = await this.rollups(dim, days);
    const missing = days.filter((d) => !saved.has(d.date));
    const live = await this.deps.store.reportDaily(days, group, {
      sums: missing,
      activeAt: stores ? [...stores] : null,
    });
    await this.save(dim, missing, live.rows);
    const sums = [...[...saved.values()].flat(), ...live.rows]
      .filter((r) => !stores || (r.group !== null && stores.has(r.group)))
      .sort((a, b) => a.date.localeCompare(b.date) || (a.group ?? '').localeCompare(b.group ?? ''));

    const fen = (points: number) => points * this.deps.pointValueFen;
    // Member balances when the first day began; then each day's change on top.
    let liability = live.liabilityNow - live.netSince;
    const daily = new Map<string, number>();
    const netOf = new Map<string, number>();
    for (const r of sums) netOf.set(r.date, (netOf.get(r.date) ?? 0) + r.net);
    for (const d of days) {
      liability += netOf.get(d.date) ?? 0;
      daily.set(d.date, liability);
    }
    const zero = { issued: 0, redeemed: 0, expired: 0, adjusted: 0, net: 0, activeMembers: 0 };
    const rows: ReportRow[] = group
      ? sums.map(({ net: _net, ...r }) => ({ ...r, liabilityPoints: null, liabilityFen: null }))
      : days.map((d) => {
          const { net: _net, ...r } = sums.find((x) => x.date === d.date) ?? { ...zero, date: d.date, group: null };
          const points = daily.get(d.date)!;
          return { ...r, liabilityPoints: points, liabilityFen: fen(points) };
        });
    const sum = (k: 'issued' | 'redeemed' | 'expired' | 'adjusted') => sums.reduce((n, r) => n + r[k], 0);
    const end = stores ? null : daily.get(days.at(-1)!.date)!;
    return {
      rows,
      totals: {
        issued: sum('issued'),
        redeemed: sum('redeemed'),
        expired: sum('expired'),
        adjusted: sum('adjusted'),
        activeMembers: live.activeMembers,
        liabilityPoints: end,
        liabilityFen: end === null ? null : fen(end),
      },
    };
  }

  /**
   * The cron job: rolls up closed days of the last REPORT_DAYS_MAX that are
   * not yet, at most `batch` days of one grouping a call (a month of events
   * at a time, so the server answers requests in between). Returns the days
   * it summed: 0 once every grouping is caught up, and then it reads
   * nothing until the next day closes.
   */
  async rollUp(batch = ROLLUP_BATCH_DAYS): Promise<number> {
    const today = DateTime.fromMillis(this.deps.clock(), { zone: this.deps.timeZone }).startOf('day');
    const last = this.closed([this.day(today.minus({ days: 1 }))])[0];
    if (!last || last.date <= this.rolledThrough) return 0;
    const days = this.days(today.minus({ days: REPORT_DAYS_MAX }).toISODate()!, last.date);
    for (const dim of DIMS) {
      const saved = await this.rollups(dim, days);
      const missing = days.filter((d) => !saved.has(d.date)).slice(0, batch);
      if (missing.length === 0) continue;
      const span = days.slice(days.indexOf(missing[0]!), days.indexOf(missing.at(-1)!) + 1);
      const { rows } = await this.deps.store.reportDaily(span, dim === 'day' ? null : dim, { sums: missing });
      await this.save(dim, missing, rows);
      return missing.length;
    }
    this.rolledThrough = last.date;
    return 0;
  }

  /** The saved sums of the closed days among `days`, by date (a day with no events has an empty list). */
  private async rollups(dim: Dim, days: readonly ReportDay[]): Promise<Map<string, ReportSums[]>> {
    const closed = this.closed(days);
    const out = new Map<string, ReportSums[]>();
    if (closed.length === 0) return out;
    const docs = await this.deps.store.configDocs('report_days', {
      from: this.docId(dim, closed[0]!.date),
      to: this.docId(dim, closed.at(-1)!.date),
    });
    const wanted = new Set(closed.map((d) => d.date));
    for (const doc of docs) {
      for (const [date, rows] of Object.entries((doc.body as { days: Record<string, ReportSums[]> }).days)) {
        if (wanted.has(date)) out.set(date, rows);
      }
    }
    return out;
  }

  /** Keeps the sums of the closed days among `summed` (rows of other days are ignored), a month per document. */
  private async save(dim: Dim, summed: ReportDay[], rows: ReportSums[]): Promise<void> {
    const byMonth = new Map<string, Record<string, ReportSums[]>>();
    for (const d of this.closed(summed)) {
      const id = this.docId(dim, d.date);
      const month = byMonth.get(id) ?? {};
      month[d.date] = rows.filter((r) => r.date === d.date);
      byMonth.set(id, month);
    }
    const now = this.deps.clock();
    for (const [id, days] of byMonth) {
      await this.deps.store.transaction(async (tx) => {
        // Two reports may sum the same day at once; both got the same sums, so merging either way is right.
        const before = await tx.lockConfig('report_days', id);
        const merged = { ...((before?.body as { days?: Record<string, ReportSums[]> })?.days ?? {}), ...days };
        await tx.putConfig(plainDoc('report_days', id, { days: merged }, 'system', now));
      });
    }
  }

  private closed(days: readonly ReportDay[]): ReportDay[] {
    const now = this.deps.clock();
    return days.filter((d) => d.end + ROLLUP_AFTER_MS <= now);
  }

  /** One document per time zone, grouping and month; ids sort by month, so a range of them is one read. */
  private docId(dim: Dim, date: string): string {
    return `${this.deps.timeZone}|${dim}|${date.slice(0, 7)}`;
  }

  private day(d: DateTime): ReportDay {
    return { date: d.toISODate()!, start: d.toMillis(), end: d.plus({ days: 1 }).toMillis() };
  }

  /**
   * The business days from `from` to `to`, memoized: the rollup job asks for
   * the same year of days on every step while it catches up (a fresh server
   * takes dozens of steps), and each list costs ~400 luxon DateTimes.
   */
  private days(from: string, to: string): readonly ReportDay[] {
    const key = `${this.deps.timeZone}|${from}|${to}`;
    const known = this.dayLists.get(key);
    if (known) return known;
    const days = Object.freeze(this.daysUncached(from, to));
    if (this.dayLists.size >= DAY_LISTS_MAX) this.dayLists.clear();
    this.dayLists.set(key, days);
    return days;
  }

  private daysUncached(from: string, to: string): ReportDay[] {
    const zone = this.deps.timeZone;
    const first = DateTime.fromISO(from, { zone }).startOf('day');
    const last = DateTime.fromISO(to, { zone }).startOf('day');
    if (!first.isValid || !last.isValid) throw errors.validation('from and to are dates: YYYY-MM-DD.');
    if (last < first) throw errors.validation('from must not be after to.');
    const out: ReportDay[] = [];
    for (let d = first; d <= last; d = d.plus({ days: 1 })) {
      if (out.length === REPORT_DAYS_MAX) throw errors.validation(`A report covers at most ${REPORT_DAYS_MAX} days.`);
      out.push(this.day(d));
    }
    return out;
  }
}
