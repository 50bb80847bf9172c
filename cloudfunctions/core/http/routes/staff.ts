import { createRoute, z } from '@hono/zod-openapi';
import { DomainError, errors } from '../../domain/errors.js';
import { isoInZone } from '../../domain/time.js';
import { assertStoreScope } from '../../services/staff.js';
import { verifyVoucher } from '../../services/voucher-verify.js';
import { staffAuth } from '../auth.js';
import { byCaller, limitBy } from '../rate-limit.js';
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

const wxacode = createRoute({
  method: 'get',
  path: '/api/staff/claims/{ticket}/wxacode',
  tags: ['staff'],
  security,
  summary: 'The ticket as a real mini-program code (wxacode.getUnlimited, scene = ticket); not in sandbox',
  request: { params: z.object({ ticket: z.string().regex(/^[A-Z2-9]{16}$/, 'not a ticket id') }) },
  responses: {
    200: { description: 'PNG', content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...errorResponses(400, 401, 403, 404, 502, 503),
  },
});

const verifyVoucherRoute = createRoute({
  method: 'post',
  path: '/api/staff/vouchers/verify',
  tags: ['staff'],
  security,
  summary: 'Mark a voucher used, exactly once, at a store its reward allows',
  request: { body: jsonBody(z.object({ code: z.string().trim().min(4).max(32) })) },
  responses: {
    200: jsonResponse(
      z.object({
        voucherId: z.string(),
        rewardId: z.string(),
        rewardName: z.string(),
        points: z.number().int(),
        usedAt: z.string(),
      }),
      'used',
    ),
    ...errorResponses(400, 401, 403, 404, 409, 410, 415),
  },
});

const whoAmI = createRoute({
  method: 'get',
  path: '/api/staff/me',
  tags: ['staff'],
  security,
  summary: 'Who this staff token belongs to: the app checks it at sign-in and shows it',
  responses: {
    200: jsonResponse(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.enum(['hq', 'cashier', 'manager']),
        storeId: z.string().nullable(),
        storeName: z.string().nullable(),
      }),
      'the caller',
    ),
    ...errorResponses(401),
  },
});

export function staffRoutes(app: App, s: Services): void {
  app.use('/api/staff/*', staffAuth(s));
  app.use('/api/staff/claims', limitBy(s, 'till', byCaller));
  app.use('/api/staff/vouchers/verify', limitBy(s, 'till', byCaller));
  app.openapi(whoAmI, async (c) => {
    const caller = c.get('caller');
    const store = caller.storeId === null ? null : await s.store.getStore(caller.storeId);
    return c.json({ ...caller, name: caller.name ?? caller.id, storeName: store?.name ?? null }, 200);
  });
  app.openapi(createClaim, async (c) => {
    const t = await s.claims.createTicket(c.get('caller'), c.req.valid('json'));
    return c.json({ ...t, expiresAt: isoInZone(t.expiresAt, s.config.timeZone) }, 201);
  });

  app.openapi(verifyVoucherRoute, async (c) => {
    const r = await verifyVoucher(
      { store: s.store, clock: s.clock, webhooks: s.webhooks },
      c.get('caller'),
      c.req.valid('json').code,
    );
    return c.json({ ...r, usedAt: isoInZone(r.usedAt, s.config.timeZone) }, 200);
  });

  app.openapi(wxacode, async (c) => {
    const { ticket } = c.req.valid('param');
    const row = await s.store.getTicket(ticket);
    if (!row) throw errors.notFound('Claim ticket');
    assertStoreScope(c.get('caller'), row.storeId);
    if (!s.wechat)
      throw new DomainError('NOT_CONFIGURED', 'Mini-program codes need WeChat credentials (not in sandbox).', 503);
    const png = await s.wechat.unlimitedCode({ scene: ticket, page: 'pages/claim/index' });
    return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
  });
}
