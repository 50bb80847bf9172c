import { createRoute, z } from '@hono/zod-openapi';
import type { App, Services } from '../context.js';
import {
  RewardInputSchema,
  RewardPatchSchema,
  RewardSchema,
  rewardView,
  VoucherSchema,
  voucherView,
} from '../reward-schemas.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const RewardId = z.object({ rewardId: z.string().min(1).max(64) });
const VoucherId = z.object({ voucherId: z.string().min(1).max(64) });

const create = createRoute({
  method: 'post',
  path: '/api/admin/rewards',
  tags: ['admin'],
  security,
  summary: 'Add a reward (gift, coupon or points-as-cash); audited',
  request: { body: jsonBody(RewardInputSchema) },
  responses: { 201: jsonResponse(RewardSchema, 'the reward'), ...errorResponses(400, 401, 403, 415) },
});

const update = createRoute({
  method: 'patch',
  path: '/api/admin/rewards/{rewardId}',
  tags: ['admin'],
  security,
  summary: 'Change a reward (price, stock, window, active...); audited',
  request: { params: RewardId, body: jsonBody(RewardPatchSchema) },
  responses: { 200: jsonResponse(RewardSchema, 'the reward'), ...errorResponses(400, 401, 403, 404, 415) },
});

const all = createRoute({
  method: 'get',
  path: '/api/admin/rewards',
  tags: ['admin'],
  security,
  summary: 'Every reward, active or not',
  responses: {
    200: jsonResponse(z.object({ items: z.array(RewardSchema) }), 'the catalog'),
    ...errorResponses(401, 403),
  },
});

const queue = createRoute({
  method: 'get',
  path: '/api/admin/redemptions/review',
  tags: ['admin'],
  security,
  summary: 'Redemptions waiting for review (their points are held)',
  responses: {
    200: jsonResponse(z.object({ items: z.array(VoucherSchema) }), 'the queue'),
    ...errorResponses(401, 403),
  },
});

const decide = (verb: 'approve' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/api/admin/redemptions/{voucherId}/${verb}`,
    tags: ['admin'],
    security,
    summary:
      verb === 'approve'
        ? 'Approve: the held points are taken, the voucher issued'
        : 'Reject: the held points and the stock come back',
    request: { params: VoucherId },
    responses: { 200: jsonResponse(VoucherSchema, 'the voucher'), ...errorResponses(401, 403, 404, 409) },
  });

export function rewardAdminRoutes(app: App, s: Services): void {
  const tz = s.config.timeZone;
  app.openapi(create, async (c) =>
    c.json(rewardView(await s.catalog.create(c.get('callerId'), c.req.valid('json')), tz), 201),
  );
  app.openapi(update, async (c) =>
    c.json(
      rewardView(await s.catalog.update(c.get('callerId'), c.req.valid('param').rewardId, c.req.valid('json')), tz),
      200,
    ),
  );
  app.openapi(all, async (c) =>
    c.json({ items: (await s.store.listRewards(false)).map((r) => rewardView(r, tz)) }, 200),
  );
  app.openapi(queue, async (c) => {
    const items = await Promise.all(
      (await s.store.vouchersInReview(100)).map(async (v) =>
        voucherView(await s.redemptions.view(v, { qr: false }), tz),
      ),
    );
    return c.json({ items }, 200);
  });
  for (const verb of ['approve', 'reject'] as const) {
    app.openapi(decide(verb), async (c) =>
      c.json(
        voucherView(
          await s.redemptions.review(c.get('callerId'), c.req.valid('param').voucherId, verb === 'approve'),
          tz,
        ),
        200,
      ),
    );
  }
}
