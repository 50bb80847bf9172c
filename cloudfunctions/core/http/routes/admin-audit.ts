/**
 * The audit log's reader (HQ): every manual and configuration action with
 * who, when, what, before and after, newest first; filtered by business days
 * and actor; paged, or the whole selection as CSV. The log itself is
 * append-only (an immutable table on SQL; only appended to on CloudBase).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { DateTime } from 'luxon';
import { errors } from '../../domain/errors.js';
import { isoInZone } from '../../domain/time.js';
import type { AuditEntry } from '../../store/port.js';
import type { App, Services } from '../context.js';
import { csvResponse } from '../csv.js';
import { errorResponses } from '../schemas.js';

const security = [{ bearer: [] }];
/** Rows one CSV export holds at most: a year of a busy chain's manual work, not an unbounded dump. */
export const AUDIT_CSV_MAX = 50_000;
const PAGE = 50;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

const AuditItemSchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditItem');

const audit = createRoute({
  method: 'get',
  path: '/api/admin/audit',
  tags: ['admin'],
  security,
  summary:
    'The audit log, newest first: ?from=&to= (business days, inclusive) &actor= &cursor= &limit=; &format=csv for all of it',
  request: {
    query: z.object({
      from: Day.optional(),
      to: Day.optional(),
      actor: z.string().min(1).max(100).optional(),
      cursor: z.string().regex(/^\d+$/).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
      format: z.enum(['json', 'csv']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'one page, or the CSV',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(AuditItemSchema), nextCursor: z.string().nullable() }),
        },
        'text/csv': { schema: z.string() },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

export function auditRoutes(app: App, s: Services): void {
  const tz = s.config.timeZone;
  const dayStart = (day: string) => {
    const d = DateTime.fromISO(day, { zone: tz });
    if (!d.isValid) throw errors.validation(`${day} is not a date.`);
    return d.startOf('day').toMillis();
  };
  const item = (e: AuditEntry) => ({
    id: e.id,
    at: isoInZone(e.createdAt, tz),
    actor: e.actor,
    action: e.action,
    target: e.subject,
    before: e.detail.before ?? null,
    after: e.detail.after ?? null,
    detail: e.detail,
  });

  app.openapi(audit, async (c) => {
    const q = c.req.valid('query');
    const from = q.from ? dayStart(q.from) : null;
    const to = q.to ? DateTime.fromMillis(dayStart(q.to), { zone: tz }).plus({ days: 1 }).toMillis() : null;
    if (from !== null && to !== null && from >= to) throw errors.validation('from must not be after to.');
    const base = { from, to, actor: q.actor ?? null };
    if (q.format === 'csv') {
      const rows: AuditEntry[] = [];
      let beforeId: number | null = null;
      while (rows.length < AUDIT_CSV_MAX) {
        const page = await s.store.auditLog({ ...base, beforeId, limit: 1_000 });
        rows.push(...page);
        if (page.length < 1_000) break;
        beforeId = page.at(-1)!.id;
      }
      const json = (v: unknown) => (v === undefined || v === null ? '' : JSON.stringify(v));
      return csvResponse(
        c,
        `audit-${q.from ?? 'start'}-${q.to ?? 'now'}.csv`,
        ['时间', '操作人', '操作', '对象', '变更前', '变更后', '详情'],
        rows.slice(0, AUDIT_CSV_MAX).map((e) => {
          const i = item(e);
          return [i.at, i.actor, i.action, i.target, json(i.before), json(i.after), json(i.detail)];
        }),
      ) as never;
    }
    const limit = q.limit ?? PAGE;
    const page = await s.store.auditLog({ ...base, beforeId: q.cursor ? Number(q.cursor) : null, limit: limit + 1 });
    const items = page.slice(0, limit).map(item);
    return c.json({ items, nextCursor: page.length > limit ? String(items.at(-1)!.id) : null }, 200);
  });
}
