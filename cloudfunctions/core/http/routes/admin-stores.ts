import { createRoute, z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/time.js';
import type { App, Services } from '../context.js';
import { storesOf } from '../role-matrix.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const StoreId = z.string().regex(/^[\w-]{1,32}$/, 'letters, digits, _ and - only, at most 32');

const StoreSchema = z
  .object({ id: StoreId, name: z.string().trim().min(1).max(60), region: z.string().trim().min(1).max(60) })
  .openapi('Store');

const StaffBodySchema = z.object({
  name: z.string().trim().min(1).max(60),
  storeId: StoreId,
  role: z.enum(['cashier', 'manager']),
});

const StaffCreatedSchema = z.object({
  id: z.string(),
  name: z.string(),
  storeId: z.string(),
  role: z.enum(['cashier', 'manager']),
  createdAt: z.string(),
  token: z.string().openapi({ description: 'shown once; only its hash is kept' }),
});

const createStore = createRoute({
  method: 'post',
  path: '/api/admin/stores',
  tags: ['admin'],
  security,
  summary: 'Create a store',
  request: { body: jsonBody(StoreSchema) },
  responses: { 201: jsonResponse(StoreSchema, 'the store'), ...errorResponses(400, 401, 403, 409) },
});

const listStores = createRoute({
  method: 'get',
  path: '/api/admin/stores',
  tags: ['admin'],
  security,
  summary: 'All stores',
  responses: {
    200: jsonResponse(z.object({ items: z.array(StoreSchema) }), 'the stores'),
    ...errorResponses(401, 403),
  },
});

const createStaff = createRoute({
  method: 'post',
  path: '/api/admin/staff',
  tags: ['admin'],
  security,
  summary: 'Issue a staff credential scoped to one store and a role',
  request: { body: jsonBody(StaffBodySchema) },
  responses: {
    201: jsonResponse(StaffCreatedSchema, 'the staff member and their token'),
    ...errorResponses(400, 401, 403, 404),
  },
});

const StaffSchema = StaffCreatedSchema.omit({ token: true })
  .extend({
    revokedAt: z.string().nullable().openapi({ description: 'when the token stopped working; null while it works' }),
  })
  .openapi('Staff');

const listStaff = createRoute({
  method: 'get',
  path: '/api/admin/staff',
  tags: ['admin'],
  security,
  summary:
    'Till staff and whether their tokens work, newest first (a manager sees their own stores only); tokens are never shown again',
  responses: {
    200: jsonResponse(z.object({ items: z.array(StaffSchema) }), 'the staff'),
    ...errorResponses(401, 403),
  },
});

const revokeStaff = createRoute({
  method: 'delete',
  path: '/api/admin/staff/{staffId}',
  tags: ['admin'],
  security,
  summary: 'Revoke a staff credential',
  request: { params: z.object({ staffId: z.string().min(1).max(64) }) },
  responses: { 204: { description: 'revoked' }, ...errorResponses(401, 403, 404) },
});

export function storeAdminRoutes(app: App, s: Services): void {
  app.openapi(createStore, async (c) => {
    const { createdAt: _at, ...store } = await s.staff.createStore(c.get('callerId'), c.req.valid('json'));
    return c.json(store, 201);
  });
  app.openapi(listStores, async (c) => {
    const mine = storesOf(c.get('operator')); // a manager sees their own stores only
    const items = (await s.store.listStores())
      .filter((st) => mine === null || mine.has(st.id))
      .map(({ createdAt: _at, ...store }) => store);
    return c.json({ items }, 200);
  });
  app.openapi(createStaff, async (c) => {
    const { staff, token } = await s.staff.createStaff(c.get('callerId'), c.req.valid('json'));
    const { revokedAt: _r, ...shown } = staff;
    return c.json({ ...shown, createdAt: isoInZone(staff.createdAt, s.config.timeZone), token }, 201);
  });
  app.openapi(listStaff, async (c) => {
    const tz = s.config.timeZone;
    const items = (await s.staff.list(storesOf(c.get('operator')))).map((st) => ({
      ...st,
      createdAt: isoInZone(st.createdAt, tz),
      revokedAt: st.revokedAt === null ? null : isoInZone(st.revokedAt, tz),
    }));
    return c.json({ items }, 200);
  });
  app.openapi(revokeStaff, async (c) => {
    await s.staff.revoke(c.get('callerId'), c.req.valid('param').staffId);
    return c.body(null, 204);
  });
}
