/** HQ edits earning rules, the holiday calendar, the tier ladder and the expiry policy; every change is versioned and audited. */
import { createRoute, z } from '@hono/zod-openapi';
import { RULE_TEMPLATES } from '../../domain/rule-templates.js';
import type { RuleBody } from '../../domain/earning-rules.js';
import type { App, Services } from '../context.js';
import {
  DryRunResultSchema,
  DryRunSchema,
  ExpirySettingsSchema,
  HolidaysSchema,
  RuleInputSchema,
  RulePatchSchema,
  RuleSchema,
  RuleVersionSchema,
  TierLadderSchema,
} from '../rule-schemas.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const tags = ['rules'];
const RuleId = z.object({ ruleId: z.string().min(1).max(64) });
const Items = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });

const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security, ...r });

const create = route({
  method: 'post',
  path: '/api/admin/rules',
  summary: 'A new earning rule, as a draft (version 1); audited',
  request: { body: jsonBody(RuleInputSchema) },
  responses: { 201: jsonResponse(RuleSchema, 'the rule, with warnings'), ...errorResponses(400, 401, 403, 415) },
});
const list = route({
  method: 'get',
  path: '/api/admin/rules',
  summary: 'Every rule: drafts, active and archived, at their newest version',
  responses: { 200: jsonResponse(Items(RuleSchema), 'the rules'), ...errorResponses(401, 403) },
});
const patch = route({
  method: 'patch',
  path: '/api/admin/rules/{ruleId}',
  summary: 'Merges the keys given into a new draft version; the active version applies until the next publish',
  request: { params: RuleId, body: jsonBody(RulePatchSchema) },
  responses: { 200: jsonResponse(RuleSchema, 'the rule'), ...errorResponses(400, 401, 403, 404, 409, 415) },
});
const action = (verb: 'publish' | 'approve' | 'archive', summary: string) =>
  route({
    method: 'post',
    path: `/api/admin/rules/{ruleId}/${verb}`,
    summary,
    request: { params: RuleId },
    responses: { 200: jsonResponse(RuleSchema, 'the rule'), ...errorResponses(400, 401, 403, 404, 409) },
  });
const versions = route({
  method: 'get',
  path: '/api/admin/rules/{ruleId}/versions',
  summary: 'Every version of a rule, oldest first, with who made it',
  request: { params: RuleId },
  responses: { 200: jsonResponse(Items(RuleVersionSchema), 'the versions'), ...errorResponses(401, 403, 404) },
});
const dryRun = route({
  method: 'post',
  path: '/api/admin/rules/dry-run',
  summary: 'What sample orders would earn now (drafts: true evaluates every rule’s newest version); writes nothing',
  request: { body: jsonBody(DryRunSchema) },
  responses: {
    200: jsonResponse(DryRunResultSchema, 'one result per order, in order'),
    ...errorResponses(400, 401, 403, 415),
  },
});
const templates = route({
  method: 'get',
  path: '/api/admin/rules/templates',
  summary: 'Rules to start from: 双倍积分日, 生日三倍, 品类加倍, 新会员礼',
  responses: {
    200: jsonResponse(
      Items(z.object({ key: z.string(), title: z.string(), description: z.string(), body: RuleInputSchema })),
      'the templates',
    ),
    ...errorResponses(401, 403),
  },
});
const getHolidays = route({
  method: 'get',
  path: '/api/admin/holidays',
  summary: 'The holiday calendar rules with `when.holidays` look at',
  responses: { 200: jsonResponse(HolidaysSchema, 'the calendar'), ...errorResponses(401, 403) },
});
const putHolidays = route({
  method: 'put',
  path: '/api/admin/holidays',
  summary: 'Replaces the holiday calendar (YYYY-MM-DD in JIFEN_TIMEZONE); audited',
  request: { body: jsonBody(HolidaysSchema) },
  responses: { 200: jsonResponse(HolidaysSchema, 'the calendar'), ...errorResponses(400, 401, 403, 415) },
});
const getTiers = route({
  method: 'get',
  path: '/api/admin/tiers',
  summary: 'The tier ladder: names, growth thresholds, benefits, the rolling period',
  responses: { 200: jsonResponse(TierLadderSchema, 'the ladder'), ...errorResponses(401, 403) },
});
const putTiers = route({
  method: 'put',
  path: '/api/admin/tiers',
  summary: 'Replaces the tier ladder; members move up on their next growth, down only at their period’s end; audited',
  request: { body: jsonBody(TierLadderSchema) },
  responses: { 200: jsonResponse(TierLadderSchema, 'the ladder'), ...errorResponses(400, 401, 403, 415) },
});

const getExpiry = route({
  method: 'get',
  path: '/api/admin/expiry',
  summary: 'The expiry policy and the reminder days',
  responses: { 200: jsonResponse(ExpirySettingsSchema, 'the policy'), ...errorResponses(401, 403) },
});
const putExpiry = route({
  method: 'put',
  path: '/api/admin/expiry',
  summary: 'Sets the expiry policy for points credited from now on (lots already made keep their date); audited',
  request: { body: jsonBody(ExpirySettingsSchema) },
  responses: { 200: jsonResponse(ExpirySettingsSchema, 'the policy'), ...errorResponses(400, 401, 403, 415) },
});

export function ruleAdminRoutes(app: App, s: Services): void {
  // Registered before /{ruleId} routes of the same shape would match "dry-run" or "templates".
  app.openapi(dryRun, async (c) => {
    const { orders, drafts } = c.req.valid('json');
    const now = s.clock();
    const inputs = orders.map((o) => ({
      ...o,
      channel: o.channel as 'wechatpay' | 'alipay' | 'open',
      at: o.at === undefined ? now : typeof o.at === 'number' ? o.at : Date.parse(o.at),
    }));
    const results = await s.earning.dryRun(s.store, inputs, drafts);
    return c.json(
      {
        results: results.map((r) => ({
          points: r.points,
          base: r.base,
          ruleIds: r.applied.filter((a) => a.points !== 0).map((a) => a.id),
          rules: r.applied,
        })),
      },
      200,
    );
  });
  app.openapi(templates, (c) => c.json({ items: RULE_TEMPLATES.map((t) => ({ ...t })) }, 200));
  app.openapi(create, async (c) =>
    c.json(await s.rules.create(c.get('callerId'), c.req.valid('json') as RuleBody), 201),
  );
  app.openapi(list, async (c) => c.json({ items: await s.rules.list() }, 200));
  app.openapi(patch, async (c) =>
    c.json(
      await s.rules.update(c.get('callerId'), c.req.valid('param').ruleId, c.req.valid('json') as Partial<RuleBody>),
      200,
    ),
  );
  app.openapi(
    action('publish', 'Make the newest version active (or, with JIFEN_RULES_APPROVAL=on, ask for approval)'),
    async (c) => c.json(await s.rules.publish(c.get('callerId'), c.req.valid('param').ruleId), 200),
  );
  app.openapi(action('approve', 'A second operator approves the waiting publish'), async (c) =>
    c.json(await s.rules.approve(c.get('callerId'), c.req.valid('param').ruleId), 200),
  );
  app.openapi(action('archive', 'Stop a rule; points it gave stay'), async (c) =>
    c.json(await s.rules.archive(c.get('callerId'), c.req.valid('param').ruleId), 200),
  );
  app.openapi(versions, async (c) => c.json({ items: await s.rules.versions(c.req.valid('param').ruleId) }, 200));
  app.openapi(getHolidays, async (c) => c.json({ dates: [...(await s.rules.holidays())].sort() }, 200));
  app.openapi(putHolidays, async (c) =>
    c.json({ dates: await s.rules.setHolidays(c.get('callerId'), c.req.valid('json').dates) }, 200),
  );
  app.openapi(getExpiry, async (c) => c.json(await s.expiryPolicies.settings(), 200));
  app.openapi(putExpiry, async (c) => c.json(await s.expiryPolicies.set(c.get('callerId'), c.req.valid('json')), 200));
  app.openapi(getTiers, async (c) => c.json(await s.tiers.ladder(), 200));
  app.openapi(putTiers, async (c) => c.json(await s.tiers.setLadder(c.get('callerId'), c.req.valid('json')), 200));
}
