/**
 * GET /metrics in the Prometheus text format, for the merchant's monitoring:
 * read with JIFEN_METRICS_TOKEN (a scraper's credential, good for nothing
 * else), the admin token or an HQ operator's session.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, sameSecret } from '../auth.js';
import { errors } from '../../domain/errors.js';
import type { App, Services } from '../context.js';
import { errorResponses } from '../schemas.js';

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['ops'],
  security: [{ bearer: [] }],
  summary:
    'Prometheus metrics: notifications by result, refusals, request latency by route, outbox depth, jobs, Node process (JIFEN_METRICS_TOKEN, the admin token or an HQ operator)',
  responses: {
    200: { description: 'the text exposition', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses(401, 403),
  },
});

export function prometheusRoutes(app: App, s: Services): void {
  app.openapi(metrics, async (c) => {
    const token = bearer(c.req.header('authorization'));
    const allowed =
      (s.config.metricsToken !== null && sameSecret(token, s.config.metricsToken)) ||
      sameSecret(token, s.config.adminToken) ||
      (await s.operators.authenticate(token))?.role === 'hq';
    if (!allowed) throw errors.unauthorized('The token may not read metrics.');
    return c.body(await s.metrics.text(), 200, { 'content-type': s.metrics.contentType }) as never;
  });
}
