import { createRoute, z } from '@hono/zod-openapi';
import type { App, Services } from '../context.js';
import { errorResponses, jsonResponse } from '../schemas.js';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['ops'],
  summary: 'Liveness and store check',
  responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), 'the store answers'), ...errorResponses(503) },
});

export function healthRoutes(app: App, s: Services): void {
  // A store error propagates to the error handler, which answers 503 STORE_UNAVAILABLE.
  app.openapi(health, async (c) => {
    await s.store.ping();
    return c.json({ ok: true as const }, 200);
  });
}
