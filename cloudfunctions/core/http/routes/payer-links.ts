/** Payer links (members: mine; HQ: anyone's) and the alerts a contested link raises. */
import { createRoute, z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/time.js';
import { ALERTS_PAGE_MAX } from '../../services/payer-links.js';
import { memberAuth } from '../auth.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse, MemberIdParamSchema } from '../schemas.js';

const security = [{ bearer: [] }];
const LinkId = z.object({ linkId: z.string().min(1).max(64) });

const LinkSchema = z
  .object({
    id: z.string(),
    channel: z.enum(['alipay', 'wechatpay']),
    payer: z.string().openapi({ example: '2088****5135', description: 'masked' }),
    status: z.enum(['pending', 'active', 'suspended', 'removed']).openapi({
      description: 'pending: needs more claims; active: payments accrue directly; suspended: contested, HQ decides',
    }),
    claims: z.number().int(),
    claimsNeeded: z.number().int().openapi({ description: 'claims still needed before a pending link is active' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('PayerLink');
const Links = z.object({ items: z.array(LinkSchema) });

const AlertSchema = z
  .object({
    id: z.number().int(),
    kind: z.string().openapi({ example: 'payer_link.contested' }),
    subject: z.string(),
    detail: z.record(z.string(), z.unknown()),
    status: z.enum(['open', 'resolved']),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
  })
  .openapi('Alert');

const route = <T extends Parameters<typeof createRoute>[0]>(r: T) => createRoute({ security, ...r });

const mine = route({
  method: 'get',
  path: '/api/member/payer-links',
  tags: ['member'],
  summary: 'Payment accounts (Alipay, other WeChat apps) tied to me by checkout claims',
  responses: { 200: jsonResponse(Links, 'my links'), ...errorResponses(401) },
});
const removeMine = route({
  method: 'delete',
  path: '/api/member/payer-links/{linkId}',
  tags: ['member'],
  summary: "Remove one of my links: that account's payments wait for a claim again",
  request: { params: LinkId },
  responses: { 204: { description: 'removed' }, ...errorResponses(401, 404) },
});
const ofMember = route({
  method: 'get',
  path: '/api/admin/members/{memberId}/payer-links',
  tags: ['admin'],
  summary: "A member's payer links",
  request: { params: MemberIdParamSchema },
  responses: { 200: jsonResponse(Links, 'the links'), ...errorResponses(401, 403) },
});
const removeAny = route({
  method: 'delete',
  path: '/api/admin/payer-links/{linkId}',
  tags: ['admin'],
  summary: 'Remove a payer link (audited)',
  request: { params: LinkId },
  responses: { 204: { description: 'removed' }, ...errorResponses(401, 403, 404) },
});
const alerts = route({
  method: 'get',
  path: '/api/admin/alerts',
  tags: ['admin'],
  summary: 'Alerts for HQ (a payer link contested by another member, ...), newest first',
  request: {
    query: z.object({
      status: z.enum(['open', 'resolved']).optional(),
      limit: z.coerce.number().int().min(1).max(ALERTS_PAGE_MAX).optional(),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ items: z.array(AlertSchema) }), 'the alerts'),
    ...errorResponses(401, 403),
  },
});
const resolve = route({
  method: 'post',
  path: '/api/admin/alerts/{alertId}/resolve',
  tags: ['admin'],
  summary: 'Mark an alert handled (audited)',
  request: {
    params: z.object({ alertId: z.coerce.number().int().min(1) }),
    body: jsonBody(z.object({ note: z.string().trim().min(1).max(200).optional() })),
  },
  responses: { 204: { description: 'resolved' }, ...errorResponses(400, 401, 403, 404, 415) },
});

export function payerLinkRoutes(app: App, s: Services): void {
  const tz = s.config.timeZone;

  app.use('/api/member/payer-links', memberAuth(s));
  app.use('/api/member/payer-links/*', memberAuth(s));
  app.openapi(mine, async (c) => c.json({ items: await s.payerLinks.list(c.get('memberId')) }, 200));
  app.openapi(removeMine, async (c) => {
    const memberId = c.get('memberId');
    await s.payerLinks.remove(`member:${memberId}`, c.req.valid('param').linkId, memberId);
    return c.body(null, 204);
  });

  app.openapi(ofMember, async (c) => c.json({ items: await s.payerLinks.list(c.req.valid('param').memberId) }, 200));
  app.openapi(removeAny, async (c) => {
    await s.payerLinks.remove(c.get('callerId'), c.req.valid('param').linkId, null);
    return c.body(null, 204);
  });
  app.openapi(alerts, async (c) => {
    const { status, limit } = c.req.valid('query');
    const items = (await s.store.alerts(status ?? null, limit ?? 50)).map((a) => ({
      ...a,
      createdAt: isoInZone(a.createdAt, tz),
      resolvedAt: a.resolvedAt === null ? null : isoInZone(a.resolvedAt, tz),
    }));
    return c.json({ items }, 200);
  });
  app.openapi(resolve, async (c) => {
    await s.payerLinks.resolveAlert(c.get('callerId'), c.req.valid('param').alertId, c.req.valid('json').note);
    return c.body(null, 204);
  });
}
