/** HQ's open API keys (DESIGN "Open API v1"): create (the secret shown once), list, revoke. HQ only. */
import { createRoute, z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/time.js';
import type { Integration } from '../../services/integrations.js';
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

export function integrationRoutes(app: App, s: Services): void {
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
