/** GET /api/admin/reports/daily (DESIGN "Reports"): by day, optionally by store, region or tier; JSON or CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import type { App, Services } from '../context.js';
import { errors } from '../../domain/errors.js';
import { csvResponse } from '../csv.js';
import { storesOf } from '../role-matrix.js';
import { errorResponses } from '../schemas.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Row = z.object({
  date: z.string(),
  group: z.string().nullable(),
  issued: z.number().int(),
  redeemed: z.number().int(),
  expired: z.number().int(),
  adjusted: z.number().int(),
  activeMembers: z.number().int(),
  liabilityPoints: z.number().int().nullable(),
  liabilityFen: z.number().int().nullable(),
});

const daily = createRoute({
  method: 'get',
  path: '/api/admin/reports/daily',
  tags: ['admin'],
  security: [{ bearer: [] }],
  summary:
    'Points issued, redeemed, expired and adjusted, active members and liability, per business day (up to 367), optionally per store, region or tier; &format=csv. A store manager gets their stores only, by store, without the chain-wide liability',
  request: {
    query: z.object({
      from: Day,
      to: Day,
      groupBy: z.enum(['store', 'region', 'tier']).optional(),
      format: z.enum(['json', 'csv']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'the report',
      content: {
        'application/json': {
          schema: z
            .object({
              rows: z.array(Row),
              totals: Row.omit({ date: true, group: true }),
            })
            .openapi('DailyReport'),
        },
        'text/csv': { schema: z.string() },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

export function reportRoutes(app: App, s: Services): void {
  app.openapi(daily, async (c) => {
    const q = c.req.valid('query');
    const mine = storesOf(c.get('operator'));
    if (mine && q.groupBy && q.groupBy !== 'store') {
      throw errors.forbidden('A store manager’s report is by store: their own stores only.');
    }
    const report = await s.reports.daily(q.from, q.to, q.groupBy ?? null, mine);
    if (q.format !== 'csv') return c.json(report, 200);
    const yuan = (fen: number | null) => (fen === null ? '' : (fen / 100).toFixed(2));
    return csvResponse(
      c,
      `report-${q.from}-${q.to}${q.groupBy ? `-${q.groupBy}` : ''}.csv`,
      ['日期', '分组', '发放积分', '兑换积分', '过期积分', '调整积分', '活跃会员', '负债积分', '负债金额（元）'],
      report.rows.map((r) => [
        r.date,
        r.group ?? '',
        r.issued,
        r.redeemed,
        r.expired,
        r.adjusted,
        r.activeMembers,
        r.liabilityPoints ?? '',
        yuan(r.liabilityFen),
      ]),
    ) as never;
  });
}
