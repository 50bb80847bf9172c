/** Activity bonuses: members check in, give their birthday and share or accept a referral code; HQ sets the amounts. */
import { createRoute, z } from '@hono/zod-openapi';
import { memberAuth } from '../auth.js';
import type { App, Services } from '../context.js';
import { ProfileInput, ReferralInput } from '../../services/member-inputs.js';
import { errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
const Points = z.number().int().min(0).max(1_000_000);

export const BonusSettingsSchema = z
  .object({
    signup: Points.default(0),
    phone: Points.default(0),
    profile: Points.default(0),
    checkin: z
      .object({
        points: Points.default(0),
        streaks: z
          .array(z.object({ days: z.number().int().min(2).max(366), bonus: Points }).strict())
          .max(10)
          .default([]),
      })
      .strict()
      .default({ points: 0, streaks: [] }),
    referral: z
      .object({
        referrer: Points.default(0),
        referred: Points.default(0),
        perReferrerMax: z.number().int().min(0).max(10_000).default(0),
      })
      .strict()
      .default({ referrer: 0, referred: 0, perReferrerMax: 0 }),
    birthday: Points.default(0),
  })
  .strict()
  .openapi('ActivityBonuses', { description: 'points per activity; 0 turns one off; perReferrerMax 0 = no limit' });

const CheckInStatusSchema = z.object({
  checkedInToday: z.boolean(),
  streak: z.number().int(),
  points: z.number().int(),
  nextStreak: z.object({ days: z.number().int(), bonus: z.number().int() }).nullable(),
});

const member = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ['member'], security, ...r });
const admin = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ['admin'], security, ...r });

const checkInStatus = member({
  method: 'get',
  path: '/api/member/check-in',
  summary: 'Whether I checked in today, my streak, and the next streak bonus',
  responses: { 200: jsonResponse(CheckInStatusSchema, 'the status'), ...errorResponses(401) },
});
const checkIn = member({
  method: 'post',
  path: '/api/member/check-in',
  summary: 'Check in today: once per day (409 CHECKED_IN), streak bonuses on the days configured',
  responses: {
    200: jsonResponse(
      z.object({ points: z.number().int(), streak: z.number().int(), balance: z.number().int() }),
      'checked in',
    ),
    ...errorResponses(401, 403, 409),
  },
});
const profile = member({
  method: 'put',
  path: '/api/member/profile',
  summary: 'My birthday (MM-DD or YYYY-MM-DD), set once; the first time earns the profile bonus',
  request: {
    body: jsonBody(ProfileInput.strict()),
  },
  responses: {
    200: jsonResponse(z.object({ birthday: z.string(), points: z.number().int() }), 'saved'),
    ...errorResponses(400, 401, 409, 415),
  },
});
const myReferral = member({
  method: 'get',
  path: '/api/member/referral',
  summary: 'My referral code (to share: onShareAppMessage puts it in the path) and who referred me',
  responses: {
    200: jsonResponse(z.object({ code: z.string(), referred: z.boolean() }), 'my code'),
    ...errorResponses(401),
  },
});
const acceptReferral = member({
  method: 'post',
  path: '/api/member/referral',
  summary:
    'Accept a referral code: once, before my first payment, never my own; both sides are paid on my first payment',
  request: { body: jsonBody(ReferralInput.strict()) },
  responses: {
    200: jsonResponse(z.object({ accepted: z.literal(true) }), 'accepted'),
    ...errorResponses(400, 401, 404, 409, 415),
  },
});
const getBonuses = admin({
  method: 'get',
  path: '/api/admin/bonuses',
  summary: 'Activity bonus amounts and limits',
  responses: { 200: jsonResponse(BonusSettingsSchema, 'the settings'), ...errorResponses(401, 403) },
});
const putBonuses = admin({
  method: 'put',
  path: '/api/admin/bonuses',
  summary: 'Sets the activity bonuses; audited',
  request: { body: jsonBody(BonusSettingsSchema) },
  responses: { 200: jsonResponse(BonusSettingsSchema, 'the settings'), ...errorResponses(400, 401, 403, 415) },
});

export function activityRoutes(app: App, s: Services): void {
  for (const path of ['/api/member/check-in', '/api/member/profile', '/api/member/referral'])
    app.use(path, memberAuth(s));
  app.openapi(checkInStatus, async (c) => c.json(await s.bonuses.checkInStatus(c.get('memberId')), 200));
  app.openapi(checkIn, async (c) => c.json(await s.bonuses.checkIn(c.get('memberId')), 200));
  app.openapi(profile, async (c) =>
    c.json(await s.bonuses.setBirthday(c.get('memberId'), c.req.valid('json').birthday), 200),
  );
  app.openapi(myReferral, async (c) => c.json(await s.bonuses.referralView(c.get('memberId')), 200));
  app.openapi(acceptReferral, async (c) => {
    await s.bonuses.acceptReferral(c.get('memberId'), c.req.valid('json').code);
    return c.json({ accepted: true as const }, 200);
  });
  app.openapi(getBonuses, async (c) => c.json(await s.bonuses.settings(), 200));
  app.openapi(putBonuses, async (c) => c.json(await s.bonuses.set(c.get('callerId'), c.req.valid('json')), 200));
}
