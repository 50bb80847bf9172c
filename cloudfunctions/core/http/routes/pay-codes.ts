/** Pay with points at the till, the member's side: a dynamic code that holds points, its refresh, status and cancel. */
import { createRoute, z } from '@hono/zod-openapi';
import { PayCodeInput } from '../../services/member-inputs.js';
import { payCodeView } from '../../services/reward-views.js';
import { memberAuth } from '../auth.js';
import { byMember, limitBy } from '../rate-limit.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const HoldId = z.object({ holdId: z.string().min(1).max(64) });

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

const route = <T extends Parameters<typeof createRoute>[0]>(r: T) => createRoute({ security, tags: ['member'], ...r });

const create = route({
  method: 'post',
  path: '/api/member/pay-codes',
  summary: 'A dynamic code holding N points (or all available) for 120 s',
  request: { body: jsonBody(PayCodeInput) },
  responses: { 200: jsonResponse(CodeSchema, 'the code'), ...errorResponses(400, 401, 403, 409, 415, 429) },
});
const refresh = route({
  method: 'post',
  path: '/api/member/pay-codes/{holdId}/refresh',
  summary: 'A new code for the same hold (the old one stops working) and another 120 s',
  request: { params: HoldId },
  responses: { 200: jsonResponse(CodeSchema, 'the new code'), ...errorResponses(401, 403, 404, 409, 410, 429) },
});
const cancel = route({
  method: 'post',
  path: '/api/member/pay-codes/{holdId}/void',
  summary: 'Cancel my code: the held points are free again at once (the member may always void their own)',
  request: { params: HoldId },
  responses: {
    200: jsonResponse(z.object({ holdId: z.string(), status: z.literal('released') }), 'released'),
    ...errorResponses(401, 404, 409, 429),
  },
});
const status = route({
  method: 'get',
  path: '/api/member/pay-codes/{holdId}',
  summary: 'Whether the till captured the code yet',
  request: { params: HoldId },
  responses: { 200: jsonResponse(StatusSchema, 'the status'), ...errorResponses(401, 404) },
});

export function payCodeRoutes(app: App, s: Services): void {
  const withIso = <T extends { expiresAt: number }>(v: T) => payCodeView(v, s.config.timeZone);

  app.use('/api/member/pay-codes', memberAuth(s), limitBy(s, 'payCode', byMember));
  app.use('/api/member/pay-codes/*', memberAuth(s), limitBy(s, 'payCode', byMember));
  app.openapi(create, async (c) =>
    c.json(withIso(await s.till.createCode(c.get('memberId'), c.req.valid('json').points ?? null)), 200),
  );
  app.openapi(refresh, async (c) =>
    c.json(withIso(await s.till.refresh(c.get('memberId'), c.req.valid('param').holdId)), 200),
  );
  app.openapi(cancel, async (c) => c.json(await s.till.voidOwn(c.get('memberId'), c.req.valid('param').holdId), 200));
  app.openapi(status, async (c) =>
    c.json(withIso(await s.till.status(c.get('memberId'), c.req.valid('param').holdId)), 200),
  );
}
