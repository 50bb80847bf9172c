/**
 * Open API v1 for POS, ERP and CRM systems (DESIGN "Open API v1";
 * docs/open-api.md): signed requests (open-auth.ts), orders that earn
 * through the rules, refunds, member lookup, history and adjustments. A
 * key limited to stores acts for those stores only.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { errors } from '../../domain/errors.js';
import { adjustPoints } from '../../services/adjustments.js';
import { historyPage } from '../../services/history.js';
import { historyItem } from '../../services/history.js';
import { memberIdByPhone } from '../../services/member-import.js';
import { findMemberByPhone } from '../../services/members.js';
import { importDeps } from './admin.js';
import { assertKeyStore, type Integration } from '../../services/integrations.js';
import type { App, Services } from '../context.js';
import { openAuth } from '../open-auth.js';
import {
  AdjustBodySchema,
  errorResponses,
  HistoryItemSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  jsonBody,
  jsonResponse,
  MemberIdParamSchema,
  MemberViewSchema,
} from '../schemas.js';

const security = [{ openSignature: [] }];
const tags = ['open'];
const Phone = z.string().regex(/^(\+?86)?1[3-9]\d{9}$/, 'an 11-digit mainland mobile number');
const OrderNo = z.string().regex(/^[\w.:-]{1,64}$/, 'letters, digits and . _ : - only, at most 64');

const OrderBody = z
  .object({
    orderNo: OrderNo,
    storeId: z
      .string()
      .regex(/^[\w-]{1,32}$/)
      .openapi({ description: "a store's id, or HQ" }),
    member: z.union([z.object({ phone: Phone }).strict(), z.object({ memberId: z.string().min(1).max(64) }).strict()]),
    paidFen: z.number().int().min(0).max(100_000_000),
    paidAt: z.string().datetime({ offset: true }).optional(),
    items: z
      .array(
        z.object({
          sku: z.string().max(64).optional(),
          category: z.string().min(1).max(64),
          quantity: z.number().int().min(1).max(100_000).optional(),
          amountFen: z.number().int().min(0).max(100_000_000),
        }),
      )
      .max(200)
      .optional(),
  })
  .openapi('OpenOrder');

const order = createRoute({
  method: 'post',
  path: '/open/v1/orders',
  tags,
  security,
  summary:
    'An order paid at a till: points through the earning rules (channel open), once per (key, orderNo); a phone not yet a member becomes one',
  request: { body: jsonBody(OrderBody) },
  responses: {
    200: jsonResponse(
      z.object({ points: z.number().int(), balance: z.number().int(), memberId: z.string() }),
      'what the order earned (the same answer again on a replay)',
    ),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const refund = createRoute({
  method: 'post',
  path: '/open/v1/orders/{orderNo}/refunds',
  tags,
  security,
  summary: "A refund of this key's order: points taken back in proportion, once per refundNo, never more than was paid",
  request: {
    params: z.object({ orderNo: OrderNo.openapi({ param: { name: 'orderNo', in: 'path' } }) }),
    body: jsonBody(z.object({ refundNo: OrderNo, amountFen: z.number().int().min(1).max(100_000_000) })),
  },
  responses: {
    200: jsonResponse(
      z.object({
        memberId: z.string(),
        refundedFen: z.number().int(),
        points: z.number().int().openapi({ description: 'taken back by this refund' }),
        balance: z.number().int(),
      }),
      'the refund',
    ),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const members = createRoute({
  method: 'get',
  path: '/open/v1/members',
  tags,
  security,
  summary: 'Find a member by phone (phone masked in the answer)',
  request: { query: z.object({ phone: Phone }) },
  responses: {
    200: jsonResponse(z.object({ items: z.array(MemberViewSchema) }), '0 or 1 member'),
    ...errorResponses(400, 401),
  },
});

const history = createRoute({
  method: 'get',
  path: '/open/v1/members/{memberId}/history',
  tags,
  security,
  summary: "A member's ledger, newest first",
  request: { params: MemberIdParamSchema, query: HistoryQuerySchema },
  responses: { 200: jsonResponse(HistoryPageSchema, 'one page'), ...errorResponses(400, 401, 404) },
});

const adjust = createRoute({
  method: 'post',
  path: '/open/v1/members/{memberId}/adjust',
  tags,
  security,
  summary:
    "Grant or deduct points with a reason, once per idempotencyKey (this key's); a store-limited key names its store",
  request: {
    params: MemberIdParamSchema,
    body: jsonBody(
      AdjustBodySchema.extend({
        storeId: z
          .string()
          .regex(/^[\w-]{1,32}$/)
          .optional(),
      }),
    ),
  },
  responses: {
    200: jsonResponse(z.object({ event: HistoryItemSchema }), 'the adjustment'),
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

/** The store an order or an adjustment is for: `HQ` is none; a limited key's single store when it names none. */
function storeFor(key: Integration, given: string | undefined): string | null {
  const storeId = given === undefined ? (key.storeIds?.length === 1 ? key.storeIds[0]! : null) : given;
  const id = storeId === 'HQ' ? null : storeId;
  assertKeyStore(key, id);
  return id;
}

export function openApiRoutes(app: App, s: Services): void {
  app.use('/open/v1/*', openAuth(s));
  const tz = s.config.timeZone;

  app.openapi(order, async (c) => {
    const key = c.get('integration');
    const body = c.req.valid('json');
    const storeId = storeFor(key, body.storeId);
    if (storeId && !(await s.store.getStore(storeId))) throw errors.notFound(`Store ${storeId}`);
    const paidAt = body.paidAt ? Date.parse(body.paidAt) : s.clock();
    if (paidAt > s.clock() + 300_000) throw errors.validation('paidAt is in the future: send when the order was paid.');
    const memberId =
      'phone' in body.member
        ? await memberIdByPhone(importDeps(s), body.member.phone, c.get('callerId'))
        : body.member.memberId;
    const answer = await s.openOrders.order(
      key.keyId,
      {
        orderNo: body.orderNo,
        storeId,
        memberId,
        paidFen: body.paidFen,
        paidAt,
        items: body.items ?? null,
      },
      body,
    );
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ points: answer.points, balance: answer.balance, memberId: answer.memberId }, 200);
  });

  app.openapi(refund, async (c) => {
    const answer = await s.openOrders.refund(
      c.get('integration').keyId,
      c.req.valid('param').orderNo,
      c.req.valid('json'),
    );
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    const { replayed: _r, ...shown } = answer;
    return c.json(shown, 200);
  });

  app.openapi(members, async (c) => {
    const { phone } = c.req.valid('query');
    const found = await findMemberByPhone(s.store, s.phones, phone);
    return c.json({ items: found ? [await s.members.view(found.id)] : [] }, 200);
  });

  app.openapi(history, async (c) => {
    const { memberId } = c.req.valid('param');
    if (!(await s.store.getMember(memberId))) throw errors.notFound('Member');
    const { cursor, limit } = c.req.valid('query');
    return c.json(await historyPage(s.store, tz, memberId, cursor, limit), 200);
  });

  app.openapi(adjust, async (c) => {
    const { memberId } = c.req.valid('param');
    const body = c.req.valid('json');
    const storeId = storeFor(c.get('integration'), body.storeId);
    if (!(await s.store.getMember(memberId))) throw errors.notFound('Member');
    const posted = await adjustPoints(s.ledger, { ...body, storeId, memberId, callerId: c.get('callerId') });
    if (posted.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ event: historyItem(posted.result, tz) }, 200);
  });
}
