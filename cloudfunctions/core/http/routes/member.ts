import { createRoute, z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/time.js';
import { historyPage } from '../../services/history.js';
import { ClaimInput, PhoneCodeInput } from '../../services/member-inputs.js';
import { memberAuth } from '../auth.js';
import { byAddress, byMember, limitBy } from '../rate-limit.js';
import type { App, Services } from '../context.js';
import {
  errorResponses,
  HistoryPageSchema,
  HistoryQuerySchema,
  jsonBody,
  jsonResponse,
  LoginBodySchema,
  LoginResponseSchema,
  MemberViewSchema,
} from '../schemas.js';

const security = [{ bearer: [] }];

const login = createRoute({
  method: 'post',
  path: '/api/member/login',
  tags: ['member'],
  summary: 'Log in with a wx.login code (sandbox: the code is the openid)',
  request: { body: jsonBody(LoginBodySchema) },
  responses: { 200: jsonResponse(LoginResponseSchema, 'a session'), ...errorResponses(400, 401, 403, 415, 429, 502) },
});

const me = createRoute({
  method: 'get',
  path: '/api/member/me',
  tags: ['member'],
  security,
  summary: 'The member, balance and tier',
  responses: { 200: jsonResponse(MemberViewSchema, 'the member'), ...errorResponses(401, 404) },
});

const history = createRoute({
  method: 'get',
  path: '/api/member/history',
  tags: ['member'],
  security,
  summary: 'Points history, newest first',
  request: { query: HistoryQuerySchema },
  responses: { 200: jsonResponse(HistoryPageSchema, 'one page'), ...errorResponses(400, 401) },
});

const claim = createRoute({
  method: 'post',
  path: '/api/member/claim',
  tags: ['member'],
  security,
  summary: 'Claim the points of an order with the ticket from the checkout QR',
  request: { body: jsonBody(ClaimInput) },
  responses: {
    200: jsonResponse(
      z.object({
        points: z.number().int(),
        balance: z.number().int(),
        status: z.enum(['credited', 'waiting']).openapi({ description: 'waiting: credited when the payment arrives' }),
      }),
      'claimed',
    ),
    ...errorResponses(400, 401, 404, 409, 410, 415),
  },
});

const bindPhone = createRoute({
  method: 'post',
  path: '/api/member/bind-phone',
  tags: ['member'],
  security,
  summary: 'Bind the phone number from the getPhoneNumber button (sandbox: the code is the number)',
  request: { body: jsonBody(PhoneCodeInput) },
  responses: {
    200: jsonResponse(
      z.object({
        phone: z.string().openapi({ example: '138****1234' }),
        merged: z.number().int().openapi({ description: 'points moved from a member created earlier by this phone' }),
        balance: z.number().int(),
      }),
      'bound',
    ),
    ...errorResponses(400, 401, 409, 415, 502, 503),
  },
});

export function memberRoutes(app: App, s: Services): void {
  app.use('/api/member/login', limitBy(s, 'login', byAddress(s)));
  app.openapi(login, async (c) => {
    const { code } = c.req.valid('json');
    const identity = await s.login(code);
    const member = await s.members.findOrCreateByOpenid(identity.openid, identity.unionid);
    await s.bonuses.signup(member.id); // once per member: later logins find its key and give nothing
    const session = await s.sessions.issue(member.id);
    return c.json(
      {
        token: session.token,
        expiresAt: isoInZone(session.expiresAt, s.config.timeZone),
        member: await s.members.view(member.id),
      },
      200,
    );
  });

  app.use('/api/member/me', memberAuth(s));
  app.openapi(me, async (c) => c.json(await s.members.view(c.get('memberId'), c.get('member')), 200));

  app.use('/api/member/bind-phone', memberAuth(s), limitBy(s, 'bindPhone', byMember));
  app.openapi(bindPhone, async (c) => {
    return c.json(await s.phoneBinding.bind(c.get('memberId'), c.req.valid('json').code), 200);
  });

  app.use('/api/member/claim', memberAuth(s), limitBy(s, 'claim', byMember));
  app.openapi(claim, async (c) => {
    return c.json(await s.claims.claim(c.get('memberId'), c.req.valid('json').ticket), 200);
  });

  app.use('/api/member/history', memberAuth(s));
  app.openapi(history, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    return c.json(await historyPage(s.store, s.config.timeZone, c.get('memberId'), cursor, limit), 200);
  });
}
