/**
 * The template of the route whose handler answers a request ("GET
 * /api/admin/members/{memberId}"): what the role matrix is keyed by and what
 * latency is labelled with (never the raw path, whose ids would make a new
 * series per member). The first method route that matched, in registration
 * order: later ones (the H5 app's `GET *` catch-all, added after every API
 * route) only run if it passes the request on, which API handlers never do.
 */
import type { Context } from 'hono';

export function routeOf(c: Context): string | null {
  const handler = c.req.matchedRoutes.find((r) => r.method !== 'ALL');
  if (!handler) return null;
  return `${handler.method} ${handler.path.replace(/:(\w+)/g, '{$1}')}`;
}
