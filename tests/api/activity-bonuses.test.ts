/**
 * Activity bonuses over HTTP, in sandbox: nothing is given until HQ sets an
 * amount; sign-up once, check-in once a day with a streak bonus, the
 * birthday set once with its profile bonus, referral codes that cannot be
 * forged or used on oneself; a frozen member gets none and still logs in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const as = (token: string, method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token, body });
const balance = async (token: string) => (await as(token, 'GET', '/api/member/me')).body.balance as number;
let seq = 0;

describe('before HQ sets any amount', () => {
  it('gives nothing: a new member starts at 0 and a check-in pays 0', async () => {
    expect((await admin('GET', '/api/admin/bonuses')).body).toMatchObject({ signup: 0, checkin: { points: 0 } });
    const m = await login(t.fetch, `o-bonus-none-${++seq}`);
    expect(await balance(m.token)).toBe(0);
    expect((await as(m.token, 'POST', '/api/member/check-in')).body).toMatchObject({
      points: 0,
      streak: 1,
      balance: 0,
    });
  });
});

describe('with amounts set', () => {
  beforeAll(async () => {
    const r = await admin('PUT', '/api/admin/bonuses', {
      signup: 100,
      profile: 20,
      checkin: { points: 5, streaks: [{ days: 3, bonus: 30 }] },
      referral: { referrer: 50, referred: 10 },
    });
    expect(r.status).toBe(200);
  });

  it('sign-up pays once, at the first login only', async () => {
    const code = `o-bonus-signup-${++seq}`;
    const m = await login(t.fetch, code);
    expect(await balance(m.token)).toBe(100);
    await login(t.fetch, code);
    expect(await balance(m.token)).toBe(100);
  });

  it('check-in pays once a day; the third day in a row adds the streak bonus; a missed day starts over', async () => {
    const m = await login(t.fetch, `o-bonus-checkin-${++seq}`);
    const day = async () => (await as(m.token, 'POST', '/api/member/check-in')).body;
    expect(await day()).toMatchObject({ points: 5, streak: 1, balance: 105 });
    const again = await as(m.token, 'POST', '/api/member/check-in');
    expect([again.status, again.body.code]).toEqual([409, 'CHECKED_IN']);
    expect((await as(m.token, 'GET', '/api/member/check-in')).body).toEqual({
      checkedInToday: true,
      streak: 1,
      points: 5,
      nextStreak: { days: 3, bonus: 30 },
    });
    t.clock.offset += DAY;
    expect(await day()).toMatchObject({ points: 5, streak: 2 });
    t.clock.offset += DAY;
    expect(await day()).toMatchObject({ points: 35, streak: 3, balance: 100 + 5 + 5 + 35 });
    t.clock.offset += 2 * DAY;
    expect(await day()).toMatchObject({ points: 5, streak: 1 });
    t.clock.offset = 0;
  });

  it('the birthday is set once and pays the profile bonus once', async () => {
    const m = await login(t.fetch, `o-bonus-birthday-${++seq}`);
    expect((await as(m.token, 'PUT', '/api/member/profile', { birthday: '1990-12-05' })).body).toEqual({
      birthday: '1990-12-05',
      points: 20,
    });
    expect((await as(m.token, 'PUT', '/api/member/profile', { birthday: '1990-12-05' })).body.points).toBe(0);
    const change = await as(m.token, 'PUT', '/api/member/profile', { birthday: '1991-01-01' });
    expect([change.status, change.body.code]).toEqual([409, 'BIRTHDAY_SET']);
    expect((await as(m.token, 'PUT', '/api/member/profile', { birthday: '1990-13-05' })).status).toBe(400);
    expect(await balance(m.token)).toBe(120);
  });

  it('a referral code is the member’s own: forged, self and second codes are refused', async () => {
    const a = await login(t.fetch, `o-bonus-ref-a-${++seq}`);
    const b = await login(t.fetch, `o-bonus-ref-b-${++seq}`);
    const c = await login(t.fetch, `o-bonus-ref-c-${++seq}`);
    const code = (await as(a.token, 'GET', '/api/member/referral')).body.code as string;
    expect(code.startsWith(`${a.memberId}.`)).toBe(true);
    const forged = `${c.memberId}.${code.split('.')[1]}`;
    expect((await as(b.token, 'POST', '/api/member/referral', { code: forged })).body.code).toBe('REFERRAL_INVALID');
    expect((await as(a.token, 'POST', '/api/member/referral', { code })).body.code).toBe('REFERRAL_SELF');
    expect((await as(b.token, 'POST', '/api/member/referral', { code })).body).toEqual({ accepted: true });
    expect((await as(b.token, 'GET', '/api/member/referral')).body.referred).toBe(true);
    const cCode = (await as(c.token, 'GET', '/api/member/referral')).body.code;
    expect((await as(b.token, 'POST', '/api/member/referral', { code: cCode })).body.code).toBe('REFERRAL_TAKEN');
  });

  it('a frozen member logs in and checks in, and gets no bonus', async () => {
    const code = `o-bonus-frozen-${++seq}`;
    const m = await login(t.fetch, code);
    await admin('POST', `/api/admin/members/${m.memberId}/freeze`, { reason: 'abuse' });
    expect((await login(t.fetch, code)).memberId).toBe(m.memberId);
    const r = await as(m.token, 'POST', '/api/member/check-in');
    expect(r.status).toBe(403);
    expect(await balance(m.token)).toBe(100);
  });
});
