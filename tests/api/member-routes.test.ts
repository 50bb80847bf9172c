import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sessions } from '../../cloudfunctions/core/services/sessions.js';
import { adjust, call, login } from '../support/http.js';
import { TEST_SECRET } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('member login (sandbox)', () => {
  it('creates the member on first login and finds the same one after', async () => {
    const first = await call(t.fetch, 'POST', '/api/member/login', { body: { code: 'wx-alice' } });
    expect(first.status).toBe(200);
    expect(first.body.member).toMatchObject({ balance: 0, available: 0, held: 0, phone: null, status: 'active' });
    expect(first.body.member.tier).toMatchObject({ code: 'bronze', name: '铜卡会员' });
    expect(first.body.expiresAt).toMatch(/\+08:00$/);
    const second = await login(t.fetch, 'wx-alice');
    expect(second.memberId).toBe(first.body.member.id);
  });

  it('refuses an empty or missing code with VALIDATION_FAILED', async () => {
    for (const body of [{}, { code: '' }, { code: 42 }, { code: 'x'.repeat(129) }]) {
      const r = await call(t.fetch, 'POST', '/api/member/login', { body });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.message).toMatch(/code/);
    }
  });
});

describe('GET /api/member/me', () => {
  it('shows balance, available and held', async () => {
    const { token, memberId } = await login(t.fetch, 'wx-me');
    await adjust(t.fetch, memberId, 120, 'me-1');
    const r = await call(t.fetch, 'GET', '/api/member/me', { token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: memberId, balance: 120, available: 120, held: 0 });
    expect(r.body.expiring).toBeNull(); // a fresh grant lives 365 days
  });

  it.each([
    ['no token', undefined, 'UNAUTHORIZED'],
    ['a garbage token', 'not-a-token', 'UNAUTHORIZED'],
    ['the admin token', 'test-admin-token-0123456789abcdef', 'UNAUTHORIZED'],
  ])('answers 401 to %s', async (_n, token, code) => {
    const r = await call(t.fetch, 'GET', '/api/member/me', { token });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe(code);
  });

  it('refuses an expired session', async () => {
    const { memberId } = await login(t.fetch, 'wx-expired');
    const old = new Sessions(TEST_SECRET, () => Date.now() - 8 * 24 * 3600_000);
    const { token } = await old.issue(memberId);
    const r = await call(t.fetch, 'GET', '/api/member/me', { token });
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/expired/);
  });

  it('refuses a token signed with another secret', async () => {
    const { memberId } = await login(t.fetch, 'wx-forged');
    const { token } = await new Sessions('another-secret-0123456789abcdef0123456789', Date.now).issue(memberId);
    expect((await call(t.fetch, 'GET', '/api/member/me', { token })).status).toBe(401);
  });
});

describe('GET /api/member/history', () => {
  it('pages newest first with an opaque cursor, null on the last page', async () => {
    const { token, memberId } = await login(t.fetch, 'wx-history');
    for (let i = 1; i <= 25; i++) await adjust(t.fetch, memberId, i, `hist-${i}`);
    const first = await call(t.fetch, 'GET', '/api/member/history', { token });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20); // the default page
    expect(first.body.items[0]).toMatchObject({ kind: 'adjust', delta: 25, balanceAfter: 325, reason: 'test' });
    expect(first.body.items[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    const second = await call(t.fetch, 'GET', `/api/member/history?cursor=${first.body.nextCursor}&limit=100`, {
      token,
    });
    expect(second.body.items.map((i: { delta: number }) => i.delta)).toEqual([5, 4, 3, 2, 1]);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    ['limit=0', 'VALIDATION_FAILED'],
    ['limit=101', 'VALIDATION_FAILED'],
    ['limit=abc', 'VALIDATION_FAILED'],
    ['cursor=bm90LWEtY3Vyc29y', 'VALIDATION_FAILED'],
  ])('refuses %s', async (query, code) => {
    const { token } = await login(t.fetch, 'wx-history-bad');
    const r = await call(t.fetch, 'GET', `/api/member/history?${query}`, { token });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(code);
  });

  it("one member's token never shows another member's history", async () => {
    const a = await login(t.fetch, 'wx-a');
    const b = await login(t.fetch, 'wx-b');
    await adjust(t.fetch, b.memberId, 9, 'b-only');
    const r = await call(t.fetch, 'GET', '/api/member/history', { token: a.token });
    expect(r.body.items).toEqual([]);
    const me = await call(t.fetch, 'GET', '/api/member/me', { token: a.token });
    expect(me.body.id).toBe(a.memberId);
  });
});
