/**
 * Reconciliation (services/reconciliation.ts), HQ only: the runs and their
 * flags, a day run again by hand, and one order re-checked with its platform.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { DateTime } from 'luxon';
import { BILL_TIME_ZONE, runView } from '../../services/reconciliation.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, 'a calendar date');
const ChannelSchema = z.enum(['wechatpay', 'alipay']);

const FlagSchema = z.object({
  kind: z.enum(['amount_mismatch', 'missing_from_bill', 'not_paid_on_platform', 'refund_missing']),
  tradeNo: z.string(),
  outTradeNo: z.string().nullable(),
  billFen: z.number().int().nullable(),
  ourFen: z.number().int().nullable(),
  line: z.number().int().nullable(),
});

const RunSchema = z
  .object({
    id: z.string(),
    channel: ChannelSchema,
    date: z.string(),
    status: z.enum(['done', 'failed']),
    by: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    attempts: z.number().int(),
    error: z.string().nullable(),
    billRows: z.number().int(),
    declaredRows: z.number().int().nullable(),
    matched: z.number().int(),
    duplicates: z.number().int(),
    refunds: z.number().int(),
    compensated: z.array(
      z.object({
        tradeNo: z.string(),
        outTradeNo: z.string().nullable(),
        amountFen: z.number().int(),
        result: z.string(),
      }),
    ),
    flags: z.array(FlagSchema),
  })
  .openapi('ReconciliationRun');

const list = createRoute({
  method: 'get',
  path: '/api/admin/reconciliation',
  tags: ['admin'],
  security,
  summary:
    'Reconciliation runs against the payment bills, newest first (default: the last 30 days), and which channels can run',
  request: { query: z.object({ from: Day.optional(), to: Day.optional(), channel: ChannelSchema.optional() }) },
  responses: {
    200: jsonResponse(
      z.object({
        channels: z.array(z.object({ channel: ChannelSchema, enabled: z.boolean(), reason: z.string().nullable() })),
        runs: z.array(RunSchema),
      }),
      'the runs',
    ),
    ...errorResponses(400, 401, 403),
  },
});

const run = createRoute({
  method: 'post',
  path: '/api/admin/reconciliation/runs',
  tags: ['admin'],
  security,
  summary: "Reconcile a channel's day now (a day run again replaces its run; compensations are never doubled)",
  request: { body: jsonBody(z.object({ channel: ChannelSchema, date: Day })) },
  responses: { 200: jsonResponse(RunSchema, 'the run, done or failed'), ...errorResponses(400, 401, 403, 409, 415) },
});

const recheck = createRoute({
  method: 'post',
  path: '/api/admin/reconciliation/orders',
  tags: ['admin'],
  security,
  summary: 'Re-check one order with its platform: compensated if we never heard of it, flagged if the amount differs',
  request: { body: jsonBody(z.object({ channel: ChannelSchema, tradeNo: z.string().min(1).max(64) })) },
  responses: {
    200: jsonResponse(
      z.object({
        status: z.enum(['matched', 'compensated', 'amount_mismatch', 'not_paid_on_platform']),
        flag: FlagSchema.optional(),
      }),
      'what the platform says',
    ),
    ...errorResponses(400, 401, 403, 409, 415, 502),
  },
});

export function reconciliationRoutes(app: App, s: Services): void {
  const view = (r: Parameters<typeof runView>[0]) => runView(r, s.config.timeZone);
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const today = DateTime.fromMillis(s.clock(), { zone: BILL_TIME_ZONE });
    const from = q.from ?? today.minus({ days: 30 }).toISODate()!;
    const to = q.to ?? today.toISODate()!;
    const runs = await s.reconciliation.runs(from, to, q.channel ?? null);
    return c.json({ channels: s.reconciliation.channels(), runs: runs.map(view) }, 200);
  });
  app.openapi(run, async (c) => {
    const { channel, date } = c.req.valid('json');
    return c.json(view(await s.reconciliation.run(channel, date, c.get('callerId'))), 200);
  });
  app.openapi(recheck, async (c) => {
    const { channel, tradeNo } = c.req.valid('json');
    return c.json(await s.reconciliation.recheck(channel, tradeNo, c.get('callerId')), 200);
  });
}
