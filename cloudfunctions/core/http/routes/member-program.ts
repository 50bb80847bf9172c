/**
 * What the member app shows of the programme: the tier page (ladder,
 * benefits, growth by month), the "how to earn" page (generated from the
 * active rules and bonuses) and the live balance stream an open app listens
 * to (Server-Sent Events; the local server only: a cloud function cannot
 * hold a connection open, so the mini-program polls, src/lib/use-live-balance.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { memberAuth } from '../auth.js';
import type { App, Services } from '../context.js';
import { errorResponse } from '../errors.js';
import {
  RuleCapsSchema,
  RuleThenSchema,
  RuleWhenSchema,
  TierLadderSchema,
  ExpirySettingsSchema,
} from '../rule-schemas.js';
import { errorResponses, jsonResponse } from '../schemas.js';
import { BonusSettingsSchema } from './activities.js';

const security = [{ bearer: [] }];
const member = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ['member'], security, ...r });

/** A stream ends after this long; the app reconnects with a session that is checked again. */
export const STREAM_MAX_MS = 10 * 60_000;
/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 20_000;

const TierDetailSchema = z
  .object({
    current: z.object({
      code: z.string(),
      name: z.string(),
      growth: z.number().int(),
      next: z.object({ code: z.string(), name: z.string(), growthNeeded: z.number().int() }).nullable(),
    }),
    heldUntil: z
      .string()
      .nullable()
      .openapi({ description: 'when the held tier is evaluated again; null at the first tier' }),
    periodMonths: z.number().int(),
    ladder: TierLadderSchema.shape.tiers,
    months: z.array(z.object({ month: z.string().openapi({ example: '2026-12' }), growth: z.number().int() })),
  })
  .openapi('MemberTier');

const EarningGuideSchema = z
  .object({
    basePointsPerYuan: z.number().int(),
    rules: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        when: RuleWhenSchema.extend({ storeNames: z.array(z.string()).optional() }),
        then: RuleThenSchema,
        caps: RuleCapsSchema,
      }),
    ),
    tier: z.object({ code: z.string(), name: z.string(), multiplier: z.number() }),
    bonuses: BonusSettingsSchema,
    expiry: ExpirySettingsSchema.omit({ reminders: true }),
  })
  .openapi('EarningGuide');

const tier = member({
  method: 'get',
  path: '/api/member/tier',
  summary: 'My tier page: the ladder with benefits, my progress, and my growth month by month',
  responses: { 200: jsonResponse(TierDetailSchema, 'the tier page'), ...errorResponses(401, 404) },
});
const earning = member({
  method: 'get',
  path: '/api/member/earning',
  summary:
    'How to earn: the base rate, the active rules, the activity bonuses, my tier multiplier and the expiry policy',
  responses: { 200: jsonResponse(EarningGuideSchema, 'the guide'), ...errorResponses(401, 404) },
});
const events = member({
  method: 'get',
  path: '/api/member/events',
  summary:
    'Server-Sent Events: `balance` with { balance, available, held } at once and after every change of my account; ends after 10 minutes (reconnect)',
  responses: {
    200: { description: 'an event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses(401, 429, 503),
  },
});

export function memberProgramRoutes(app: App, s: Services): void {
  for (const path of ['/api/member/tier', '/api/member/earning', '/api/member/events']) app.use(path, memberAuth(s));

  app.openapi(tier, async (c) => c.json(await s.tiers.detail(c.get('memberId')), 200));
  app.openapi(earning, async (c) => c.json(await s.guides.forMember(c.get('memberId')), 200));

  app.openapi(events, (c) => {
    if (s.live.closed) {
      return errorResponse(
        c,
        503,
        'STREAM_UNAVAILABLE',
        'Live balance streams are not served here; read GET /api/member/me.',
      );
    }
    // What the watch hears before the stream is writing waits here.
    const queued: string[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    const stop = s.live.watch(c.get('memberId'), (b) => {
      if (b) queued.push(JSON.stringify(b));
      else ended = true;
      wake?.();
    });
    if (!stop) {
      c.header('retry-after', '30'); // DESIGN: every 429 says when to come back
      return errorResponse(c, 429, 'RATE_LIMITED', 'Too many open event streams; close one or try again later.');
    }
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no'); // nginx in front must not buffer the stream
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => wake?.());
      const ends = Date.now() + STREAM_MAX_MS;
      try {
        while (!stream.aborted && !ended && Date.now() < ends) {
          for (const data of queued.splice(0)) await stream.writeSSE({ event: 'balance', data });
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, Math.min(HEARTBEAT_MS, Math.max(0, ends - Date.now()))).unref?.();
          });
          wake = null;
          if (queued.length === 0 && !stream.aborted && !ended) await stream.write(': keep-alive\n\n');
        }
      } finally {
        stop();
      }
    }) as never;
  });
}
