/**
 * Console operators over HTTP: HQ (or the bootstrap admin token) creates
 * them; passwords are checked for strength and stored as scrypt hashes;
 * sign-in gives an 8-hour session; five wrong passwords lock the account
 * for 15 minutes; a new password or a disabled account ends every session
 * at once. And the member lookup the console starts from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjust, call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';
import { createApp } from '../../cloudfunctions/core/http/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  expect((await admin('POST', '/api/admin/stores', { id: 'OP1', name: '一号店', region: '华东' })).status).toBe(201);
});
afterAll(() => t.close());

const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const signIn = (username: string, password: string) =>
  call(t.fetch, 'POST', '/api/console/login', { body: { username, password } });
const me = (token: string) => call(t.fetch, 'GET', '/api/console/me', { token });
const GOOD = 'plum-blossom-42';
const MIN = 60_000;

describe('creating operators', () => {
  it('HQ creates accounts; weak passwords, taken names and storeless managers are refused, and nothing is made', async () => {
    const made = await admin('POST', '/api/admin/operators', { username: 'Wang.HQ', password: GOOD, role: 'hq' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ username: 'wang.hq', role: 'hq', storeIds: [], status: 'active' });
    expect(JSON.stringify(made.body)).not.toMatch(/scrypt|password/i);

    const refused = await Promise.all([
      admin('POST', '/api/admin/operators', { username: 'li', password: 'short1', role: 'hq' }),
      admin('POST', '/api/admin/operators', { username: 'zhao', password: 'zhao-zhao-zhao', role: 'hq' }),
      admin('POST', '/api/admin/operators', { username: 'qian', password: 'aaaaaaaaaaaa', role: 'hq' }),
      admin('POST', '/api/admin/operators', { username: 'sun', password: GOOD, role: 'manager' }),
      admin('POST', '/api/admin/operators', { username: 'zhou', password: GOOD, role: 'cashier', storeIds: ['NOPE'] }),
    ]);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array(5).fill([400, 'VALIDATION_FAILED']));
    const taken = await admin('POST', '/api/admin/operators', { username: 'WANG.hq', password: GOOD, role: 'hq' });
    expect([taken.status, taken.body.code]).toEqual([409, 'USERNAME_TAKEN']);
    const names = (await admin('GET', '/api/admin/operators')).body.items.map((o: { username: string }) => o.username);
    expect(names).toEqual(['wang.hq']);
  });
});

describe('signing in', () => {
  it('gives a session that names the operator, and the right role and stores', async () => {
    await admin('POST', '/api/admin/operators', {
      username: 'mgr1',
      password: GOOD,
      role: 'manager',
      storeIds: ['OP1'],
    });
    const r = await signIn('MGR1', GOOD);
    expect(r.status).toBe(200);
    expect(r.body.operator).toMatchObject({ username: 'mgr1', role: 'manager', storeIds: ['OP1'] });
    expect(r.body.expiresAt).toMatch(/\+08:00$/);
    expect((await me(r.body.token)).body).toMatchObject({ username: 'mgr1', role: 'manager' });
    expect((await me(TEST_ADMIN_TOKEN)).body).toMatchObject({ username: 'hq', role: 'hq' });
  });

  it('answers a wrong password and an unknown name alike, and locks after five wrong passwords', async () => {
    await admin('POST', '/api/admin/operators', {
      username: 'cash1',
      password: GOOD,
      role: 'cashier',
      storeIds: ['OP1'],
    });
    const unknown = await signIn('nobody-here', GOOD);
    expect([unknown.status, unknown.body.code]).toEqual([401, 'LOGIN_FAILED']);
    for (let i = 1; i <= 4; i++) {
      const r = await signIn('cash1', `wrong-pass-${i}x`);
      expect([r.status, r.body.code, r.body.message]).toEqual([401, 'LOGIN_FAILED', unknown.body.message]);
    }
    const fifth = await signIn('cash1', 'wrong-pass-5x');
    expect([fifth.status, fifth.body.code]).toEqual([429, 'ACCOUNT_LOCKED']);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    const rightButLocked = await signIn('cash1', GOOD);
    expect([rightButLocked.status, rightButLocked.body.code]).toEqual([429, 'ACCOUNT_LOCKED']);

    t.clock.offset += 15 * MIN + 1_000;
    try {
      expect((await signIn('cash1', GOOD)).status).toBe(200);
    } finally {
      t.clock.offset -= 15 * MIN + 1_000;
    }
  });

  it('ends a session after 8 hours, on a new password and when disabled; enabling again does not revive it', async () => {
    const made = await admin('POST', '/api/admin/operators', {
      username: 'temp1',
      password: GOOD,
      role: 'cashier',
      storeIds: ['OP1'],
    });
    const id = made.body.id as string;
    const first = (await signIn('temp1', GOOD)).body.token as string;
    t.clock.offset += 8 * 60 * MIN + 1_000;
    try {
      expect((await me(first)).status).toBe(401);
    } finally {
      t.clock.offset -= 8 * 60 * MIN + 1_000;
    }

    const second = (await signIn('temp1', GOOD)).body.token as string;
    expect((await admin('PATCH', `/api/admin/operators/${id}`, { password: 'new-harbour-77' })).status).toBe(200);
    expect((await me(second)).status).toBe(401);
    expect((await signIn('temp1', GOOD)).status).toBe(401);

    const third = (await signIn('temp1', 'new-harbour-77')).body.token as string;
    expect((await admin('PATCH', `/api/admin/operators/${id}`, { status: 'disabled' })).body.status).toBe('disabled');
    expect((await me(third)).status).toBe(401);
    expect((await signIn('temp1', 'new-harbour-77')).status).toBe(401);
    expect((await admin('PATCH', `/api/admin/operators/${id}`, { status: 'active' })).body.status).toBe('active');
    expect((await me(third)).status).toBe(401);
    expect((await signIn('temp1', 'new-harbour-77')).status).toBe(200);
  });

  it('refuses a forged or altered session token', async () => {
    const token = (await signIn('mgr1', GOOD)).body.token as string;
    const parts = token.split('.');
    const asOther = [parts[0], parts[1], String(Number(parts[2]) + 1), parts[3], parts[4]].join('.');
    const longer = [parts[0], parts[1], parts[2], String(Number(parts[3]) + 86_400), parts[4]].join('.');
    for (const bad of [asOther, longer, `${token}x`, 'op1.a.b.c.d']) expect((await me(bad)).status).toBe(401);
  });
});

describe('the role matrix behind the static apps', () => {
  it('still sees the API route when catch-all GET routes are registered after it (as npm start serves the apps)', async () => {
    const app = createApp({ config: t.config, store: t.store });
    app.get('*', (c) => c.text('the H5 app'));
    app.get('/api/*', (c) => c.text('a later GET route'));
    await call(t.fetch, 'POST', '/api/admin/operators', {
      token: TEST_ADMIN_TOKEN,
      body: { username: 'cash-static', password: GOOD, role: 'cashier', storeIds: ['OP1'] },
    });
    const f = async (path: string, init?: RequestInit) => app.request(`http://localhost${path}`, init);
    const token = (await call(f, 'POST', '/api/console/login', { body: { username: 'cash-static', password: GOOD } }))
      .body.token;
    expect((await call(f, 'GET', '/api/admin/members?q=nobody', { token })).status).toBe(200);
    expect((await call(f, 'GET', '/api/admin/audit', { token })).status).toBe(403);
  });
});

describe('finding a member', () => {
  it('by phone or by id, exact only; the ledger page; a cashier may look, not change', async () => {
    const m = await login(t.fetch, 'op-member-1');
    expect((await adjust(t.fetch, m.memberId, 88, 'op-find-1')).status).toBe(200);
    const imported = await admin('POST', '/api/admin/members', { phone: '13912345678' });
    expect(imported.status).toBe(201);

    const byPhone = await admin('GET', '/api/admin/members?phone=13912345678');
    expect(byPhone.body.items.map((x: { id: string; phone: string }) => [x.id, x.phone])).toEqual([
      [imported.body.memberId, '139****5678'],
    ]);
    expect((await admin('GET', `/api/admin/members?q=${m.memberId}`)).body.items[0]).toMatchObject({ balance: 88 });
    expect((await admin('GET', '/api/admin/members?q=m_')).body.items).toEqual([]); // no prefix browsing
    expect((await admin('GET', '/api/admin/members')).status).toBe(400);
    const history = await admin('GET', `/api/admin/members/${m.memberId}/history`);
    expect(history.body.items.map((x: { delta: number }) => x.delta)).toEqual([88]);
    expect((await admin('GET', '/api/admin/members/nope/history')).status).toBe(404);

    await admin('POST', '/api/admin/operators', {
      username: 'cash2',
      password: GOOD,
      role: 'cashier',
      storeIds: ['OP1'],
    });
    const cashier = (await signIn('cash2', GOOD)).body.token as string;
    const as = (method: string, path: string, body?: unknown) => call(t.fetch, method, path, { token: cashier, body });
    expect((await as('GET', '/api/admin/members?phone=13912345678')).body.items).toHaveLength(1);
    const grant = await as('POST', `/api/admin/members/${m.memberId}/adjust`, {
      points: 5,
      reason: '试试',
      idempotencyKey: 'cash2-try',
    });
    expect([grant.status, grant.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await admin('GET', `/api/admin/members/${m.memberId}`)).body.balance).toBe(88);
  });
});
