/**
 * createApp(deps): the one HTTP app, served by the local server and (later)
 * by the HTTP-triggered cloud function. Tests call app.request() without a socket.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { Accruals } from '../payments/accrual.js';
import { Ledger } from '../services/ledger.js';
import { Metrics } from '../services/metrics.js';
import { Members } from '../services/members.js';
import { Claims } from '../services/claims.js';
import { PhoneVault } from '../services/phones.js';
import { Sessions } from '../services/sessions.js';
import { StaffDirectory } from '../services/staff.js';
import type { Store } from '../store/port.js';
import type { App, AppEnv, Services } from './context.js';
import { errorResponse, toErrorResponse, validationResponse } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { healthRoutes } from './routes/health.js';
import { memberRoutes } from './routes/member.js';
import { staffRoutes } from './routes/staff.js';
import { storeAdminRoutes } from './routes/admin-stores.js';
import { notifyRoutes } from './routes/notify.js';
import { MAX_BODY_BYTES } from './body-limits.js';

export interface AppDeps {
  config: Config;
  store: Store;
  logger?: Logger;
  clock?: () => number;
}

export function createServices(deps: AppDeps): Services {
  const clock = deps.clock ?? Date.now;
  const { config, store } = deps;
  const expiry = { ttlDays: config.pointsTtlDays, timeZone: config.timeZone };
  return {
    config,
    store,
    clock,
    logger: deps.logger ?? createLogger(config.logLevel),
    ledger: new Ledger({ store, clock, expiry }),
    accruals: new Accruals({ store, clock, expiry }),
    metrics: new Metrics(),
    staff: new StaffDirectory({ store, clock }),
    claims: new Claims({ store, clock, expiry, publicUrl: config.publicUrl }),
    phones: new PhoneVault(config.secret),
    members: new Members({ store, clock, timeZone: config.timeZone }),
    sessions: new Sessions(config.secret, clock),
  };
}

export function createApp(deps: AppDeps): App {
  const s = createServices(deps);
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => (result.success ? undefined : validationResponse(c, result.error.issues)),
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    s.logger.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: +(performance.now() - started).toFixed(1) },
      'request',
    );
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, 413, 'PAYLOAD_TOO_LARGE', `The body must be at most ${MAX_BODY_BYTES} bytes.`),
    }),
  );
  app.use('/api/*', async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && !/^application\/json\b/i.test(type)) {
      return errorResponse(c, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
    }
    await next();
  });

  healthRoutes(app, s);
  memberRoutes(app, s);
  adminRoutes(app, s);
  storeAdminRoutes(app, s);
  staffRoutes(app, s);
  notifyRoutes(app, s);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'jifen', version: '0.1.0', description: 'Member points: ledger, members and HQ operations.' },
  });

  app.notFound((c) => errorResponse(c, 404, 'NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`));
  app.onError((err, c) => toErrorResponse(err, c, s.logger));
  return app;
}
