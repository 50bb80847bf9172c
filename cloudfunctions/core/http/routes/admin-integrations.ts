/**
 * HQ's integrations (DESIGN "Open API v1"): open API keys and webhooks out,
 * each made with a secret shown once, listed without it, revoked at once;
 * a webhook's delivery log. HQ only.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/time.js';
import { errors } from '../../domain/errors.js';
import type { Integration } from '../../services/integrations.js';
import { WEBHOOK_EVENTS, type Webhook } from '../../services/webhooks.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const KeySchema = z
  .object({
    keyId: z.string(),
    name: z.string(),
    storeIds: z.array(z.string()).nullable().openapi({ description: 'null: every store' }),
    status: z.enum(['active', 'revoked']),
    createdAt: z.string(),
  })
  .openapi('IntegrationKey');

const create = createRoute({
  method: 'post',
  path: '/api/admin/integrations',
  tags: ['admin'],
  security,
  summary: 'Make an open API key for a POS, ERP or CRM, optionally limited to stores; the secret is shown once',
  request: {
    body: jsonBody(
      z.object({
        name: z.string().trim().min(1).max(60),
        storeIds: z
          .array(z.string().regex(/^[\w-]{1,32}$/))
          .max(200)
          .optional(),
      }),
    ),
  },
  responses: {
    201: jsonResponse(KeySchema.extend({ secret: z.string() }), 'the key and its secret (only now)'),
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

const list = createRoute({
  method: 'get',
  path: '/api/admin/integrations',
  tags: ['admin'],
  security,
  summary: 'The open API keys, newest first (never their secrets)',
  responses: { 200: jsonResponse(z.object({ items: z.array(KeySchema) }), 'the keys'), ...errorResponses(401, 403) },
});

const revoke = createRoute({
  method: 'post',
  path: '/api/admin/integrations/{keyId}/revoke',
  tags: ['admin'],
  security,
  summary: 'Stop a key at once (audited)',
  request: { params: z.object({ keyId: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(KeySchema, 'the key, revoked'), ...errorResponses(401, 403, 404) },
});

const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    status: z.enum(['active', 'revoked']),
    createdAt: z.string(),
  })
  .openapi('Webhook');

const createWebhook = createRoute({
  method: 'post',
  path: '/api/admin/webhooks',
  tags: ['admin'],
  security,
  summary:
    'Register a URL for points.changed, tier.changed, voucher.used and alert.raised; deliveries are signed with the secret shown once',
  request: {
    body: jsonBody(
      z.object({
        url: z.string().url().max(500),
        events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
      }),
    ),
  },
  responses: {
    201: jsonResponse(WebhookSchema.extend({ secret: z.string() }), 'the webhook and its secret (only now)'),
    ...errorResponses(400, 401, 403, 415),
  },
});

const listWebhooks = createRoute({
  method: 'get',
  path: '/api/admin/webhooks',
  tags: ['admin'],
  security,
  summary: 'The webhooks, newest first (never their secrets)',
  responses: {
    200: jsonResponse(z.object({ items: z.array(WebhookSchema) }), 'the webhooks'),
    ...errorResponses(401, 403),
  },
});

const revokeWebhook = createRoute({
  method: 'post',
  path: '/api/admin/webhooks/{webhookId}/revoke',
  tags: ['admin'],
  security,
  summary: 'Stop sending to a webhook (audited); deliveries still waiting are given up',
  request: { params: z.object({ webhookId: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(WebhookSchema, 'the webhook, revoked'), ...errorResponses(401, 403, 404) },
});

const deliveries = createRoute({
  method: 'get',
  path: '/api/admin/webhooks/{webhookId}/deliveries',
  tags: ['admin'],
  security,
  summary: "A webhook's delivery log, newest first: each event, its status, tries and next try",
  request: { params: z.object({ webhookId: z.string().min(1).max(64) }) },
  responses: {
    200: jsonResponse(
      z.object({
        items: z.array(
          z.object({
            eventId: z.string(),
            type: z.string(),
            status: z.enum(['pending', 'sending', 'sent', 'skipped', 'failed']),
            attempts: z.number().int(),
            nextAt: z.string(),
            createdAt: z.string(),
          }),
        ),
      }),
      'the deliveries',
    ),
    ...errorResponses(401, 403, 404),
  },
});

export function integrationRoutes(app: App, s: Services): void {
  const tz = s.config.timeZone;
  const hook = (w: Webhook) => ({ ...w, createdAt: isoInZone(w.createdAt, tz) });
  app.openapi(createWebhook, async (c) => {
    const made = await s.webhooks.create(c.get('callerId'), c.req.valid('json'));
    return c.json({ ...hook(made), secret: made.secret }, 201);
  });
  app.openapi(listWebhooks, async (c) => c.json({ items: (await s.webhooks.list()).map(hook) }, 200));
  app.openapi(revokeWebhook, async (c) =>
    c.json(hook(await s.webhooks.revoke(c.get('callerId'), c.req.valid('param').webhookId)), 200),
  );
  app.openapi(deliveries, async (c) => {
    const { webhookId } = c.req.valid('param');
    if (!(await s.webhooks.list()).some((w) => w.id === webhookId)) throw errors.notFound('Webhook');
    const items = (await s.webhooks.deliveries(webhookId)).map((d) => ({
      ...d,
      nextAt: isoInZone(d.nextAt, tz),
      createdAt: isoInZone(d.createdAt, tz),
    }));
    return c.json({ items }, 200);
  });

  const shown = (k: Integration) => ({ ...k, createdAt: isoInZone(k.createdAt, s.config.timeZone) });
  app.openapi(create, async (c) => {
    const made = await s.integrations.create(c.get('callerId'), c.req.valid('json'));
    return c.json({ ...shown(made), secret: made.secret }, 201);
  });
  app.openapi(list, async (c) => c.json({ items: (await s.integrations.list()).map(shown) }, 200));
  app.openapi(revoke, async (c) =>
    c.json(shown(await s.integrations.revoke(c.get('callerId'), c.req.valid('param').keyId)), 200),
  );
}
