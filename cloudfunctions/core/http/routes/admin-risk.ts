/**
 * The risk alerts' thresholds (services/risk-watch.ts) and the bonus
 * blacklist (services/blacklist.ts): HQ reads and changes them; effective
 * at once, audited.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/time.js';
import type { BlacklistEntry } from '../../services/blacklist.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const Count = z.number().int().min(1).max(10_000);
const RiskSchema = z
  .object({
    accrualBurst: z.object({ count: Count, minutes: z.number().int().min(1).max(1_440) }).strict(),
    nearReview: z
      .object({ count: Count, hours: z.number().int().min(1).max(720), ratio: z.number().min(0.5).max(0.99) })
      .strict(),
    tillBurst: z.object({ count: Count, minutes: z.number().int().min(1).max(60) }).strict(),
  })
  .strict()
  .openapi('RiskSettings');

const get = createRoute({
  method: 'get',
  path: '/api/admin/risk',
  tags: ['admin'],
  security,
  summary: 'The thresholds of the risk alerts',
  responses: { 200: jsonResponse(RiskSchema, 'the thresholds'), ...errorResponses(401, 403) },
});

const put = createRoute({
  method: 'put',
  path: '/api/admin/risk',
  tags: ['admin'],
  security,
  summary:
    'Change the thresholds: accruals for one member within minutes, redemptions just under the review threshold, captures at one store within minutes (audited)',
  request: { body: jsonBody(RiskSchema) },
  responses: { 200: jsonResponse(RiskSchema, 'the thresholds now'), ...errorResponses(400, 401, 403, 415) },
});

const EntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(['phone', 'openid']),
    shown: z.string().openapi({ description: 'the phone masked, or the openid' }),
    reason: z.string(),
    addedBy: z.string(),
    addedAt: z.string(),
  })
  .openapi('BlacklistEntry');

const listBlacklist = createRoute({
  method: 'get',
  path: '/api/admin/blacklist',
  tags: ['admin'],
  security,
  summary: 'Phones and openids that get no bonuses (phones masked)',
  responses: {
    200: jsonResponse(z.object({ items: z.array(EntrySchema) }), 'the list'),
    ...errorResponses(401, 403),
  },
});

const addBlacklist = createRoute({
  method: 'post',
  path: '/api/admin/blacklist',
  tags: ['admin'],
  security,
  summary: 'List a phone or an openid: no more check-in, referral, birthday or phone bonuses (payments still earn)',
  request: {
    body: jsonBody(
      z
        .object({
          phone: z
            .string()
            .regex(/^(\+?86)?1[3-9]\d{9}$/, 'an 11-digit mainland mobile number')
            .optional(),
          openid: z.string().min(1).max(128).optional(),
          reason: z.string().trim().min(1).max(200),
        })
        .refine((b) => Boolean(b.phone) !== Boolean(b.openid), 'give a phone or an openid'),
    ),
  },
  responses: { 201: jsonResponse(EntrySchema, 'the entry'), ...errorResponses(400, 401, 403, 409, 415) },
});

const removeBlacklist = createRoute({
  method: 'delete',
  path: '/api/admin/blacklist/{entryId}',
  tags: ['admin'],
  security,
  summary: 'Take an entry off the list',
  request: { params: z.object({ entryId: z.string().min(1).max(64) }) },
  responses: { 204: { description: 'removed' }, ...errorResponses(401, 403, 404) },
});

export function riskRoutes(app: App, s: Services): void {
  const shown = ({ value: _v, ...e }: BlacklistEntry) => ({ ...e, addedAt: isoInZone(e.addedAt, s.config.timeZone) });
  app.openapi(listBlacklist, async (c) => c.json({ items: (await s.blacklist.entries()).map(shown) }, 200));
  app.openapi(addBlacklist, async (c) =>
    c.json(shown(await s.blacklist.add(c.get('callerId'), c.req.valid('json'))), 201),
  );
  app.openapi(removeBlacklist, async (c) => {
    await s.blacklist.remove(c.get('callerId'), c.req.valid('param').entryId);
    return c.body(null, 204);
  });
  app.openapi(get, async (c) => c.json(await s.risk.settings(), 200));
  app.openapi(put, async (c) => c.json(await s.risk.set(c.get('callerId'), c.req.valid('json')), 200));
}
