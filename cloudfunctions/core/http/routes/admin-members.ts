/**
 * Finding a member from the console: by phone (matched through its lookup
 * hash; the number itself is never stored in clear) or by member id, and
 * their ledger. Every role may look a member up to help them at the counter
 * (role-matrix.ts); the answer is the member as HQ sees them, phone masked.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { errors } from '../../domain/errors.js';
import { historyPage } from '../../services/history.js';
import { findMemberByPhone } from '../../services/members.js';
import type { App, Services } from '../context.js';
import {
  errorResponses,
  HistoryPageSchema,
  HistoryQuerySchema,
  jsonResponse,
  MemberIdParamSchema,
  MemberViewSchema,
} from '../schemas.js';

const security = [{ bearer: [] }];

const search = createRoute({
  method: 'get',
  path: '/api/admin/members',
  tags: ['admin'],
  security,
  summary: 'Find a member by phone (11 digits) or by member id (q); exact matches only, never a browse',
  request: {
    query: z
      .object({
        phone: z
          .string()
          .regex(/^(\+?86)?1[3-9]\d{9}$/, 'an 11-digit mainland mobile number')
          .optional(),
        q: z.string().trim().min(1).max(64).optional(),
      })
      .refine((q) => q.phone !== undefined || q.q !== undefined, 'give phone or q'),
  },
  responses: {
    200: jsonResponse(z.object({ items: z.array(MemberViewSchema) }), 'the members found (0 or 1 each way)'),
    ...errorResponses(400, 401, 403),
  },
});

const history = createRoute({
  method: 'get',
  path: '/api/admin/members/{memberId}/history',
  tags: ['admin'],
  security,
  summary: "A member's ledger, newest first (the same items the member sees)",
  request: { params: MemberIdParamSchema, query: HistoryQuerySchema },
  responses: { 200: jsonResponse(HistoryPageSchema, 'one page'), ...errorResponses(400, 401, 403, 404) },
});

export function memberAdminRoutes(app: App, s: Services): void {
  app.openapi(search, async (c) => {
    const { phone, q } = c.req.valid('query');
    const ids = new Set<string>();
    if (phone) {
      const found = await findMemberByPhone(s.store, s.phones, phone);
      if (found) ids.add(found.id);
    }
    if (q && (await s.store.getMember(q))) ids.add(q);
    const items = await Promise.all([...ids].map((id) => s.members.view(id)));
    return c.json({ items }, 200);
  });

  app.openapi(history, async (c) => {
    const { memberId } = c.req.valid('param');
    if (!(await s.store.getMember(memberId))) throw errors.notFound('Member');
    const { cursor, limit } = c.req.valid('query');
    return c.json(await historyPage(s.store, s.config.timeZone, memberId, cursor, limit), 200);
  });
}
