/**
 * Member data rights (services/data-rights.ts): the member exports their
 * data and asks for erasure from the app; HQ lists the requests with their
 * deadlines and completes them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { memberAuth } from '../auth.js';
import { byMember, limitBy } from '../rate-limit.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];

const RequestSchema = z
  .object({
    id: z.string(),
    memberId: z.string(),
    requestedAt: z.string(),
    dueAt: z.string().openapi({ description: 'the end of the last working day HQ has to complete it' }),
    status: z.enum(['pending', 'done']),
    overdue: z.boolean(),
    completedAt: z.string().nullable(),
    completedBy: z.string().nullable(),
    forfeited: z.number().int().nullable().openapi({ description: 'points moved to the forfeited account' }),
  })
  .openapi('DeletionRequest');

const dataExport = createRoute({
  method: 'get',
  path: '/api/member/data-export',
  tags: ['member'],
  security,
  summary:
    'Everything kept about the member, as one JSON document: profile, phone, account, lots, whole history, vouchers, payer links, subscriptions, consents',
  responses: {
    200: jsonResponse(z.object({}).passthrough().openapi('DataExport'), 'the export'),
    ...errorResponses(401, 404, 429),
  },
});

const askDeletion = createRoute({
  method: 'post',
  path: '/api/member/deletion-request',
  tags: ['member'],
  security,
  summary: 'Ask for the membership to be erased (asking again answers the same request)',
  responses: { 202: jsonResponse(RequestSchema, 'the request, to be completed by dueAt'), ...errorResponses(401, 404) },
});

const myDeletion = createRoute({
  method: 'get',
  path: '/api/member/deletion-request',
  tags: ['member'],
  security,
  summary: "The member's deletion request, if any",
  responses: {
    200: jsonResponse(z.object({ request: RequestSchema.nullable() }), 'the request or null'),
    ...errorResponses(401),
  },
});

const list = createRoute({
  method: 'get',
  path: '/api/admin/deletion-requests',
  tags: ['admin'],
  security,
  summary: 'Deletion requests: pending ones first, soonest due first',
  request: { query: z.object({ status: z.enum(['pending', 'done']).optional() }) },
  responses: {
    200: jsonResponse(z.object({ items: z.array(RequestSchema) }), 'the requests'),
    ...errorResponses(400, 401, 403),
  },
});

const complete = createRoute({
  method: 'post',
  path: '/api/admin/deletion-requests/{requestId}/complete',
  tags: ['admin'],
  security,
  summary:
    'Erase the member: openid, unionid, phone and payer links removed, the balance to the forfeited account, the entries kept (audited)',
  request: { params: z.object({ requestId: z.string().min(1).max(80) }) },
  responses: { 200: jsonResponse(RequestSchema, 'the request, done'), ...errorResponses(401, 403, 404, 409) },
});

export function dataRightsRoutes(app: App, s: Services): void {
  app.use('/api/member/data-export', memberAuth(s), limitBy(s, 'dataExport', byMember));
  app.openapi(dataExport, async (c) => {
    const body = await s.dataRights.exportFor(c.get('memberId'));
    c.header('content-disposition', `attachment; filename="jifen-${body.member.id}.json"`);
    c.header('cache-control', 'no-store');
    return c.json(body, 200);
  });
  app.use('/api/member/deletion-request', memberAuth(s));
  app.openapi(askDeletion, async (c) => c.json(await s.dataRights.requestDeletion(c.get('memberId')), 202));
  app.openapi(myDeletion, async (c) => c.json({ request: await s.dataRights.requestOf(c.get('memberId')) }, 200));
  app.openapi(list, async (c) => c.json({ items: await s.dataRights.list(c.req.valid('query').status ?? null) }, 200));
  app.openapi(complete, async (c) =>
    c.json(await s.dataRights.complete(c.req.valid('param').requestId, c.get('callerId')), 200),
  );
}
