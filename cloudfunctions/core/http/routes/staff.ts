import { createRoute, z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/time.js';
import { staffAuth } from '../auth.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];

const ClaimTicketSchema = z
  .object({
    ticket: z.string().openapi({ description: 'single use, 24 h; fits a mini-program code scene' }),
    expiresAt: z.string(),
    link: z.string().openapi({ description: 'opens the claim page of the H5 app' }),
    qr: z.string().openapi({ description: 'SVG data URL of the link, for the checkout screen' }),
  })
  .openapi('ClaimTicket');

const createClaim = createRoute({
  method: 'post',
  path: '/api/staff/claims',
  tags: ['staff'],
  security,
  summary: 'A claim ticket and QR for an order, paid or about to be',
  request: {
    body: jsonBody(
      z.object({
        channel: z.enum(['wechatpay', 'alipay']),
        outTradeNo: z.string().trim().min(1).max(64),
      }),
    ),
  },
  responses: { 201: jsonResponse(ClaimTicketSchema, 'the ticket'), ...errorResponses(400, 401, 403, 409, 415) },
});

export function staffRoutes(app: App, s: Services): void {
  app.use('/api/staff/*', staffAuth(s));
  app.openapi(createClaim, async (c) => {
    const t = await s.claims.createTicket(c.get('caller'), c.req.valid('json'));
    return c.json({ ...t, expiresAt: isoInZone(t.expiresAt, s.config.timeZone) }, 201);
  });
}
