/**
 * A batch grant's CSV (DESIGN "Batch grants"): a header `member,points,reason`
 * and one row per grant. `member` is a member id or an 11-digit mainland
 * phone; `points` a whole number, positive to grant and negative to deduct,
 * never 0; `reason` required. Every malformed line is reported with its line
 * number, so the whole batch is refused up front and the operator fixes the
 * file once.
 */
import { parse } from 'csv-parse/sync';
import { MAX_AMOUNT } from './amounts.js';

export interface BatchRow {
  /** The file's line number (the header is line 1). */
  line: number;
  member: string;
  points: number;
  reason: string;
}

export interface ParsedBatch {
  rows: BatchRow[];
  errors: { line: number; message: string }[];
}

export const BATCH_ROWS_MAX = 200_000;
/** Errors reported at most: enough to fix a file, not a second copy of it. */
export const BATCH_ERRORS_MAX = 200;

const PHONE = /^1[3-9]\d{9}$/;
const MEMBER_ID = /^m_[0-9a-z]{4,40}$/;

export function parseBatchCsv(text: string): ParsedBatch {
  const errors: ParsedBatch['errors'] = [];
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false, trim: true });
  } catch (e) {
    return {
      rows: [],
      errors: [{ line: (e as { lines?: number }).lines ?? 1, message: `Not CSV: ${(e as Error).message}` }],
    };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  if (header.join(',') !== 'member,points,reason') {
    return { rows: [], errors: [{ line: 1, message: 'The first line must be the header member,points,reason.' }] };
  }
  const rows: BatchRow[] = [];
  records.slice(1).forEach((r, i) => {
    const line = i + 2;
    if (r.length === 1 && r[0] === '') return; // a blank line
    const fail = (message: string) => void (errors.length < BATCH_ERRORS_MAX && errors.push({ line, message }));
    if (r.length !== 3) return fail(`Expected 3 fields (member,points,reason), found ${r.length}.`);
    const [member, pointsText, reason] = r as [string, string, string];
    const phone = member.replace(/^(\+?86)/, '');
    if (!PHONE.test(phone) && !MEMBER_ID.test(member))
      return fail(`"${member}" is neither a member id nor a mobile number.`);
    if (!/^-?\d{1,9}$/.test(pointsText) || Number(pointsText) === 0) {
      return fail(`Points must be a whole number other than 0, not "${pointsText}".`);
    }
    const points = Number(pointsText);
    if (Math.abs(points) > MAX_AMOUNT) return fail(`At most ${MAX_AMOUNT} points a line.`);
    if (reason === '' || reason.length > 200) return fail('A reason of 1 to 200 characters is required.');
    rows.push({ line, member: PHONE.test(phone) ? phone : member, points, reason });
  });
  if (rows.length + errors.length === 0) errors.push({ line: 2, message: 'The file has no rows.' });
  if (rows.length > BATCH_ROWS_MAX)
    errors.push({ line: BATCH_ROWS_MAX + 2, message: `At most ${BATCH_ROWS_MAX} rows a batch.` });
  return { rows, errors };
}
