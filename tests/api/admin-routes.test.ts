import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjust, call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let member: { token: string; memberId: string };
beforeAll(async () => {
  t = await testApp();
  member = await login(t.fetch, 'wx-admin-target');
  await adjust(t.fetch, member.memberId, 100, 'seed');
});
afterAll(() => t.close());

const adjustPath = () => `/api/admin/members/${member.memberId}/adjust`;

describe('POST /api/admin/members/:memberId/adjust', () => {
  it('grants and deducts with a reason', async () => {
    const up = await adjust(t.fetch, member.memberId, 30, 'grant-1');
    expect(up.status).toBe(200);
    expect(up.body.event).toMatchObject({ kind: 'adjust', delta: 30, balanceAfter: 130 });
    const down = await adjust(t.fetch, member.memberId, -20, 'deduct-1');
    expect(down.body.event).toMatchObject({ delta: -20, balanceAfter: 110 });
    const view = await call(t.fetch, 'GET', `/api/admin/members/${member.memberId}`, { token: TEST_ADMIN_TOKEN });
    expect(view.body).toMatchObject({ balance: 110, available: 110 });
  });

  it('replays return the first result, marked, and write nothing', async () => {
    const first = await adjust(t.fetch, member.memberId, 5, 'replay-me');
    const before = await t.store.counts();
    const again = await adjust(t.fetch, member.memberId, 5, 'replay-me');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await t.store.counts()).toEqual(before);
  });

  it('the same key with another body is IDEMPOTENCY_CONFLICT', async () => {
    await adjust(t.fetch, member.memberId, 5, 'conflict-key');
    const before = await t.store.counts();
    const r = await adjust(t.fetch, member.memberId, 6, 'conflict-key');
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await t.store.counts()).toEqual(before);
  });

  it('never overdraws; a refused deduction can be retried with the same key once there are points', async () => {
    const m = await login(t.fetch, 'wx-poor');
    await adjust(t.fetch, m.memberId, 10, 'poor-seed');
    const refused = await adjust(t.fetch, m.memberId, -11, 'poor-deduct');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { available: 10, wanted: 11 } });
    await adjust(t.fetch, m.memberId, 1, 'poor-topup');
    const retried = await adjust(t.fetch, m.memberId, -11, 'poor-deduct');
    expect(retried.status).toBe(200);
    expect(retried.body.event.balanceAfter).toBe(0);
  });
});

describe('bad input changes nothing', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: any }>, number, string]> = [
    [
      'points as a string',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: { points: '10', reason: 'r', idempotencyKey: 'b1' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'fractional points',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: { points: 1.5, reason: 'r', idempotencyKey: 'b2' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'huge points',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: { points: 1e16, reason: 'r', idempotencyKey: 'b3' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'huge negative points',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: { points: -1e16, reason: 'r', idempotencyKey: 'b3n' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'zero points',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: { points: 0, reason: 'r', idempotencyKey: 'b4' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'no reason',
      () => call(t.fetch, 'POST', adjustPath(), { token: TEST_ADMIN_TOKEN, body: { points: 1, idempotencyKey: 'b5' } }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a blank reason',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: { points: 1, reason: '   ', idempotencyKey: 'b5b' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'no idempotency key',
      () => call(t.fetch, 'POST', adjustPath(), { token: TEST_ADMIN_TOKEN, body: { points: 1, reason: 'r' } }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a key with spaces',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: { points: 1, reason: 'r', idempotencyKey: 'a b' },
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'malformed JSON',
      () => call(t.fetch, 'POST', adjustPath(), { token: TEST_ADMIN_TOKEN, body: '{"points": 1,' }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a JSON array',
      () => call(t.fetch, 'POST', adjustPath(), { token: TEST_ADMIN_TOKEN, body: '[1]' }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a form body',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: 'points=1',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body over 64 KiB',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: TEST_ADMIN_TOKEN,
          body: { points: 1, reason: 'x'.repeat(70_000), idempotencyKey: 'b6' },
        }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'an unknown member',
      () =>
        call(t.fetch, 'POST', '/api/admin/members/m_nobody/adjust', {
          token: TEST_ADMIN_TOKEN,
          body: { points: 1, reason: 'r', idempotencyKey: 'b7' },
        }),
      404,
      'NOT_FOUND',
    ],
    [
      'no token',
      () => call(t.fetch, 'POST', adjustPath(), { body: { points: 1, reason: 'r', idempotencyKey: 'b8' } }),
      401,
      'UNAUTHORIZED',
    ],
    [
      'a wrong token',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: 'wrong-token-wrong-token',
          body: { points: 1, reason: 'r', idempotencyKey: 'b9' },
        }),
      401,
      'UNAUTHORIZED',
    ],
    [
      'a Basic credential',
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          headers: { authorization: `Basic ${TEST_ADMIN_TOKEN}` },
          body: { points: 1, reason: 'r', idempotencyKey: 'b10' },
        }),
      401,
      'UNAUTHORIZED',
    ],
    [
      "a member's token",
      () =>
        call(t.fetch, 'POST', adjustPath(), {
          token: member.token,
          body: { points: 1, reason: 'r', idempotencyKey: 'b11' },
        }),
      403,
      'FORBIDDEN',
    ],
  ];

  it.each(cases)('%s', async (_name, send, status, code) => {
    const before = await t.store.counts();
    const r = await send();
    expect(r.status).toBe(status);
    expect(r.body.code).toBe(code);
    expect(typeof r.body.message).toBe('string');
    expect(r.body.message.length).toBeGreaterThan(5);
    expect(await t.store.counts()).toEqual(before);
  });

  it('an unknown member on the read route is 404', async () => {
    const r = await call(t.fetch, 'GET', '/api/admin/members/m_nobody', { token: TEST_ADMIN_TOKEN });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: 'NOT_FOUND', message: 'Member was not found.' });
  });
});

describe('operations routes', () => {
  it('the ledger verifies through the admin route', async () => {
    const r = await call(t.fetch, 'GET', '/api/admin/ledger/verify', { token: TEST_ADMIN_TOKEN });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.totals.liability).toBeGreaterThan(0);
  });

  it('logs carry requests but never tokens', async () => {
    const joined = t.logs.join('');
    expect(joined).toContain('"path":"/api/admin/members/');
    expect(joined).not.toContain(TEST_ADMIN_TOKEN);
    expect(joined).not.toContain(member.token);
    expect(joined).not.toMatch(/Bearer/i);
  });
});
