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
  totals: Omit<ReportRow, 'date' | 'group' | 'liabilityPoints' | 'liabilityFen'> & {
    liabilityPoints: number;
    liabilityFen: number;
  };
}
export type GroupBy = 'store' | 'region' | 'tier' | null;

export const reportPath = (from: string, to: string, groupBy: GroupBy, csv = false) =>
  `/api/admin/reports/daily?from=${from}&to=${to}${groupBy ? `&groupBy=${groupBy}` : ''}${csv ? '&format=csv' : ''}`;

export const loadReport = (from: string, to: string, groupBy: GroupBy) =>
  api<Report>('GET', reportPath(from, to, groupBy));

export const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`;
export const pts = (n: number) => n.toLocaleString('zh-CN');
