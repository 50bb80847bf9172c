/**
 * Risk alerts raised by scripted scenarios, and not by normal traffic:
 * many WeChat Pay accruals for one member within minutes, redemptions just
 * under the review threshold again and again, a burst of points payments
 * captured at one store. One alert stays open per member or store until HQ
 * resolves it; the thresholds are HQ's to change without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { adjust, call, login } from '../support/http.js';
import { memberIdOf, postWechat } from '../support/notify.js';
import { SANDBOX_WECHAT_APPID } from '../../cloudfunctions/local/sandbox-secrets.js';
import { MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
let till: string;
const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const alerts = async (kind: string) =>
  (await admin('GET', '/api/admin/alerts?status=open')).body.items.filter((a: { kind: string }) => a.kind === kind);

beforeAll(async () => {
  keys = await paymentKeys();
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, ...env } = keys.env; // sandbox logins (code = openid), real payment keys
  t = await testApp({ ...env, JIFEN_REVIEW_THRESHOLD: '600' });
  for (const id of ['S1', 'S2']) await admin('POST', '/api/admin/stores', { id, name: id, region: '华东' });
  till = (await admin('POST', '/api/admin/staff', { name: '收银一', storeId: 'S1', role: 'cashier' })).body.token;
});
afterAll(() => t.close());

const paid = (openid: string) =>
  postWechat(
    t.fetch,
    wechatNotification(
      'TRANSACTION.SUCCESS',
      transactionResource({ mchId: MCHID, appId: SANDBOX_WECHAT_APPID, openid, totalFen: 2_000 }),
      keys.wechat,
    ),
  );

describe('many accruals for one member within minutes', () => {
  it('are not raised by a regular customer or by many customers', async () => {
    for (let i = 0; i < 4; i++) expect((await paid('o-regular')).status).toBe(204);
    for (let i = 0; i < 6; i++) expect((await paid(`o-crowd-${i}`)).status).toBe(204);
    expect(await alerts('risk.accrual_burst')).toEqual([]);
  });

  it('raise one alert at the fifth, however many follow, and another after HQ resolves it', async () => {
    for (let i = 0; i < 7; i++) expect((await paid('o-burst')).status).toBe(204);
    const memberId = await memberIdOf(t.store, 'o-burst');
    const raised = await alerts('risk.accrual_burst');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ subject: `member:${memberId}`, detail: { accruals: 5, minutes: 10 } });
    expect(
      (await admin('POST', `/api/admin/alerts/${raised[0].id}/resolve`, { note: '核实为团购，正常' })).status,
    ).toBe(204);
    expect(await alerts('risk.accrual_burst')).toEqual([]);
    expect((await paid('o-burst')).status).toBe(204);
    expect(await alerts('risk.accrual_burst')).toHaveLength(1);
  });
});

describe('redemptions just under the review threshold', () => {
  const reward = async (pointsCost: number) =>
    (await admin('POST', '/api/admin/rewards', { name: `礼品 ${pointsCost}`, kind: 'gift', pointsCost, stock: null }))
      .body.id as string;
  const redeemAs = async (code: string, rewardId: string, times: number) => {
    const m = await login(t.fetch, code);
    expect((await adjust(t.fetch, m.memberId, 5_000, `fund-${code}`)).status).toBe(200);
    for (let i = 0; i < times; i++) {
      const r = await call(t.fetch, 'POST', '/api/member/redeem', {
        token: m.token,
        body: { rewardId, requestId: `${code}-${i}` },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    return m.memberId;
  };

  it('raise an alert at the third within a day (550 of 600), not for small rewards or twice', async () => {
    const near = await reward(550);
    const small = await reward(100);
    await redeemAs('risk-small', small, 5);
    await redeemAs('risk-twice', near, 2);
    expect(await alerts('risk.near_review')).toEqual([]);
    const memberId = await redeemAs('risk-split', near, 3);
    expect(await alerts('risk.near_review')).toMatchObject([
      { subject: `member:${memberId}`, detail: { redemptions: 3, threshold: 600 } },
    ]);
  });
});

describe('points payments captured at one store', () => {
  const capture = async (member: { token: string }, orderNo: string) => {
    const code = await call(t.fetch, 'POST', '/api/member/pay-codes', { token: member.token, body: { points: 10 } });
    const r = await call(t.fetch, 'POST', '/api/staff/checkout/capture', {
      token: till,
      body: { code: code.body.code, orderNo, amountFen: 10_000 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };

  it('raise an alert past HQ’s threshold, changed without a restart', async () => {
    const m = await login(t.fetch, 'risk-till');
    expect((await adjust(t.fetch, m.memberId, 1_000, 'fund-risk-till')).status).toBe(200);
    for (let i = 0; i < 3; i++) await capture(m, `T-A-${i}`);
    expect(await alerts('risk.till_burst')).toEqual([]); // 3 is a busy minute, not a burst, at 20
    const settings = (await admin('GET', '/api/admin/risk')).body;
    const put = await admin('PUT', '/api/admin/risk', { ...settings, tillBurst: { count: 4, minutes: 1 } });
    expect(put.status).toBe(200);
    await capture(m, 'T-A-3');
    expect(await alerts('risk.till_burst')).toMatchObject([
      { subject: 'store:S1', detail: { captures: 4, minutes: 1 } },
    ]);
    const audit = await admin('GET', '/api/admin/audit?actor=hq');
    expect(audit.body.items.map((i: { action: string }) => i.action)).toContain('risk.update');
  });

  it('refuses a threshold that would alert on every event', async () => {
    const settings = (await admin('GET', '/api/admin/risk')).body;
    const r = await admin('PUT', '/api/admin/risk', { ...settings, accrualBurst: { count: 1, minutes: 10 } });
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe('the bonus blacklist', () => {
  it('refuses a listed openid its check-in (403, nothing written) until HQ takes it off', async () => {
    expect((await admin('PUT', '/api/admin/bonuses', { checkin: { points: 5, streaks: [] } })).status).toBe(200);
    const ok = await login(t.fetch, 'bl-regular');
    const listed = await login(t.fetch, 'bl-abuser');
    const checkIn = (token: string) => call(t.fetch, 'POST', '/api/member/check-in', { token });
    expect((await checkIn(ok.token)).status).toBe(200);
    const entry = await admin('POST', '/api/admin/blacklist', { openid: 'bl-abuser', reason: '批量注册刷签到' });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    expect((await admin('POST', '/api/admin/blacklist', { openid: 'bl-abuser', reason: 'again' })).status).toBe(409);
    const before = await t.store.counts();
    const refused = await checkIn(listed.token);
    expect([refused.status, refused.body.code]).toEqual([403, 'BONUS_REFUSED']);
    expect(await t.store.counts()).toEqual(before);
    // Payments still earn: the blacklist only stops bonuses.
    expect((await paid('bl-abuser')).status).toBe(204);
    expect((await admin('DELETE', `/api/admin/blacklist/${entry.body.id}`)).status).toBe(204);
    expect((await checkIn(listed.token)).status).toBe(200);
  });

  it('keeps a listed phone as its hash, shown masked, never in clear', async () => {
    const phone = '13700001111';
    const r = await admin('POST', '/api/admin/blacklist', { phone, reason: '多账号套取推荐奖励' });
    expect(r.body).toMatchObject({ kind: 'phone', shown: '137****1111' });
    expect(JSON.stringify((await admin('GET', '/api/admin/blacklist')).body)).not.toContain(phone);
    expect(JSON.stringify(await t.store.configDocs('blacklist'))).not.toContain(phone);
    expect(await t.services.blacklist.covers({ openid: null, phoneHash: t.services.phones.hash(`+86 ${phone}`) })).toBe(
      true,
    );
    expect(
      await t.services.blacklist.covers({ openid: 'someone', phoneHash: t.services.phones.hash('13700002222') }),
    ).toBe(false);
    const audit = await admin('GET', '/api/admin/audit?actor=hq');
    expect(audit.body.items.map((i: { action: string }) => i.action)).toContain('blacklist.update');
  });
});
