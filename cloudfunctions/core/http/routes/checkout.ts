/**
 * Pay with points at the till, the store's side: scan a member's code (it
 * becomes this store's), capture what the bill allows, void a scanned code,
 * and (managers and HQ) refund a points payment.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { MAX_AMOUNT } from '../../domain/amounts.js';
import { isoInZone } from '../../domain/time.js';
import { staffAuth } from '../auth.js';
import { byCaller, limitBy } from '../rate-limit.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const PayCode = z.string().regex(/^\d{18}$/, 'an 18-digit pay code');
const OrderNo = z.string().trim().min(1).max(64);

const route = <T extends Parameters<typeof createRoute>[0]>(r: T) =>
  createRoute({ security: [{ bearer: [] }], tags: ['staff'], ...r });

const scan = route({
  method: 'post',
  path: '/api/staff/checkout/scan',
  summary: "What a member's code holds; the code becomes this store's (only it may void it)",
  request: { body: jsonBody(z.object({ code: PayCode })) },
  responses: {
    200: jsonResponse(
      z.object({ holdId: z.string(), points: z.number().int(), expiresAt: z.string(), status: z.literal('open') }),
      'the code',
    ),
    ...errorResponses(400, 401, 403, 404, 409, 410, 415, 429),
  },
});
const capture = route({
  method: 'post',
  path: '/api/staff/checkout/capture',
  summary: 'Deduct points for an order from a scanned code: once per order number',
  request: {
    body: jsonBody(z.object({ code: PayCode, orderNo: OrderNo, amountFen: z.number().int().min(1).max(MAX_AMOUNT) })),
  },
  responses: {
    200: jsonResponse(
      z.object({ orderNo: z.string(), points: z.number().int(), discountFen: z.number().int() }),
      'captured',
    ),
    ...errorResponses(400, 401, 403, 404, 409, 410, 415, 429),
  },
});
const voidCode = route({
  method: 'post',
  path: '/api/staff/checkout/void',
  summary: 'Release a code this store scanned, without charging it',
  request: { body: jsonBody(z.object({ code: PayCode })) },
  responses: {
    200: jsonResponse(z.object({ holdId: z.string(), status: z.literal('released') }), 'released'),
    ...errorResponses(400, 401, 403, 404, 409, 415, 429),
  },
});
const refund = route({
  method: 'post',
  path: '/api/staff/checkout/refund',
  summary: "The order's bill was refunded: give its points back, once (a manager of the capturing store, or HQ)",
  request: {
    body: jsonBody(
      z.object({
        orderNo: OrderNo,
        storeId: z
          .string()
          .regex(/^[\w-]{1,32}$/)
          .optional()
          .openapi({ description: 'HQ only: the store the order was paid at' }),
        reason: z.string().trim().min(1).max(200).optional().openapi({ description: 'kept in the audit log' }),
      }),
    ),
  },
  responses: {
    200: jsonResponse(z.object({ orderNo: z.string(), points: z.number().int() }), 'returned'),
    ...errorResponses(400, 401, 403, 404, 410, 415),
  },
});

export function checkoutRoutes(app: App, s: Services): void {
  app.use('/api/staff/checkout/*', staffAuth(s), limitBy(s, 'till', byCaller));
  app.openapi(scan, async (c) => {
    const r = await s.till.scan(c.get('caller'), c.req.valid('json').code);
    return c.json({ ...r, expiresAt: isoInZone(r.expiresAt, s.config.timeZone) }, 200);
  });
  app.openapi(capture, async (c) => {
    const { replayed, ...r } = await s.till.capture(c.get('caller'), c.req.valid('json'));
    if (replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(r, 200);
  });
  app.openapi(voidCode, async (c) => c.json(await s.till.void(c.get('caller'), c.req.valid('json').code), 200));
  app.openapi(refund, async (c) => c.json(await s.till.refundOrder(c.get('caller'), c.req.valid('json')), 200));
}
