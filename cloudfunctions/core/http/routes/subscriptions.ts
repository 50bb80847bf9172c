/** Subscribe-message credits over HTTP (services/subscriptions.ts holds the rules). */
import { createRoute, z } from '@hono/zod-openapi';
import { SubscriptionsInput } from '../../services/member-inputs.js';
import { reportAccepted, subscriptions } from '../../services/subscriptions.js';
import { memberAuth } from '../auth.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];

const SubscriptionsSchema = z.object({
  templates: z.array(z.object({ topic: z.string(), templateId: z.string() })),
  credits: z.record(z.string(), z.number().int()),
});

const read = createRoute({
  method: 'get',
  path: '/api/member/subscriptions',
  tags: ['member'],
  security,
  summary: 'The templates to ask for, and the credits this member has',
  responses: { 200: jsonResponse(SubscriptionsSchema, 'templates and credits'), ...errorResponses(401) },
});

const report = createRoute({
  method: 'post',
  path: '/api/member/subscriptions',
  tags: ['member'],
  security,
  summary: 'Report the templates the member accepted in requestSubscribeMessage (one credit each)',
  request: { body: jsonBody(SubscriptionsInput) },
  responses: { 200: jsonResponse(SubscriptionsSchema, 'templates and credits'), ...errorResponses(400, 401, 415) },
});

export function subscriptionRoutes(app: App, s: Services): void {
  app.use('/api/member/subscriptions', memberAuth(s));
  app.openapi(read, async (c) => c.json(await subscriptions(s, c.get('memberId')), 200));
  app.openapi(report, async (c) =>
    c.json(await reportAccepted(s, c.get('memberId'), c.req.valid('json').accepted), 200),
  );
}
