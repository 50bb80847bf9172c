/**
 * Subscribe messages after a payment: the member's accepted templates become
 * credits; an accrual writes an outbox row with the points; the dispatcher
 * sends exactly one message to (the fake) WeChat, never twice, and never
 * lets a missing credit touch the accrual.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { FAKE_APPID, FAKE_SECRET, startFakeWechat, type FakeWechat } from '../support/fake-wechat.js';
import { call } from '../support/http.js';
import { postWechat } from '../support/notify.js';
import { MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

const T_EARNED = 'tmpl-earned-0001';
const T_REFUND = 'tmpl-refund-0001';
const TEMPLATES = {
  'points.earned': {
    templateId: T_EARNED,
    page: 'pages/history/index',
    data: {
      number1: 'points',
      amount2: 'paid',
      number3: 'balance',
      time4: 'time',
      thing5: '=感谢您的光临，欢迎下次再来使用积分兑换好礼',
    },
  },
  'points.refunded': { templateId: T_REFUND, data: { number1: 'points', amount2: 'refunded' } },
};

let fake: FakeWechat;
let t: TestApp;
let keys: PaymentKeys;
let seq = 0;

beforeAll(async () => {
  fake = await startFakeWechat();
  keys = await paymentKeys();
  t = await testApp({
    ...keys.env,
    WECHAT_APPID: FAKE_APPID,
    WECHAT_SECRET: FAKE_SECRET,
    WECHAT_API_BASE: fake.url,
    JIFEN_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES),
  });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

async function member() {
  const openid = `o-sub-${++seq}`;
  fake.addLoginCode(`code-${seq}`, { openid });
  const r = await call(t.fetch, 'POST', '/api/member/login', { body: { code: `code-${seq}` } });
  expect(r.status).toBe(200);
  return { openid, token: r.body.token as string };
}
const pay = (openid: string, totalFen: number) =>
  postWechat(
    t.fetch,
    wechatNotification(
      'TRANSACTION.SUCCESS',
      transactionResource({ mchId: MCHID, appId: FAKE_APPID, openid, totalFen }),
      keys.wechat,
    ),
  );
const dispatch = () => call(t.fetch, 'POST', '/api/admin/outbox/dispatch', { token: TEST_ADMIN_TOKEN });
const sends = (openid: string) =>
  fake.requestsTo('/cgi-bin/message/subscribe/send').filter((r) => (r.body as { touser?: string })?.touser === openid);

describe('subscription credits', () => {
  it('lists the templates to ask for and counts accepted ones', async () => {
    const m = await member();
    const before = await call(t.fetch, 'GET', '/api/member/subscriptions', { token: m.token });
    expect(before.body.templates).toEqual([
      { topic: 'points.earned', templateId: T_EARNED },
      { topic: 'points.refunded', templateId: T_REFUND },
    ]);
    expect(before.body.credits).toEqual({});
    await call(t.fetch, 'POST', '/api/member/subscriptions', { token: m.token, body: { accepted: [T_EARNED] } });
    const after = await call(t.fetch, 'POST', '/api/member/subscriptions', {
      token: m.token,
      body: { accepted: [T_EARNED, T_REFUND] },
    });
    expect(after.body.credits).toEqual({ [T_EARNED]: 2, [T_REFUND]: 1 });
  });

  it('refuses an unknown template id', async () => {
    const m = await member();
    const r = await call(t.fetch, 'POST', '/api/member/subscriptions', {
      token: m.token,
      body: { accepted: ['nope'] },
    });
    expect(r).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });
});

describe('after a payment', () => {
  it('with a credit: exactly one message with the right fields, never twice', async () => {
    const m = await member();
    await call(t.fetch, 'POST', '/api/member/subscriptions', { token: m.token, body: { accepted: [T_EARNED] } });
    fake.grantSubscribe(m.openid, T_EARNED, 1);
    expect((await pay(m.openid, 12_800)).status).toBe(204);
    expect(sends(m.openid)).toHaveLength(0); // nothing is sent before the answer
    expect((await dispatch()).body.sent).toBeGreaterThanOrEqual(1);
    await dispatch();
    const sent = sends(m.openid);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { template_id: string; page: string; data: Record<string, { value: string }> };
    expect(body.template_id).toBe(T_EARNED);
    expect(body.page).toBe('pages/history/index');
    expect(body.data.number1!.value).toBe('128');
    expect(body.data.amount2!.value).toBe('¥128.00');
    expect(body.data.number3!.value).toBe('128');
    expect(body.data.time4!.value).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect([...body.data.thing5!.value].length).toBeLessThanOrEqual(20);
    const credits = await call(t.fetch, 'GET', '/api/member/subscriptions', { token: m.token });
    expect(credits.body.credits[T_EARNED]).toBe(0);
  });

  it('without a credit: no message, and the accrual is unaffected', async () => {
    const m = await member();
    await pay(m.openid, 5_000);
    await dispatch();
    expect(sends(m.openid)).toHaveLength(0);
    expect((await call(t.fetch, 'GET', '/api/member/me', { token: m.token })).body.balance).toBe(50);
  });

  it('WeChat says 43101 (no credit there): nothing sent, not retried', async () => {
    const m = await member();
    await call(t.fetch, 'POST', '/api/member/subscriptions', { token: m.token, body: { accepted: [T_EARNED] } });
    await pay(m.openid, 3_000); // our count says 1, the fake has none
    await dispatch();
    await dispatch();
    const attempts = fake
      .requestsTo('/cgi-bin/message/subscribe/send')
      .filter((r) => (r.body as { touser?: string })?.touser === m.openid);
    expect(attempts).toHaveLength(1);
    expect((await call(t.fetch, 'GET', '/api/member/me', { token: m.token })).body.balance).toBe(30);
  });

  it('WeChat busy: retried later with backoff, then sent once', async () => {
    const m = await member();
    await call(t.fetch, 'POST', '/api/member/subscriptions', { token: m.token, body: { accepted: [T_EARNED] } });
    fake.grantSubscribe(m.openid, T_EARNED, 1);
    await pay(m.openid, 2_000);
    fake.failNext(1, { errcode: -1 }, '/cgi-bin/message/subscribe/send');
    const first = await dispatch();
    expect(first.body.retried).toBe(1);
    expect((await dispatch()).body.sent).toBe(0); // not due yet
    t.clock.offset = 60_000;
    try {
      expect((await dispatch()).body.sent).toBe(1);
    } finally {
      t.clock.offset = 0;
    }
    expect(sends(m.openid)).toHaveLength(2); // the failed try and the delivery
    expect(fake.creditsLeft(m.openid, T_EARNED)).toBe(0);
  });

  it('two dispatchers at once send each message once', async () => {
    const m = await member();
    await call(t.fetch, 'POST', '/api/member/subscriptions', {
      token: m.token,
      body: { accepted: [T_EARNED, T_EARNED] },
    });
    fake.grantSubscribe(m.openid, T_EARNED, 5);
    await pay(m.openid, 1_000);
    await Promise.all([dispatch(), dispatch(), dispatch()]);
    expect(sends(m.openid)).toHaveLength(1);
  });
});
