/**
 * Subscribe-message credits. The app asks WeChat (requestSubscribeMessage)
 * with the template ids it reads here; each accepted template grants one
 * message, which the app reports back.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { errors } from '../../domain/errors.js';
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
  request: { body: jsonBody(z.object({ accepted: z.array(z.string().min(1).max(128)).min(1).max(3) })) },
  responses: { 200: jsonResponse(SubscriptionsSchema, 'templates and credits'), ...errorResponses(400, 401, 415) },
});

export function subscriptionRoutes(app: App, s: Services): void {
  const templates = () =>
    Object.entries(s.config.subscribeTemplates).map(([topic, t]) => ({ topic, templateId: t.templateId }));
  const answer = async (memberId: string) => ({
    templates: templates(),
    credits: await s.store.subscribeCredits(memberId),
  });

  app.use('/api/member/subscriptions', memberAuth(s));
  app.openapi(read, async (c) => c.json(await answer(c.get('memberId')), 200));
  app.openapi(report, async (c) => {
    const memberId = c.get('memberId');
    const known = new Set(templates().map((t) => t.templateId));
    const accepted = [...new Set(c.req.valid('json').accepted)];
    const unknown = accepted.filter((id) => !known.has(id));
    if (unknown.length > 0) throw errors.validation(`Unknown template id: ${unknown.join(', ')}.`);
    const now = s.clock();
    await s.store.transaction(async (tx) => {
      for (const id of accepted) await tx.addSubscribeCredits(memberId, id, 1, now);
    });
    return c.json(await answer(memberId), 200);
  });
}
