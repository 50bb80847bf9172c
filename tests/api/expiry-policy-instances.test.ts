/**
 * An operator's expiry policy reaches every process. The console saves it
 * through one server (or cloud function instance); another instance over the
 * same database that has never read it must still date the lots it credits
 * by it — an imported member's opening points, a manual adjustment and a
 * member's check-in — not by the JIFEN_POINTS_TTL_DAYS it started with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yearlyClearance } from '../../cloudfunctions/core/domain/expiry.js';
import { appFor } from '../../cloudfunctions/core/http/app.js';
import { memberCall } from '../../cloudfunctions/core/functions/member-call.js';
import { createServices } from '../../cloudfunctions/core/wiring.js';
import type { Services } from '../../cloudfunctions/core/http/context.js';
import { adjust, call, login, type Fetcher } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let other: Services;
let otherFetch: Fetcher;
beforeAll(async () => {
  t = await testApp({ JIFEN_POINTS_TTL_DAYS: '30' });
  other = createServices({ config: t.config, store: t.store, clock: () => Date.now() });
  const app = appFor(other);
  otherFetch = async (path, init) => app.request(`http://localhost${path}`, init);
  const set = await call(t.fetch, 'PUT', '/api/admin/expiry', {
    token: TEST_ADMIN_TOKEN,
    body: { mode: 'yearly', clearOn: '12-31', afterYears: 2 },
  });
  expect(set.status).toBe(200);
});
afterAll(() => t.close());

const clearance = (at: number) => yearlyClearance(at, { clearOn: '12-31', afterYears: 2 }, t.config.timeZone);
const lotDates = async (memberId: string) => (await t.store.openLots(memberId)).map((l) => l.expiresAt);

describe('the expiry policy saved through another instance', () => {
  it('dates an imported member’s opening points', async () => {
    const before = Date.now();
    const r = await call(otherFetch, 'POST', '/api/admin/members', {
      token: TEST_ADMIN_TOKEN,
      body: { phone: '13800001234', points: 50, reason: '老会员迁移' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await lotDates(r.body.memberId)).toEqual([clearance(before)]);
  });

  it('dates a manual adjustment', async () => {
    const m = await login(t.fetch, 'expiry-instances-adjust');
    const before = Date.now();
    expect((await adjust(otherFetch, m.memberId, 40, 'exp-inst-1')).status).toBe(200);
    expect(await lotDates(m.memberId)).toEqual([clearance(before)]);
  });

  it('dates a check-in bonus made through the member function', async () => {
    const put = await call(t.fetch, 'PUT', '/api/admin/bonuses', {
      token: TEST_ADMIN_TOKEN,
      body: { checkin: { points: 5, streaks: [] } },
    });
    expect(put.status).toBe(200);
    const before = Date.now();
    const r = await memberCall(other, { action: 'checkIn', data: {} }, { OPENID: 'o-expiry-instances-fn' });
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
    const member = await other.members.findOrCreateByOpenid('o-expiry-instances-fn', null);
    expect(await lotDates(member.id)).toEqual([clearance(before)]);
  });
});
