/** POST /notify/alipay with forms signed RSA2 by a test key pair standing in for Alipay's. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../cloudfunctions/core/domain/verify.js';
import {
  alipayForm,
  alipayTradeParams,
  signAlipayParams,
} from '../../cloudfunctions/local/simulator/alipay-notification.js';
import { postAlipay } from '../support/notify.js';
import { ALIPAY_APPID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
let seq = 0;
beforeAll(async () => {
  keys = await paymentKeys();
  t = await testApp(keys.env);
});
afterAll(() => t.close());

const buyer = () => `2088${String(++seq).padStart(12, '0')}`;
const trade = (o: Partial<Parameters<typeof alipayTradeParams>[0]> = {}) =>
  alipayTradeParams({ appId: ALIPAY_APPID, buyerId: buyer(), totalAmount: '88.00', ...o });
const send = (params: Record<string, string>) => postAlipay(t.fetch, alipayForm(params, keys.alipayPrivateKeyPem));
const payment = (params: Record<string, string>) => t.store.getPayment(`alipay:${params.trade_no}`);
const refundOf = (p: Record<string, string>, status: string, refundFee: string, outBizNo?: string) => ({
  ...p,
  trade_status: status,
  refund_fee: refundFee,
  gmt_refund: '2026-11-25 12:00:00',
  notify_id: `n-${Math.random()}`,
  ...(outBizNo ? { out_biz_no: outBizNo } : {}),
});

describe('TRADE_SUCCESS', () => {
  it('answers success and keeps an unclaimed accrual for the buyer, in fen, on what the buyer paid', async () => {
    const p = trade({
      totalAmount: '12.34',
      buyerPayAmount: '10.99',
      passback: encodeURIComponent('{"store":"S003"}'),
    });
    const r = await send(p);
    expect(r).toMatchObject({ status: 200, body: 'success' });
    expect(await payment(p)).toMatchObject({
      status: 'paid',
      memberId: null,
      payerKind: 'alipay_buyer',
      payerId: p.buyer_id,
      totalFen: 1234,
      paidFen: 1099,
      pointsEarned: 10,
      storeId: 'S003',
    });
  });

  it('uses buyer_open_id when that is all there is', async () => {
    const p = trade();
    delete (p as Record<string, string | undefined>).buyer_id;
    p.buyer_open_id = '074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5';
    expect((await send(p)).body).toBe('success');
    expect((await payment(p))?.payerId).toBe(p.buyer_open_id);
  });

  it('TRADE_FINISHED after TRADE_SUCCESS, and replays, are not a second accrual', async () => {
    const p = trade({ totalAmount: '50.00' });
    await send(p);
    await send({ ...p, trade_status: 'TRADE_FINISHED', notify_id: 'other-notify-id' });
    await Promise.all(Array.from({ length: 10 }, () => send(p)));
    const results = (await t.store.notifications('alipay', p.trade_no!)).map((n) => n.result);
    expect(results.filter((r) => r.startsWith('accrued'))).toHaveLength(1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(11);
    expect((await payment(p))?.pointsEarned).toBe(50);
  });

  it('a TRADE_FINISHED seen first accrues, once', async () => {
    const p = trade({ totalAmount: '20.00', status: 'TRADE_FINISHED' });
    await send(p);
    await send({ ...p, trade_status: 'TRADE_SUCCESS' });
    expect((await payment(p))?.pointsEarned).toBe(20);
  });
});

describe('refunds and closing', () => {
  it('two partial refunds: refund_fee is the running total, each out_biz_no counts once', async () => {
    const p = trade({ totalAmount: '100.00' });
    await send(p);
    await send(refundOf(p, 'TRADE_SUCCESS', '30.00', 'RF-1'));
    await send(refundOf(p, 'TRADE_SUCCESS', '30.00', 'RF-1')); // a retry
    expect(await payment(p)).toMatchObject({ refundedFen: 3000, pointsClawed: 30 });
    await send(refundOf(p, 'TRADE_SUCCESS', '45.50', 'RF-2'));
    expect(await payment(p)).toMatchObject({ refundedFen: 4550, pointsClawed: 45 });
  });

  it('out_biz_no is unique only within its trade: two trades refunded with the same one both claw back', async () => {
    const p1 = trade({ totalAmount: '100.00' });
    const p2 = trade({ totalAmount: '100.00' });
    await send(p1);
    await send(p2);
    await send(refundOf(p1, 'TRADE_SUCCESS', '50.00', 'SAME-BIZ-NO'));
    await send(refundOf(p2, 'TRADE_SUCCESS', '50.00', 'SAME-BIZ-NO'));
    expect(await payment(p1)).toMatchObject({ refundedFen: 5000, pointsClawed: 50 });
    expect(await payment(p2)).toMatchObject({ refundedFen: 5000, pointsClawed: 50 });
  });

  it('TRADE_CLOSED with refund_fee after payment takes back the rest', async () => {
    const p = trade({ totalAmount: '100.00' });
    await send(p);
    await send(refundOf(p, 'TRADE_SUCCESS', '10.00', 'RF-A'));
    await send(refundOf(p, 'TRADE_CLOSED', '100.00'));
    expect(await payment(p)).toMatchObject({ pointsEarned: 100, pointsClawed: 100, refundedFen: 10000 });
  });

  it('TRADE_CLOSED without refund_fee: the order closed unpaid and nothing happens', async () => {
    const p = trade({ status: 'TRADE_CLOSED' });
    expect((await send(p)).body).toBe('success');
    expect(await payment(p)).toBeNull();
    expect((await t.store.notifications('alipay', p.trade_no!)).map((n) => n.result)).toEqual(['closed-unpaid']);
  });

  it('WAIT_BUYER_PAY is acknowledged and recorded', async () => {
    const p = trade({ status: 'WAIT_BUYER_PAY' });
    expect((await send(p)).body).toBe('success');
    expect(await payment(p)).toBeNull();
  });
});

describe('forged or malformed notifications write nothing', () => {
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const cases: Array<[string, () => string, number]> = [
    [
      'a tampered amount',
      () => form({ ...signAlipayParams(trade(), keys.alipayPrivateKeyPem), total_amount: '8800.00' }),
      401,
    ],
    ['a signature by another key', () => alipayForm(trade(), keys.alipayStrangerPem), 401],
    ['sign_type RSA', () => form({ ...signAlipayParams(trade(), keys.alipayPrivateKeyPem), sign_type: 'RSA' }), 401],
    ['no sign', () => form(trade()), 401],
    [
      'another app_id (validly signed)',
      () => alipayForm(trade({ appId: '2021009999999999' }), keys.alipayPrivateKeyPem),
      400,
    ],
    [
      'an amount that is not yuan (validly signed)',
      () => alipayForm(trade({ totalAmount: '12.345' }), keys.alipayPrivateKeyPem),
      400,
    ],
    ['no buyer (validly signed)', () => alipayForm({ ...trade(), buyer_id: '' }, keys.alipayPrivateKeyPem), 400],
    [
      'a body over 64 KiB',
      () => alipayForm(trade({ extra: { body: 'x'.repeat(70_000) } }), keys.alipayPrivateKeyPem),
      413,
    ],
  ];

  it.each(cases)('%s', async (_name, make, status) => {
    const before = await t.store.counts();
    const r = await postAlipay(t.fetch, make());
    expect(r).toMatchObject({ status, body: 'fail' });
    expect(await t.store.counts()).toEqual(before);
  });

  it('a JSON body is refused (415)', async () => {
    const r = await t.fetch('/notify/alipay', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(415);
    expect(await r.text()).toBe('fail');
  });
});

describe('after all of it', () => {
  it('the ledger verifies', async () => {
    expect(verifyLedger(await t.store.ledgerSummary()).problems).toEqual([]);
  });
});
