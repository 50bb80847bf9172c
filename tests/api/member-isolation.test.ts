/**
 * A member's token reaches that member only. Every /api/member/* route in
 * /openapi.json is tried with member A's token and every lever a client has
 * (B's id in the query and body, B's claimed ticket, a code for B's phone,
 * B's history cursor); B must be untouched and A must only ever see A.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityEnv, openid, type IdentityEnv, type Member } from './identity-fixture.js';

let env: IdentityEnv;
let a: Member;
let b: Member;
let bTicket: string;
let staffToken: string;
let routes: Array<{ method: string; path: string; secured: boolean }>;
const B_PHONE = '13955550001';

const snapshotOf = async (m: Member) => ({
  view: (await env.admin('GET', `/api/admin/members/${m.memberId}`)).body,
  history: (await env.api('GET', '/api/member/history?limit=100', { token: m.token })).body,
});

beforeAll(async () => {
  env = await identityEnv();
  a = await env.loginAs(openid('iso-a'));
  b = await env.loginAs(openid('iso-b'));
  for (let i = 1; i <= 3; i++) {
    const r = await env.admin('POST', `/api/admin/members/${b.memberId}/adjust`, {
      points: 10 * i,
      reason: 'seed',
      idempotencyKey: `iso-b-${i}`,
    });
    expect(r.status).toBe(200);
  }
  expect((await env.bind(b.token, B_PHONE)).status).toBe(200);
  const ticket = await env.admin('POST', '/api/staff/claims', { channel: 'wechatpay', outTradeNo: 'ISO-ORDER-1' });
  bTicket = ticket.body.ticket;
  const claimed = await env.api('POST', '/api/member/claim', { token: b.token, body: { ticket: bTicket } });
  expect(claimed).toMatchObject({ status: 200, body: { status: 'waiting' } });
  expect((await env.admin('POST', '/api/admin/stores', { id: 'S-ISO', name: '店', region: '沪' })).status).toBe(201);
  staffToken = (await env.admin('POST', '/api/admin/staff', { name: '收银', storeId: 'S-ISO', role: 'cashier' })).body
    .token;
  const doc = (await env.api('GET', '/openapi.json')).body;
  routes = Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(
    ([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, secured: !!op.security })),
  );
});
afterAll(() => env.close());

/** The first Server-Sent Event of a stream route, then the stream is closed. */
async function firstEvent(path: string, token: string): Promise<string> {
  const res = await env.t.fetch(path, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  return text;
}

const under = (prefix: string) => routes.filter((r) => r.path.startsWith(prefix));
/** The route's path with every {param} filled with B's member id. */
const concrete = (path: string, id: string) => path.replace(/\{[^}]+\}/g, encodeURIComponent(id));

describe("member A against member B's data", () => {
  it('finds the member routes in /openapi.json', () => {
    const paths = under('/api/member/').map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'POST /api/member/login',
        'GET /api/member/me',
        'GET /api/member/history',
        'POST /api/member/bind-phone',
        'POST /api/member/claim',
      ]),
    );
  });

  it('every member route, tried with B as the target, leaves B untouched and shows A only A', async () => {
    const bBefore = await snapshotOf(b);
    expect(bBefore.view).toMatchObject({ balance: 60, phone: '139****0001' });
    expect(bBefore.history.items).toHaveLength(3);
    const bCursor = (await env.api('GET', '/api/member/history?limit=1', { token: b.token })).body.nextCursor;
    expect(bCursor).toEqual(expect.any(String));

    for (const route of under('/api/member/')) {
      const query = `?memberId=${b.memberId}&member=${b.memberId}&id=${b.memberId}&openid=${b.openid}`;
      const path = concrete(route.path, b.memberId) + query;
      const body = {
        code: env.phoneCode(B_PHONE),
        ticket: bTicket,
        memberId: b.memberId,
        id: b.memberId,
        openid: b.openid,
        sub: b.memberId,
      };
      if (route.path === '/api/member/events') {
        // A stream never ends by itself: read its first event (the balance now) and hang up.
        const first = await firstEvent(path, a.token);
        expect(first).toContain('"balance":0'); // A's, not B's 60
        expect(first).not.toContain(b.memberId);
        continue;
      }
      const opts = { token: a.token, body: route.method === 'GET' ? undefined : body };
      const r = await env.api(route.method, path, opts);
      const seen = `${route.method} ${route.path} → ${r.status} ${JSON.stringify(r.body)}`;
      expect(seen).not.toContain(b.memberId);
      expect(seen).not.toContain(b.openid);
      expect(seen).not.toContain('139****0001');
      if (r.status === 200 && typeof r.body?.id === 'string') expect(r.body.id, seen).toBe(a.memberId);
      if (r.status === 200 && r.body?.member) expect(r.body.member.id, seen).not.toBe(b.memberId);
      if (route.method === 'GET' && r.status === 200 && Array.isArray(r.body?.items)) {
        expect(r.body.items, seen).toEqual([]); // A has no history of their own
      }
    }

    const withBCursor = await env.api('GET', `/api/member/history?cursor=${bCursor}`, { token: a.token });
    expect(withBCursor.body.items ?? []).toEqual([]);
    expect(await snapshotOf(b)).toEqual(bBefore);
    expect(await env.api('GET', '/api/member/me', { token: a.token })).toMatchObject({
      status: 200,
      body: { id: a.memberId, balance: 0, phone: null },
    });
  });

  it('spells out the refusals: B’s phone is PHONE_TAKEN, B’s ticket ALREADY_CLAIMED', async () => {
    const bind = await env.api('POST', '/api/member/bind-phone', {
      token: a.token,
      body: { code: env.phoneCode(B_PHONE) },
    });
    expect(bind).toMatchObject({ status: 409, body: { code: 'PHONE_TAKEN' } });
    const claim = await env.api('POST', '/api/member/claim', { token: a.token, body: { ticket: bTicket } });
    expect(claim).toMatchObject({ status: 409, body: { code: 'ALREADY_CLAIMED' } });
  });

  it("refuses A's token with its subject changed to B (signature no longer matches)", async () => {
    const [head, payload, sig] = a.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = [head, Buffer.from(JSON.stringify({ ...claims, sub: b.memberId })).toString('base64url'), sig];
    const r = await env.api('GET', '/api/member/me', { token: forged.join('.') });
    expect(r).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });
});

describe('tokens of the wrong kind', () => {
  it('a member token on every /api/staff/* and /api/admin/* route is 403 and writes nothing', async () => {
    const targets = [...under('/api/staff/'), ...under('/api/admin/')];
    expect(targets.length).toBeGreaterThan(5);
    const before = await env.t.store.counts();
    for (const route of targets) {
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const r = await env.api(route.method, concrete(route.path, b.memberId), { token: a.token, body });
      expect(`${route.method} ${route.path} → ${r.status} ${r.body?.code}`).toBe(
        `${route.method} ${route.path} → 403 FORBIDDEN`,
      );
    }
    expect(await env.t.store.counts()).toEqual(before);
  });

  it('a staff token on every secured /api/member/* route is 401', async () => {
    const secured = under('/api/member/').filter((r) => r.secured);
    expect(secured.length).toBeGreaterThanOrEqual(4);
    for (const route of secured) {
      const body = route.method === 'GET' ? undefined : { code: 'x', ticket: bTicket };
      const r = await env.api(route.method, concrete(route.path, b.memberId), { token: staffToken, body });
      expect(`${route.method} ${route.path} → ${r.status}`).toBe(`${route.method} ${route.path} → 401`);
    }
  });
});
