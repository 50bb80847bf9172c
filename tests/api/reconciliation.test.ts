/**
 * Reconciliation against the platforms' bills, over the real app and fake
 * WeChat Pay and Alipay servers on 127.0.0.1 that check our request
 * signatures, sign their answers, and serve real-format bills (WeChat's
 * backticked CSV; Alipay's zipped GBK CSV). Each bill holds a payment whose
 * notification never came (one compensation), a duplicate row (nothing),
 * an amount that differs (a flag), and misses a payment we were notified of
 * (a flag). A late notification after the compensation credits nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_WECHAT_APPID } from '../../cloudfunctions/local/sandbox-secrets.js';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import {
  refundResource,
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { alipayBillZip, wechatBill } from '../support/bill-files.js';
import { reconcilingPlatforms, type FakePlatforms } from '../support/fake-platforms.js';
import { call } from '../support/http.js';
import { balanceOf, postAlipay, postWechat } from '../support/notify.js';
import { ALIPAY_APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

const DAY = '2026-11-30';
const AT = `${DAY}T10:00:00+08:00`;

let t: TestApp;
let keys: PaymentKeys;
let fake: FakePlatforms;
const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const alertsOf = async (kind: string) =>
  (await admin('GET', '/api/admin/alerts?status=open')).body.items.filter((a: { kind: string }) => a.kind === kind);

beforeAll(async () => {
  keys = await paymentKeys();
  let env: Record<string, string>;
  ({ fake, env } = await reconcilingPlatforms(keys));
  t = await testApp(env);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

/** A WeChat Pay order paid on DAY, as its notification and its order query carry it. */
const wxOrder = (tradeNo: string, openid: string, totalFen: number) => ({
  ...transactionResource({
    mchId: MCHID,
    appId: SANDBOX_WECHAT_APPID,
    openid,
    totalFen,
    transactionId: tradeNo,
    outTradeNo: `O-${tradeNo}`,
  }),
  success_time: AT,
});
const wxNotify = (order: Record<string, unknown>) =>
  postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', order, keys.wechat));

describe('WeChat Pay', () => {
  const paid = wxOrder('4200000001', 'o-rec-paid', 8_800);
  const missed = wxOrder('4200000002', 'o-rec-missed', 5_000);
  const differs = wxOrder('4200000003', 'o-rec-differs', 3_000);
  const unbilled = wxOrder('4200000004', 'o-rec-unbilled', 1_200);
  let run: any;

  beforeAll(async () => {
    for (const o of [paid, differs, unbilled]) expect((await wxNotify(o)).status).toBe(204);
    const refunded = refundResource({
      mchId: MCHID,
      transactionId: '4200000001',
      totalFen: 8_800,
      refundFen: 880,
      refundId: '5030001',
    });
    expect((await postWechat(t.fetch, wechatNotification('REFUND.SUCCESS', refunded, keys.wechat))).status).toBe(204);
    fake.wechat.orders.set('4200000002', missed);
    fake.wechat.bills.set(
      DAY,
      wechatBill(MCHID, DAY, [
        { tradeNo: '4200000001', outTradeNo: 'O-4200000001', amount: '88.00', appId: SANDBOX_WECHAT_APPID },
        { tradeNo: '4200000002', outTradeNo: 'O-4200000002', amount: '50.00', appId: SANDBOX_WECHAT_APPID },
        { tradeNo: '4200000001', outTradeNo: 'O-4200000001', amount: '88.00', appId: SANDBOX_WECHAT_APPID },
        { tradeNo: '4200000003', outTradeNo: 'O-4200000003', amount: '31.00', appId: SANDBOX_WECHAT_APPID },
        { tradeNo: '4200000001', outTradeNo: 'O-4200000001', amount: '8.80', kind: 'refund', refundNo: '5030001' },
        { tradeNo: '4200000003', outTradeNo: 'O-4200000003', amount: '5.00', kind: 'refund', refundNo: '5030002' },
      ]),
    );
  });

  it('compensates the missed payment once, ignores the duplicate row, matches the notified refund, and flags the rest', async () => {
    expect(await balanceOf(t.store, 'o-rec-missed')).toBeNull();
    const r = await admin('POST', '/api/admin/reconciliation/runs', { channel: 'wechatpay', date: DAY });
    expect(r.status).toBe(200);
    run = r.body;
    expect(run).toMatchObject({ status: 'done', billRows: 6, declaredRows: 6, matched: 1, duplicates: 1, refunds: 2 });
    expect(run.compensated).toEqual([
      { tradeNo: '4200000002', outTradeNo: 'O-4200000002', amountFen: 5_000, result: 'accrued' },
    ]);
    expect(run.flags).toEqual([
      {
        kind: 'amount_mismatch',
        tradeNo: '4200000003',
        outTradeNo: 'O-4200000003',
        billFen: 3_100,
        ourFen: 3_000,
        line: 5,
      },
      {
        kind: 'missing_from_bill',
        tradeNo: '4200000004',
        outTradeNo: 'O-4200000004',
        billFen: null,
        ourFen: 1_200,
        line: null,
      },
      {
        kind: 'refund_missing',
        tradeNo: '4200000003',
        outTradeNo: 'O-4200000003',
        billFen: 500,
        ourFen: null,
        line: 7,
      },
    ]);
    expect(await balanceOf(t.store, 'o-rec-missed')).toBe(50);
    // Every call we made was signed with the merchant key, and each answer we trusted was signed by the platform.
    expect(fake.requests.filter((q) => q.platform === 'wechatpay').every((q) => q.signed)).toBe(true);
    expect((await alertsOf('reconciliation.amount_mismatch')).map((a: { subject: string }) => a.subject)).toEqual([
      'wechatpay:4200000003',
    ]);
    expect(await alertsOf('reconciliation.missing_from_bill')).toHaveLength(1);
  });

  it('a late notification of the compensated payment credits nothing', async () => {
    const before = await t.store.counts();
    expect((await wxNotify(missed)).status).toBe(204);
    expect(await balanceOf(t.store, 'o-rec-missed')).toBe(50);
    const after = await t.store.counts();
    expect(after.events).toBe(before.events);
    expect(after.entries).toBe(before.entries);
  });

  it('running the day again doubles nothing: the payment now matches, the flags stay, no second alert', async () => {
    const again = (await admin('POST', '/api/admin/reconciliation/runs', { channel: 'wechatpay', date: DAY })).body;
    expect(again).toMatchObject({ status: 'done', matched: 2, attempts: 2, compensated: [] });
    expect(again.flags).toEqual(run.flags);
    expect(await alertsOf('reconciliation.amount_mismatch')).toHaveLength(1);
    expect(await balanceOf(t.store, 'o-rec-missed')).toBe(50);
    const listed = await admin('GET', `/api/admin/reconciliation?from=${DAY}&to=${DAY}&channel=wechatpay`);
    expect(listed.body.runs).toHaveLength(1);
    expect(listed.body.channels).toEqual([
      { channel: 'wechatpay', enabled: true, reason: null },
      { channel: 'alipay', enabled: true, reason: null },
    ]);
  });

  it('an answer signed by a key we do not trust fails the run and writes no compensation', async () => {
    const other = '2026-11-29';
    fake.wechat.orders.set('4200000009', wxOrder('4200000009', 'o-rec-forged', 9_900));
    fake.wechat.bills.set(
      other,
      wechatBill(MCHID, other, [{ tradeNo: '4200000009', outTradeNo: 'O-9', amount: '99.00' }]),
    );
    const before = await t.store.counts();
    fake.forgeNext(1);
    const r = await admin('POST', '/api/admin/reconciliation/runs', { channel: 'wechatpay', date: other });
    expect(r.body).toMatchObject({ status: 'failed', compensated: [] });
    expect(r.body.error).toMatch(/signature/);
    expect((await t.store.counts()).events).toBe(before.events);
    expect(await balanceOf(t.store, 'o-rec-forged')).toBeNull();
  });

  it('re-checks one order on demand: unknown to the platform is flagged, paid and unheard-of is compensated', async () => {
    const unknown = await admin('POST', '/api/admin/reconciliation/orders', {
      channel: 'wechatpay',
      tradeNo: '4209999999',
    });
    expect(unknown.body).toMatchObject({ status: 'not_paid_on_platform' });
    const twice = await admin('POST', '/api/admin/reconciliation/orders', {
      channel: 'wechatpay',
      tradeNo: '4209999999',
    });
    expect(twice.body).toMatchObject({ status: 'not_paid_on_platform' });
    // Asked twice, one open alert: as a daily run, a re-check raises one per kind and order.
    expect(await alertsOf('reconciliation.not_paid_on_platform')).toHaveLength(1);
    fake.wechat.orders.set('4200000010', wxOrder('4200000010', 'o-rec-recheck', 2_000));
    const found = await admin('POST', '/api/admin/reconciliation/orders', {
      channel: 'wechatpay',
      tradeNo: '4200000010',
    });
    expect(found.body).toEqual({ status: 'compensated' });
    expect(await balanceOf(t.store, 'o-rec-recheck')).toBe(20);
    const again = await admin('POST', '/api/admin/reconciliation/orders', {
      channel: 'wechatpay',
      tradeNo: '4200000010',
    });
    expect(again.body).toEqual({ status: 'matched' });
    expect(await balanceOf(t.store, 'o-rec-recheck')).toBe(20);
    // Each run and re-check HQ asked for is audited; the daily job's runs are not (they are kept as runs).
    const audit = (await admin('GET', '/api/admin/audit?actor=hq')).body.items as Array<{
      action: string;
      target: string;
    }>;
    expect(audit.filter((a) => a.action === 'reconciliation.run').map((a) => a.target)).toContain(`wechatpay:${DAY}`);
    expect(audit.filter((a) => a.action === 'reconciliation.recheck').map((a) => a.target)).toEqual([
      'wechatpay:4200000010',
      'wechatpay:4200000010',
      'wechatpay:4209999999',
      'wechatpay:4209999999',
    ]);
  });
});

describe('Alipay', () => {
  const params = (tradeNo: string, buyerId: string, amount: string) =>
    alipayTradeParams({
      appId: ALIPAY_APPID,
      tradeNo,
      buyerId,
      totalAmount: amount,
      outTradeNo: `A-${tradeNo}`,
      extra: { gmt_payment: `${DAY} 10:00:05` },
    });
  const notify = (p: Record<string, string>) => postAlipay(t.fetch, alipayForm(p, keys.alipayPrivateKeyPem));

  beforeAll(async () => {
    for (const p of [
      params('2026113022001', '2088000000000001', '88.00'),
      params('2026113022003', '2088000000000003', '30.00'),
      params('2026113022004', '2088000000000004', '12.00'),
    ]) {
      expect((await notify(p)).status).toBe(200);
    }
    // A partial refund of the first trade, notified as Alipay does: another TRADE_SUCCESS with refund_fee and out_biz_no.
    const refund = { ...params('2026113022001', '2088000000000001', '88.00'), refund_fee: '8.80', out_biz_no: 'RF1' };
    expect((await notify(refund)).status).toBe(200);
    fake.alipay.orders.set('2026113022002', {
      trade_no: '2026113022002',
      out_trade_no: 'A-2026113022002',
      buyer_user_id: '2088000000000002',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '66.00',
      buyer_pay_amount: '66.00',
      send_pay_date: `${DAY} 10:00:05`,
    });
    fake.alipay.bills.set(
      DAY,
      await alipayBillZip('2088000000000000', DAY, [
        { tradeNo: '2026113022001', outTradeNo: 'A-2026113022001', amount: '88.00' },
        { tradeNo: '2026113022002', outTradeNo: 'A-2026113022002', amount: '66.00' },
        { tradeNo: '2026113022002', outTradeNo: 'A-2026113022002', amount: '66.00' },
        { tradeNo: '2026113022003', outTradeNo: 'A-2026113022003', amount: '31.00' },
        { tradeNo: '2026113022001', outTradeNo: 'A-2026113022001', amount: '8.80', kind: 'refund', refundNo: 'RF1' },
        { tradeNo: '2026113022003', outTradeNo: 'A-2026113022003', amount: '3.00', kind: 'refund', refundNo: 'RF2' },
      ]),
    );
  });

  it('reads the zipped GBK bill, compensates once, ignores the duplicate, flags the mismatch, the unbilled payment and the unheard refund', async () => {
    const r = await admin('POST', '/api/admin/reconciliation/runs', { channel: 'alipay', date: DAY });
    expect(r.body).toMatchObject({
      status: 'done',
      billRows: 6,
      declaredRows: 6,
      matched: 1,
      duplicates: 1,
      refunds: 2,
    });
    expect(r.body.compensated).toEqual([
      { tradeNo: '2026113022002', outTradeNo: 'A-2026113022002', amountFen: 6_600, result: 'accrued-unclaimed' },
    ]);
    expect(r.body.flags.map((f: { kind: string; tradeNo: string }) => [f.kind, f.tradeNo])).toEqual([
      ['amount_mismatch', '2026113022003'],
      ['missing_from_bill', '2026113022004'],
      ['refund_missing', '2026113022003'],
    ]);
    expect(r.body.flags[0]).toMatchObject({ billFen: 3_100, ourFen: 3_000, line: 9 });
    expect(fake.requests.filter((q) => q.platform === 'alipay').every((q) => q.signed)).toBe(true);
  });

  it('a late notification of the compensated trade credits nothing', async () => {
    const before = await t.store.counts();
    expect((await notify(params('2026113022002', '2088000000000002', '66.00'))).status).toBe(200);
    const after = await t.store.counts();
    expect(after.events).toBe(before.events);
    expect(after.entries).toBe(before.entries);
  });

  it('the books still balance', async () => {
    expect((await admin('GET', '/api/admin/ledger/verify')).body).toMatchObject({ ok: true });
  });
});

describe('the daily job', () => {
  const at = (iso: string) => Date.parse(iso) - Date.now();

  it("waits for the bills (10:00 Beijing time), then runs each channel's days not yet run, and keeps a failure", async () => {
    t.clock.offset = at('2026-12-01T09:30:00+08:00');
    expect(await t.services.reconciliation.runDue()).toBe(0);
    t.clock.offset = at('2026-12-01T10:30:00+08:00');
    // 11-30 ran for both channels; 11-29 ran (and failed) for WeChat Pay only, less than an hour ago.
    expect(await t.services.reconciliation.runDue()).toBe(1);
    const runs = (await admin('GET', '/api/admin/reconciliation?from=2026-11-29&to=2026-11-30')).body.runs;
    expect(runs.map((r: { channel: string; date: string; status: string }) => [r.channel, r.date, r.status])).toEqual([
      ['alipay', '2026-11-30', 'done'],
      ['wechatpay', '2026-11-30', 'done'],
      ['alipay', '2026-11-29', 'failed'],
      ['wechatpay', '2026-11-29', 'failed'],
    ]);
    expect(runs[2]).toMatchObject({ by: 'system:reconciliation', error: expect.stringMatching(/no bill/) });
    expect(await t.services.reconciliation.runDue()).toBe(0); // a failure waits an hour before it is tried again
    t.clock.offset = at('2026-12-01T11:45:00+08:00');
    expect(await t.services.reconciliation.runDue()).toBe(1); // the Alipay failure, an hour on
    t.clock.offset = 0;
  });
});

describe('who may reconcile', () => {
  it('only HQ: a member and a cashier are refused, and nothing runs', async () => {
    const cashier =
      (await admin('POST', '/api/admin/stores', { id: 'RS1', name: '店', region: '华东' })).status === 201
        ? (await admin('POST', '/api/admin/staff', { name: '收银', storeId: 'RS1', role: 'cashier' })).body.token
        : '';
    const requests = fake.requests.length;
    for (const token of [cashier, 'not-a-token']) {
      const r = await call(t.fetch, 'POST', '/api/admin/reconciliation/runs', {
        token,
        body: { channel: 'alipay', date: DAY },
      });
      expect([401, 403]).toContain(r.status);
    }
    expect(fake.requests.length).toBe(requests);
  });

  it('refuses a bad channel, a date that is not one, and a day whose bill cannot exist yet, running nothing', async () => {
    const requests = fake.requests.length;
    const before = await t.store.counts();
    for (const body of [
      { channel: 'unionpay', date: DAY },
      { channel: 'alipay', date: '30/11/2026' },
      { channel: 'alipay', date: '2026-02-30' },
      { channel: 'alipay', date: '2099-01-01' },
    ]) {
      const r = await admin('POST', '/api/admin/reconciliation/runs', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
    }
    expect(fake.requests.length).toBe(requests);
    expect(await t.store.counts()).toEqual(before);
  });
});
