/** The daily report as the console reads it (GET /api/admin/reports/daily). */
import { api } from './api';

export interface ReportRow {
  date: string;
  group: string | null;
  issued: number;
  redeemed: number;
  expired: number;
  adjusted: number;
  activeMembers: number;
  liabilityPoints: number | null;
  liabilityFen: number | null;
}
export interface Report {
  rows: ReportRow[];
  /** The liability is null in a manager's report: it is the chain's, not a store's. */
  totals: Omit<ReportRow, 'date' | 'group'>;
}
export type GroupBy = 'store' | 'region' | 'tier' | null;

export const reportPath = (from: string, to: string, groupBy: GroupBy, csv = false) =>
  `/api/admin/reports/daily?from=${from}&to=${to}${groupBy ? `&groupBy=${groupBy}` : ''}${csv ? '&format=csv' : ''}`;

export const loadReport = (from: string, to: string, groupBy: GroupBy) =>
  api<Report>('GET', reportPath(from, to, groupBy));

/**
 * One row per day, whatever the grouping (a manager's report is by store):
 * each day's groups added up. Active members add up exactly only when the
 * day has one group, so a manager of several stores sees the stores' sum.
 */
export function perDay(report: Report): ReportRow[] {
  const days = new Map<string, ReportRow>();
  for (const r of report.rows) {
    const d = days.get(r.date);
    days.set(
      r.date,
      d
        ? {
            ...d,
            issued: d.issued + r.issued,
            redeemed: d.redeemed + r.redeemed,
            expired: d.expired + r.expired,
            adjusted: d.adjusted + r.adjusted,
            activeMembers: d.activeMembers + r.activeMembers,
          }
        : { ...r, group: null },
    );
  }
  return [...days.values()];
}

export const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`;
export const pts = (n: number) => n.toLocaleString('zh-CN');
