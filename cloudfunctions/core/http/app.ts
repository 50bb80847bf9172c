/**
 * createApp(deps): the one HTTP app, served by the local server and (later)
 * by the HTTP-triggered cloud function. Tests call app.request() without a socket.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { MiddlewareHandler } from 'hono';
import { createServices, refreshShared, type ServiceDeps } from '../wiring.js';
import type { App, AppEnv, Services } from './context.js';
import { errorResponse, toErrorResponse, validationResponse } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { healthRoutes } from './routes/health.js';
import { memberRoutes } from './routes/member.js';
import { staffRoutes } from './routes/staff.js';
import { rewardRoutes } from './routes/rewards.js';
import { payCodeRoutes } from './routes/pay-codes.js';
import { checkoutRoutes } from './routes/checkout.js';
import { rewardAdminRoutes } from './routes/admin-rewards.js';
import { ruleAdminRoutes } from './routes/admin-rules.js';
import { activityRoutes } from './routes/activities.js';
import { memberProgramRoutes } from './routes/member-program.js';
import { consoleRoutes } from './routes/console.js';
import { memberAdminRoutes } from './routes/admin-members.js';
import { auditRoutes } from './routes/admin-audit.js';
import { reportRoutes } from './routes/admin-reports.js';
import { integrationRoutes } from './routes/admin-integrations.js';
import { dataRightsRoutes } from './routes/data-rights.js';
import { reconciliationRoutes } from './routes/admin-reconciliation.js';
import { riskRoutes } from './routes/admin-risk.js';
import { openApiRoutes } from './routes/open-api.js';
import { BATCH_BODY_MAX, batchRoutes, CSV_ROUTES } from './routes/admin-batches.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { storeAdminRoutes } from './routes/admin-stores.js';
import { notifyRoutes } from './routes/notify.js';
import { payerLinkRoutes } from './routes/payer-links.js';
import { MAX_BODY_BYTES } from './body-limits.js';
import { addressLimits } from './rate-limit.js';
import { apiSecurityHeaders } from './security-headers.js';
import { routeOf } from './route-of.js';
import { prometheusRoutes } from './routes/prometheus.js';

export type AppDeps = ServiceDeps;

export function createApp(deps: AppDeps): App {
  return appFor(createServices(deps));
}

/** The app over services wired elsewhere (the local server shares them with its background jobs). */
export function appFor(s: Services): App {
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => (result.success ? undefined : validationResponse(c, result.error.issues)),
  });

  const headers = apiSecurityHeaders();
  for (const path of ['/api/*', '/healthz', '/metrics', '/openapi.json', '/notify/*']) app.use(path, headers);
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    s.logger.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: +ms.toFixed(1) }, 'request');
    const route = routeOf(c);
    s.metrics.answered(c.req.method, route ? route.slice(route.indexOf(' ') + 1) : '(none)', c.res.status, ms / 1000);
  });
  // JSON bodies are small; a batch's CSV may be 20 MiB (DESIGN "Batch grants").
  const limitFor = (max: number) =>
    bodyLimit({
      maxSize: max,
      onError: (c) => errorResponse(c, 413, 'PAYLOAD_TOO_LARGE', `The body must be at most ${max} bytes.`),
    });
  const jsonLimit = limitFor(MAX_BODY_BYTES);
  const csvLimit = limitFor(BATCH_BODY_MAX);
  app.use('/api/*', (c, next) => (CSV_ROUTES.includes(c.req.path) ? csvLimit : jsonLimit)(c, next));
  app.use('/open/*', jsonLimit);
  // Payment notifications are never limited: their signature is their credential.
  const limits = addressLimits(s);
  for (const path of ['/api/*', '/open/*', '/healthz', '/openapi.json']) app.use(path, limits);
  const jsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    // A body must be JSON; a bodyless POST (an action such as dispatch) needs no content type.
    const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('transfer-encoding') !== undefined;
    const type = c.req.header('content-type') ?? '';
    const csv = CSV_ROUTES.includes(c.req.path);
    if (
      ['POST', 'PUT', 'PATCH'].includes(c.req.method) &&
      hasBody &&
      !(csv ? /^text\/csv\b/i : /^application\/json\b/i).test(type)
    ) {
      return errorResponse(
        c,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `Send the body as ${csv ? 'text/csv' : 'application/json'}.`,
      );
    }
    await next();
  };
  app.use('/api/*', jsonOnly);
  app.use('/open/*', jsonOnly);

  // Operators change the expiry policy in the console; another process (or
  // cloud function instance) learns it here, before anything credits points
  // (cached for CONFIG_TTL_MS, so this is one read every few seconds at most).
  for (const path of ['/api/*', '/open/*']) {
    app.use(path, async (_c, next) => {
      await refreshShared(s);
      await next();
    });
  }
  // A payment platform must get its own answer format even when the database is away: a failed
  // refresh leaves the last settings, and the notification's own write then answers in that format.
  app.use('/notify/*', async (_c, next) => {
    await refreshShared(s).catch(() => undefined);
    await next();
  });

  healthRoutes(app, s);
  prometheusRoutes(app, s);
  memberRoutes(app, s);
  subscriptionRoutes(app, s);
  adminRoutes(app, s);
  consoleRoutes(app, s);
  memberAdminRoutes(app, s);
  auditRoutes(app, s);
  reportRoutes(app, s);
  batchRoutes(app, s);
  storeAdminRoutes(app, s);
  integrationRoutes(app, s);
  riskRoutes(app, s);
  dataRightsRoutes(app, s);
  reconciliationRoutes(app, s);
  openApiRoutes(app, s);
  rewardRoutes(app, s);
  rewardAdminRoutes(app, s);
  ruleAdminRoutes(app, s);
  activityRoutes(app, s);
  memberProgramRoutes(app, s);
  payCodeRoutes(app, s);
  checkoutRoutes(app, s);
  staffRoutes(app, s);
  payerLinkRoutes(app, s);
  notifyRoutes(app, s);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'openSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Jifen-Signature',
    description:
      'base64 HMAC-SHA256(secret, METHOD\\nPATH_WITH_QUERY\\nTIMESTAMP\\nNONCE\\nSHA256_HEX_OF_BODY), with X-Jifen-Key-Id, X-Jifen-Timestamp (Unix seconds, ±300 s) and X-Jifen-Nonce (16–64 characters, once); see docs/open-api.md',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'jifen', version: '0.1.0', description: 'Member points: ledger, members and HQ operations.' },
  });

  app.notFound((c) => errorResponse(c, 404, 'NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`));
  app.onError((err, c) => toErrorResponse(err, c, s.logger));
  return app;
}
