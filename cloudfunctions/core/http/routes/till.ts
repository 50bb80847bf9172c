/** Pay with points at the till: the member's dynamic code, and the cashier's capture, void and refund. */
import { createRoute, z } from '@hono/zod-openapi';
import { MAX_AMOUNT } from '../../domain/amounts.js';
import { PayCodeInput } from '../../services/member-inputs.js';
import { payCodeView } from '../../services/reward-views.js';
import { memberAuth, staffAuth } from '../auth.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const HoldId = z.object({ holdId: z.string().min(1).max(64) });
const PayCode = z.string().regex(/^\d{18}$/, 'an 18-digit pay code');

const CodeSchema = z.object({
  holdId: z.string(),
  code: z.string().openapi({ description: '18 digits, for a barcode and the QR' }),
  qr: z.string().openapi({ description: 'SVG data URL of the code as a QR' }),
  barcode: z.string().openapi({ description: 'SVG data URL of the code as a Code 128 barcode' }),
  points: z.number().int(),
  expiresAt: z.string(),
});
const StatusSchema = z.object({
  holdId: z.string(),
  status: z.enum(['open', 'captured', 'released', 'expired']),
  points: z.number().int(),
  expiresAt: z.string(),
});

const route = <T extends Parameters<typeof createRoute>[0]>(r: T) => createRoute({ security, ...r });

const create = route({
  method: 'post',
  path: '/api/member/pay-codes',
  tags: ['member'],
  summary: 'A dynamic code holding N points (or all available) for 120 s',
  request: { body: jsonBody(PayCodeInput) },
  responses: { 200: jsonResponse(CodeSchema, 'the code'), ...errorResponses(400, 401, 409, 415) },
});
const refresh = route({
  method: 'post',
  path: '/api/member/pay-codes/{holdId}/refresh',
  tags: ['member'],
  summary: 'A new code for the same hold (the old one stops working) and another 120 s',
  request: { params: HoldId },
  responses: { 200: jsonResponse(CodeSchema, 'the new code'), ...errorResponses(401, 404, 409, 410) },
});
const status = route({
  method: 'get',
  path: '/api/member/pay-codes/{holdId}',
  tags: ['member'],
  summary: 'Whether the till captured the code yet',
  request: { params: HoldId },
  responses: { 200: jsonResponse(StatusSchema, 'the status'), ...errorResponses(401, 404) },
});
const capture = route({
  method: 'post',
  path: '/api/staff/checkout/capture',
  tags: ['staff'],
  summary: 'Deduct points for an order from a scanned code: once per order number',
  request: {
    body: jsonBody(
      z.object({
        code: PayCode,
        orderNo: z.string().trim().min(1).max(64),
        amountFen: z.number().int().min(1).max(MAX_AMOUNT),
      }),
    ),
  },
  responses: {
    200: jsonResponse(
      z.object({ orderNo: z.string(), points: z.number().int(), discountFen: z.number().int() }),
      'captured',
    ),
    ...errorResponses(400, 401, 403, 404, 409, 410, 415),
  },
});
const voidCode = route({
  method: 'post',
  path: '/api/staff/checkout/void',
  tags: ['staff'],
  summary: 'Release a scanned code without charging it',
  request: { body: jsonBody(z.object({ code: PayCode })) },
  responses: {
    200: jsonResponse(z.object({ holdId: z.string(), status: z.literal('released') }), 'released'),
    ...errorResponses(400, 401, 404, 409),
  },
});
const refund = route({
  method: 'post',
  path: '/api/staff/checkout/refund',
  tags: ['staff'],
  summary: 'The order was refunded: give its points back, once',
  request: {
    body: jsonBody(
      z.object({
        orderNo: z.string().trim().min(1).max(64),
        storeId: z
          .string()
          .regex(/^[\w-]{1,32}$/)
          .optional()
          .openapi({ description: 'HQ only: the store the order was paid at' }),
      }),
    ),
  },
  responses: {
    200: jsonResponse(z.object({ orderNo: z.string(), points: z.number().int() }), 'returned'),
    ...errorResponses(400, 401, 404),
  },
});

export function tillRoutes(app: App, s: Services): void {
  const tz = s.config.timeZone;
  const withIso = <T extends { expiresAt: number }>(v: T) => payCodeView(v, tz);

  app.use('/api/member/pay-codes', memberAuth(s));
  app.use('/api/member/pay-codes/*', memberAuth(s));
  app.openapi(create, async (c) =>
    c.json(withIso(await s.till.createCode(c.get('memberId'), c.req.valid('json').points ?? null)), 200),
  );
  app.openapi(refresh, async (c) =>
    c.json(withIso(await s.till.refresh(c.get('memberId'), c.req.valid('param').holdId)), 200),
  );
  app.openapi(status, async (c) =>
    c.json(withIso(await s.till.status(c.get('memberId'), c.req.valid('param').holdId)), 200),
  );

  app.use('/api/staff/checkout/*', staffAuth(s));
  app.openapi(capture, async (c) => {
    const { replayed, ...r } = await s.till.capture(c.get('caller'), c.req.valid('json'));
    if (replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(r, 200);
  });
  app.openapi(voidCode, async (c) => c.json(await s.till.void(c.req.valid('json').code), 200));
  app.openapi(refund, async (c) => {
    const { orderNo, storeId } = c.req.valid('json');
    return c.json(await s.till.refundOrder(c.get('caller'), orderNo, storeId), 200);
  });
}
