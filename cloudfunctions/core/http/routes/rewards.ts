import { createRoute, z } from '@hono/zod-openapi';
import { RedeemInput } from '../../services/member-inputs.js';
import { memberAuth } from '../auth.js';
import { byMember, limitBy } from '../rate-limit.js';
import type { App, Services } from '../context.js';
import { RewardSchema, rewardView, VoucherSchema, voucherView } from '../reward-schemas.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];

const list = createRoute({
  method: 'get',
  path: '/api/rewards',
  tags: ['member'],
  security,
  summary: 'The rewards a member can redeem',
  responses: { 200: jsonResponse(z.object({ items: z.array(RewardSchema) }), 'the catalog'), ...errorResponses(401) },
});

const redeem = createRoute({
  method: 'post',
  path: '/api/member/redeem',
  tags: ['member'],
  security,
  summary: 'One-tap redemption; the same requestId gives the same voucher, once',
  request: {
    body: jsonBody(RedeemInput),
  },
  responses: {
    200: jsonResponse(z.object({ voucher: VoucherSchema, balance: z.number().int() }), 'the voucher'),
    ...errorResponses(400, 401, 403, 404, 409, 410, 415),
  },
});

const vouchers = createRoute({
  method: 'get',
  path: '/api/member/vouchers',
  tags: ['member'],
  security,
  summary: "The member's vouchers, newest first",
  responses: { 200: jsonResponse(z.object({ items: z.array(VoucherSchema) }), 'vouchers'), ...errorResponses(401) },
});

const voucher = createRoute({
  method: 'get',
  path: '/api/member/vouchers/{voucherId}',
  tags: ['member'],
  security,
  summary: 'One of my vouchers, with its QR code while it can be used',
  request: { params: z.object({ voucherId: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(VoucherSchema, 'the voucher'), ...errorResponses(401, 404) },
});

const cancel = createRoute({
  method: 'post',
  path: '/api/member/vouchers/{voucherId}/cancel',
  tags: ['member'],
  security,
  summary: 'Cancel an unused voucher: its points come back',
  request: { params: z.object({ voucherId: z.string().min(1).max(64) }) },
  responses: {
    200: jsonResponse(z.object({ voucher: VoucherSchema, balance: z.number().int() }), 'cancelled'),
    ...errorResponses(401, 404, 409),
  },
});

export function rewardRoutes(app: App, s: Services): void {
  const tz = s.config.timeZone;
  const balanceOf = async (memberId: string) => (await s.store.getAccount(memberId))?.balance ?? 0;

  app.use('/api/rewards', memberAuth(s));
  app.openapi(list, async (c) =>
    c.json({ items: (await s.store.listRewards(true)).map((r) => rewardView(r, tz)) }, 200),
  );

  app.use('/api/member/redeem', memberAuth(s), limitBy(s, 'redeem', byMember));
  app.openapi(redeem, async (c) => {
    const memberId = c.get('memberId');
    const { rewardId, requestId } = c.req.valid('json');
    const posted = await s.redemptions.redeem(memberId, rewardId, requestId);
    if (posted.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ voucher: voucherView(posted.result, tz), balance: await balanceOf(memberId) }, 200);
  });

  app.use('/api/member/vouchers', memberAuth(s));
  app.use('/api/member/vouchers/*', memberAuth(s));
  app.openapi(vouchers, async (c) => {
    const items = (await s.redemptions.list(c.get('memberId'))).map((v) => voucherView(v, tz));
    return c.json({ items }, 200);
  });
  app.openapi(voucher, async (c) =>
    c.json(voucherView(await s.redemptions.one(c.get('memberId'), c.req.valid('param').voucherId), tz), 200),
  );
  app.openapi(cancel, async (c) => {
    const memberId = c.get('memberId');
    const v = await s.redemptions.cancel(memberId, c.req.valid('param').voucherId);
    return c.json({ voucher: voucherView(v, tz), balance: await balanceOf(memberId) }, 200);
  });
}
