/**
 * CSV answers for the console's exports: a header row, UTF-8 with a BOM
 * (Excel on Chinese Windows opens it as UTF-8 only then), and every cell
 * that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start: a member's text can carry one) prefixed with a quote (OWASP's
 * advice against CSV injection). Numbers stay numbers.
 */
import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';

const FORMULA = /^[=+\-@\t\r]/;

export const safeCell = (v: unknown): string | number =>
  typeof v === 'number'
    ? v
    : v === null || v === undefined
      ? ''
      : FORMULA.test(String(v))
        ? `'${String(v)}`
        : String(v);

export function csvResponse(c: Context, filename: string, header: string[], rows: unknown[][]): Response {
  const body = '\uFEFF' + stringify([header, ...rows.map((r) => r.map(safeCell))]);
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  });
}
