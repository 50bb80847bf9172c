/**
 * Console accounts: sign-in (POST /api/console/login), who am I, and HQ's
 * management of operators (create, list, disable, change role or stores,
 * set a new password). The role matrix for everything else is
 * role-matrix.ts.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/time.js';
import { ROLES, type Operator } from '../../services/operators.js';
import { adminAuth } from '../auth.js';
import type { App, Services } from '../context.js';
import { DomainError } from '../../domain/errors.js';
import { byAddress, limitBy } from '../rate-limit.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const Username = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits and _ . - only');
const Password = z.string().min(1).max(200);
const StoreIds = z.array(z.string().min(1).max(64)).max(200);

const OperatorSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(ROLES),
    storeIds: z.array(z.string()),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Operator');

const login = createRoute({
  method: 'post',
  path: '/api/console/login',
  tags: ['console'],
  summary: 'Sign in to the console: an 8-hour session; 5 wrong passwords lock the account for 15 minutes (429)',
  request: { body: jsonBody(z.object({ username: Username, password: Password }).strict()) },
  responses: {
    200: jsonResponse(z.object({ token: z.string(), expiresAt: z.string(), operator: OperatorSchema }), 'signed in'),
    ...errorResponses(400, 401, 415, 429),
  },
});
const me = createRoute({
  method: 'get',
  path: '/api/console/me',
  tags: ['console'],
  security,
  summary: 'The operator this session belongs to (the admin token answers as HQ)',
  responses: {
    200: jsonResponse(
      z.object({ id: z.string(), username: z.string(), role: z.enum(ROLES), storeIds: z.array(z.string()) }),
      'me',
    ),
    ...errorResponses(401, 403),
  },
});
const createOperator = createRoute({
  method: 'post',
  path: '/api/admin/operators',
  tags: ['admin'],
  security,
  summary: 'Create a console operator (HQ; the bootstrap admin token may create the first)',
  request: {
    body: jsonBody(
      z.object({ username: Username, password: Password, role: z.enum(ROLES), storeIds: StoreIds.optional() }).strict(),
    ),
  },
  responses: { 201: jsonResponse(OperatorSchema, 'created'), ...errorResponses(400, 401, 403, 409, 415) },
});
const listOperators = createRoute({
  method: 'get',
  path: '/api/admin/operators',
  tags: ['admin'],
  security,
  summary: 'Console operators',
  responses: {
    200: jsonResponse(z.object({ items: z.array(OperatorSchema) }), 'operators'),
    ...errorResponses(401, 403),
  },
});
const updateOperator = createRoute({
  method: 'patch',
  path: '/api/admin/operators/{operatorId}',
  tags: ['admin'],
  security,
  summary:
    'Disable or enable, change role or stores, or set a new password; any change but enabling ends their sessions',
  request: {
    params: z.object({ operatorId: z.string().min(1).max(64) }),
    body: jsonBody(
      z
        .object({
          status: z.enum(['active', 'disabled']).optional(),
          password: Password.optional(),
          role: z.enum(ROLES).optional(),
          storeIds: StoreIds.optional(),
        })
        .strict()
        .refine((b) => Object.keys(b).length > 0, 'say what to change'),
    ),
  },
  responses: { 200: jsonResponse(OperatorSchema, 'updated'), ...errorResponses(400, 401, 403, 404, 415) },
});

export function consoleRoutes(app: App, s: Services): void {
  const iso = (o: Operator) => ({
    ...o,
    createdAt: isoInZone(o.createdAt, s.config.timeZone),
    updatedAt: isoInZone(o.updatedAt, s.config.timeZone),
  });

  app.use('/api/console/login', limitBy(s, 'login', byAddress(s)));
  app.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json');
    try {
      const session = await s.operators.login(username, password);
      return c.json(
        {
          token: session.token,
          expiresAt: isoInZone(session.expiresAt, s.config.timeZone),
          operator: iso(session.operator),
        },
        200,
      );
    } catch (e) {
      const retry = e instanceof DomainError ? (e.details as { retryAfterSeconds?: number } | undefined) : undefined;
      if (retry?.retryAfterSeconds) c.header('retry-after', String(retry.retryAfterSeconds));
      throw e;
    }
  });

  app.use('/api/console/me', adminAuth(s));
  app.openapi(me, (c) => {
    const { id, username, role, storeIds } = c.get('operator');
    return c.json({ id, username, role, storeIds }, 200);
  });

  app.openapi(createOperator, async (c) =>
    c.json(iso(await s.operators.create(c.get('callerId'), c.req.valid('json'))), 201),
  );
  app.openapi(listOperators, async (c) => c.json({ items: (await s.operators.list()).map(iso) }, 200));
  app.openapi(updateOperator, async (c) =>
    c.json(iso(await s.operators.update(c.get('callerId'), c.req.valid('param').operatorId, c.req.valid('json'))), 200),
  );
}
