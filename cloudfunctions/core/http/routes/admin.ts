import { createRoute, z } from '@hono/zod-openapi';
import { verifyLedger } from '../../domain/verify.js';
import { MAX_AMOUNT } from '../../domain/amounts.js';
import { adjustPoints } from '../../services/adjustments.js';
import { importMemberByPhone, type ImportDeps } from '../../services/member-import.js';
import { setMemberStatus } from '../../services/member-status.js';
import { historyItem } from '../../services/history.js';
import { adminAuth } from '../auth.js';
import type { App, Services } from '../context.js';
import {
  AdjustBodySchema,
  errorResponses,
  HistoryItemSchema,
  jsonBody,
  jsonResponse,
  LedgerReportSchema,
  MemberIdParamSchema,
  MemberViewSchema,
} from '../schemas.js';

const security = [{ bearer: [] }];

const adjust = createRoute({
  method: 'post',
  path: '/api/admin/members/{memberId}/adjust',
  tags: ['admin'],
  security,
  summary: 'Grant (positive) or deduct (negative) points with a reason, once per idempotency key',
  request: { params: MemberIdParamSchema, body: jsonBody(AdjustBodySchema) },
  responses: {
    200: jsonResponse(z.object({ event: HistoryItemSchema }), 'the adjustment (the same on a replay)'),
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

const member = createRoute({
  method: 'get',
  path: '/api/admin/members/{memberId}',
  tags: ['admin'],
  security,
  summary: 'A member as HQ sees them',
  request: { params: MemberIdParamSchema },
  responses: {
    200: jsonResponse(MemberViewSchema, 'the member'),
    ...errorResponses(401, 403, 404),
  },
});

const statusRoute = (action: 'freeze' | 'unfreeze') =>
  createRoute({
    method: 'post',
    path: `/api/admin/members/{memberId}/${action}`,
    tags: ['admin'],
    security,
    summary:
      action === 'freeze'
        ? 'Freeze a member: they read everything and still earn from payments, but cannot spend or be granted points'
        : 'Unfreeze a member',
    request: {
      params: MemberIdParamSchema,
      body: jsonBody(z.object({ reason: z.string().trim().min(1).max(200) })),
    },
    responses: {
      200: jsonResponse(MemberViewSchema, 'the member, with their status'),
      ...errorResponses(400, 401, 403, 404, 415),
    },
  });

const verify = createRoute({
  method: 'get',
  path: '/api/admin/ledger/verify',
  tags: ['admin'],
  security,
  summary: 'Prove stored balances equal the sum of entries and lots agree with balances',
  responses: { 200: jsonResponse(LedgerReportSchema, 'the report'), ...errorResponses(401, 403) },
});

const metrics = createRoute({
  method: 'get',
  path: '/api/admin/metrics',
  tags: ['admin'],
  security,
  summary: 'Counters since this process started: notifications refused, by channel and reason',
  responses: {
    200: jsonResponse(
      z.object({
        rejections: z.record(z.string(), z.number().int()),
        jobs: z.record(
          z.string(),
          z.object({
            handled: z.number().int(),
            runs: z.number().int(),
            lastAt: z.string().nullable(),
            lastHandled: z.number().int(),
            lastMs: z.number(),
            lastError: z.string().nullable(),
          }),
        ),
      }),
      'refused notifications by channel and code; each scheduled job’s progress since start (expiry, reminders, tiers, ...)',
    ),
    ...errorResponses(401, 403),
  },
});

const importMember = createRoute({
  method: 'post',
  path: '/api/admin/members',
  tags: ['admin'],
  security,
  summary: 'Create a member by phone alone (import); binding that phone in the app merges them',
  request: {
    body: jsonBody(
      z.object({
        phone: z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number'),
        points: z.number().int().min(1).max(MAX_AMOUNT).optional(),
        reason: z.string().trim().min(1).max(200).optional(),
      }),
    ),
  },
  responses: {
    201: jsonResponse(z.object({ memberId: z.string(), phone: z.string(), balance: z.number().int() }), 'created'),
    ...errorResponses(400, 401, 403, 409, 415),
  },
});

const dispatch = createRoute({
  method: 'post',
  path: '/api/admin/outbox/dispatch',
  tags: ['admin'],
  security,
  summary: 'Send due outbox messages now (the server also does this every few seconds)',
  responses: {
    200: jsonResponse(
      z.object({
        sent: z.number().int(),
        skipped: z.number().int(),
        retried: z.number().int(),
        failed: z.number().int(),
      }),
      'what happened',
    ),
    ...errorResponses(401, 403),
  },
});

const sweepHolds = createRoute({
  method: 'post',
  path: '/api/admin/holds/sweep',
  tags: ['admin'],
  security,
  summary: 'Release holds past their TTL now (the server also does this every few seconds)',
  responses: {
    200: jsonResponse(z.object({ members: z.number().int() }), 'members swept'),
    ...errorResponses(401, 403),
  },
});

/** What importing a member by phone needs: the expiry policy is the operator's, as every credit uses. */
export const importDeps = (s: Services): ImportDeps => ({
  store: s.store,
  clock: s.clock,
  vault: s.phones,
  expiry: s.expiryPolicies.policy,
});

export function adminRoutes(app: App, s: Services): void {
  app.use('/api/admin/*', adminAuth(s));

  app.openapi(adjust, async (c) => {
    const { memberId } = c.req.valid('param');
    const body = c.req.valid('json');
    const posted = await adjustPoints(s.ledger, { ...body, memberId, callerId: c.get('callerId') });
    if (posted.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ event: historyItem(posted.result, s.config.timeZone) }, 200);
  });

  app.openapi(member, async (c) => c.json(await s.members.view(c.req.valid('param').memberId), 200));

  for (const action of ['freeze', 'unfreeze'] as const) {
    app.openapi(statusRoute(action), async (c) => {
      const { memberId } = c.req.valid('param');
      const status = action === 'freeze' ? 'frozen' : 'active';
      const { reason } = c.req.valid('json');
      await setMemberStatus(s, { actor: c.get('callerId'), memberId, status, reason });
      return c.json(await s.members.view(memberId), 200);
    });
  }

  app.openapi(verify, async (c) => c.json(verifyLedger(await s.store.ledgerSummary()), 200));

  app.openapi(metrics, (c) => c.json(s.metrics.snapshot(), 200));

  // A job run by hand is the timer's work done early; the audit says who asked and what it did.
  const ranByHand = async <T extends object>(actor: string, job: string, result: T): Promise<T> => {
    const at = s.clock();
    await s.store.transaction((tx) =>
      tx.insertAudit({ actor, action: 'job.run', subject: job, detail: { after: result }, createdAt: at }),
    );
    return result;
  };
  app.openapi(dispatch, async (c) =>
    c.json(await ranByHand(c.get('callerId'), 'outbox', await s.outbox.dispatchDue()), 200),
  );
  app.openapi(sweepHolds, async (c) =>
    c.json(await ranByHand(c.get('callerId'), 'expiry-sweep', { members: await s.expirySweep.run() }), 200),
  );

  app.openapi(importMember, async (c) => {
    const created = await importMemberByPhone(importDeps(s), { ...c.req.valid('json'), callerId: c.get('callerId') });
    return c.json(created, 201);
  });
}
