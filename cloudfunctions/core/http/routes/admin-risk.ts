/** The risk alerts' thresholds (services/risk-watch.ts): HQ reads and changes them; effective at once. */
import { createRoute, z } from '@hono/zod-openapi';
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

export function riskRoutes(app: App, s: Services): void {
  app.openapi(get, async (c) => c.json(await s.risk.settings(), 200));
  app.openapi(put, async (c) => c.json(await s.risk.set(c.get('callerId'), c.req.valid('json')), 200));
}
