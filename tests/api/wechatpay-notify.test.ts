/**
 * POST /notify/wechatpay with real RSA signatures and AES-GCM made from test
 * keys: the happy path, replays, and every forgery or malformation we know,
 * each refused with zero rows written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../cloudfunctions/core/domain/verify.js';
import {
  refundResource,
  signWechatBody,
  transactionResource,
  wechatNotification,
  type SignedNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { balanceOf, postWechat } from '../support/notify.js';
import { APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
let seq = 0;
beforeAll(async () => {
  keys = await paymentKeys();
  t = await testApp(keys.env);
});
afterAll(() => t.close());

const openid = () => `o-wx-${++seq}-${Math.random().toString(36).slice(2)}`;
const pay = (payer: string, totalFen: number, extra: Partial<Parameters<typeof transactionResource>[0]> = {}) =>
  transactionResource({ mchId: MCHID, appId: APPID, openid: payer, totalFen, ...extra });

describe('TRANSACTION.SUCCESS', () => {
  it('credits 1 point per whole yuan the payer paid, to the member with that openid (created if new)', async () => {
    const payer = openid();
    const r = await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', pay(payer, 8850), keys.wechat));
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    expect(await balanceOf(t.store, payer)).toBe(88);
  });

  it('earns on payer_total, not the order total (a coupon paid the rest)', async () => {
    const payer = openid();
    await postWechat(
      t.fetch,
      wechatNotification('TRANSACTION.SUCCESS', pay(payer, 10000, { payerTotalFen: 7999 }), keys.wechat),
    );
    expect(await balanceOf(t.store, payer)).toBe(79);
  });

  it('takes the store from attach and records the decrypted notification', async () => {
    const payer = openid();
    const resource = pay(payer, 1200, { attach: JSON.stringify({ store: 'S001' }) });
    await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', resource, keys.wechat));
    const payment = await t.store.getPayment(`wechatpay:${String(resource.transaction_id)}`);
    expect(payment).toMatchObject({ storeId: 'S001', status: 'paid', pointsEarned: 12, totalFen: 1200 });
    const audit = await t.store.notifications('wechatpay', String(resource.transaction_id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ eventType: 'TRANSACTION.SUCCESS', result: 'accrued', amountFen: 1200 });
    expect((audit[0]!.payload as { payer: { openid: string } }).payer.openid).toBe(payer);
  });

  it('verifies platform-certificate signatures too, with both modes configured at once', async () => {
    const payer = openid();
    const r = await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', pay(payer, 500), keys.wechatCert));
    expect(r.status).toBe(204);
    expect(await balanceOf(t.store, payer)).toBe(5);
  });

  it('keeps an unclaimed accrual for a payer under another appid of the merchant', async () => {
    const payer = openid();
    const resource = pay(payer, 3000, { appId: 'wxotherapp0000001' });
    expect((await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', resource, keys.wechat))).status).toBe(
      204,
    );
    expect(await balanceOf(t.store, payer)).toBeNull();
    const payment = await t.store.getPayment(`wechatpay:${String(resource.transaction_id)}`);
    expect(payment).toMatchObject({
      memberId: null,
      payerKind: 'openid',
      payerId: `wxotherapp0000001:${payer}`,
      pointsEarned: 30,
    });
  });

  it('acknowledges and records a trade_state other than SUCCESS, crediting nothing', async () => {
    const payer = openid();
    const resource = pay(payer, 3000, { tradeState: 'NOTPAY' });
    expect((await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', resource, keys.wechat))).status).toBe(
      204,
    );
    expect(await balanceOf(t.store, payer)).toBeNull();
    const audit = await t.store.notifications('wechatpay', String(resource.transaction_id));
    expect(audit.map((a) => a.result)).toEqual(['ignored:trade_state=NOTPAY']);
  });

  it('a payment under 1 yuan is recorded and earns nothing', async () => {
    const payer = openid();
    const resource = pay(payer, 99);
    expect((await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', resource, keys.wechat))).status).toBe(
      204,
    );
    expect(await t.store.getPayment(`wechatpay:${String(resource.transaction_id)}`)).toMatchObject({
      status: 'paid',
      pointsEarned: 0,
    });
  });
});

describe('replays', () => {
  it('the same notification 10 times in a row accrues once', async () => {
    const payer = openid();
    const n = wechatNotification('TRANSACTION.SUCCESS', pay(payer, 2000), keys.wechat);
    for (let i = 0; i < 10; i++) expect((await postWechat(t.fetch, n)).status).toBe(204);
    expect(await balanceOf(t.store, payer)).toBe(20);
  });

  it('50 concurrent deliveries (each freshly signed, as WeChat retries are) accrue once', async () => {
    const payer = openid();
    const resource = pay(payer, 4500);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', resource, keys.wechat)),
      ),
    );
    expect(answers.every((a) => a.status === 204)).toBe(true);
    expect(await balanceOf(t.store, payer)).toBe(45);
    const member = await t.store.transaction((tx) => tx.findMemberByOpenid(payer));
    expect((await t.store.history(member!.id, null, 100)).items).toHaveLength(1);
    const results = (await t.store.notifications('wechatpay', String(resource.transaction_id))).map((a) => a.result);
    expect(results.filter((r) => r === 'accrued')).toHaveLength(1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(49);
  });
});

describe('forged or malformed notifications write nothing', () => {
  const valid = () => wechatNotification('TRANSACTION.SUCCESS', pay(openid(), 1000), keys.wechat);
  const withHeaders = (n: SignedNotification, h: Record<string, string>) => ({ ...n, headers: { ...n.headers, ...h } });
  const resign = (body: string) => ({ body, headers: signWechatBody(body, keys.wechat) });

  const cases: Array<[string, () => SignedNotification, number]> = [
    [
      'a tampered body',
      () => ({ ...valid(), body: valid().body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ') }),
      401,
    ],
    [
      'a signature by another key',
      () => wechatNotification('TRANSACTION.SUCCESS', pay(openid(), 1000), keys.stranger),
      401,
    ],
    [
      'an unknown serial',
      () => withHeaders(valid(), { 'wechatpay-serial': 'PUB_KEY_ID_0000000000000000000000000000' }),
      401,
    ],
    [
      'a timestamp 301 s old',
      () =>
        wechatNotification('TRANSACTION.SUCCESS', pay(openid(), 1000), keys.wechat, {
          timestamp: Math.floor(Date.now() / 1000) - 301,
        }),
      401,
    ],
    [
      'a timestamp 301 s ahead',
      () =>
        wechatNotification('TRANSACTION.SUCCESS', pay(openid(), 1000), keys.wechat, {
          timestamp: Math.floor(Date.now() / 1000) + 301,
        }),
      401,
    ],
    [
      'a SIGNTEST probe',
      () =>
        withHeaders(valid(), { 'wechatpay-signature': 'WECHATPAY/SIGNTEST/' + valid().headers['wechatpay-signature'] }),
      401,
    ],
    ['no signature header', () => withHeaders(valid(), { 'wechatpay-signature': '' }), 401],
    [
      'a broken GCM tag (validly signed)',
      () => {
        const envelope = JSON.parse(valid().body);
        const data = Buffer.from(envelope.resource.ciphertext, 'base64');
        data[data.length - 1]! ^= 0xff;
        envelope.resource.ciphertext = data.toString('base64');
        return resign(JSON.stringify(envelope));
      },
      400,
    ],
    ['truncated JSON (validly signed)', () => resign(valid().body.slice(0, 80)), 400],
    [
      'an envelope without resource (validly signed)',
      () => resign(JSON.stringify({ id: 'EV-1', event_type: 'TRANSACTION.SUCCESS' })),
      400,
    ],
    [
      'another merchant (validly signed)',
      () =>
        wechatNotification(
          'TRANSACTION.SUCCESS',
          transactionResource({ mchId: '9999999999', appId: APPID, openid: openid(), totalFen: 1000 }),
          keys.wechat,
        ),
      400,
    ],
    [
      'a negative amount (validly signed)',
      () => wechatNotification('TRANSACTION.SUCCESS', pay(openid(), -100), keys.wechat),
      400,
    ],
    ['the wrong content type', () => withHeaders(valid(), { 'content-type': 'text/plain' }), 415],
    [
      'a body over 64 KiB',
      () => wechatNotification('TRANSACTION.SUCCESS', pay(openid(), 1000, { attach: 'x'.repeat(70_000) }), keys.wechat),
      413,
    ],
  ];

  it.each(cases)('%s', async (_name, make, status) => {
    const n = make();
    const before = await t.store.counts();
    const r = await postWechat(t.fetch, n);
    expect(r.status).toBe(status);
    expect(r.body.code).toBe('FAIL');
    expect(r.body.message.length).toBeGreaterThan(5);
    expect(await t.store.counts()).toEqual(before);
  });

  it('rejections are counted and logged without their body', async () => {
    const secretOpenid = `o-never-logged-${Math.random()}`;
    const n = wechatNotification('TRANSACTION.SUCCESS', pay(secretOpenid, 1000), keys.stranger);
    await postWechat(t.fetch, n);
    const logs = t.logs.join('');
    expect(logs).toContain('notification rejected');
    expect(logs).not.toContain(secretOpenid);
    expect(logs).not.toContain(n.headers['wechatpay-signature']);
    const metrics = await import('../support/http.js').then(({ call }) =>
      call(t.fetch, 'GET', '/api/admin/metrics', { token: 'test-admin-token-0123456789abcdef' }),
    );
    expect(metrics.body.rejections['wechatpay:SIGNATURE_INVALID']).toBeGreaterThan(0);
  });
});

describe('refund events', () => {
  it('REFUND.SUCCESS for half the order takes back half the points; its retry takes nothing more', async () => {
    const payer = openid();
    const tx = pay(payer, 8800);
    await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', tx, keys.wechat));
    const refund = refundResource({
      mchId: MCHID,
      transactionId: String(tx.transaction_id),
      totalFen: 8800,
      refundFen: 4400,
    });
    for (let i = 0; i < 3; i++) {
      expect((await postWechat(t.fetch, wechatNotification('REFUND.SUCCESS', refund, keys.wechat))).status).toBe(204);
    }
    expect(await balanceOf(t.store, payer)).toBe(44);
  });

  it('a refund that arrives before its payment is applied when the payment lands', async () => {
    const payer = openid();
    const tx = pay(payer, 6000);
    const refund = refundResource({
      mchId: MCHID,
      transactionId: String(tx.transaction_id),
      totalFen: 6000,
      refundFen: 6000,
    });
    expect((await postWechat(t.fetch, wechatNotification('REFUND.SUCCESS', refund, keys.wechat))).status).toBe(204);
    expect(await balanceOf(t.store, payer)).toBeNull();
    await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', tx, keys.wechat));
    expect(await balanceOf(t.store, payer)).toBe(0);
    const results = (await t.store.notifications('wechatpay', String(tx.transaction_id))).map((a) => a.result);
    expect(results).toEqual(['refund-pending', 'accrued']);
  });

  it('REFUND.ABNORMAL and REFUND.CLOSED are recorded and change nothing', async () => {
    const payer = openid();
    const tx = pay(payer, 5000);
    await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', tx, keys.wechat));
    for (const [event, status] of [
      ['REFUND.ABNORMAL', 'ABNORMAL'],
      ['REFUND.CLOSED', 'CLOSED'],
    ] as const) {
      const refund = refundResource({
        mchId: MCHID,
        transactionId: String(tx.transaction_id),
        totalFen: 5000,
        refundFen: 5000,
        status,
      });
      expect((await postWechat(t.fetch, wechatNotification(event, refund, keys.wechat))).status).toBe(204);
    }
    expect(await balanceOf(t.store, payer)).toBe(50);
    const results = (await t.store.notifications('wechatpay', String(tx.transaction_id))).map((a) => a.result);
    expect(results).toEqual(['accrued', 'recorded:REFUND.ABNORMAL:ABNORMAL', 'recorded:REFUND.CLOSED:CLOSED']);
  });

  it('other event types are acknowledged and recorded', async () => {
    const n = wechatNotification('TRANSACTION.SOMETHING_NEW', pay(openid(), 100), keys.wechat);
    expect((await postWechat(t.fetch, n)).status).toBe(204);
  });
});

describe('after all of it', () => {
  it('the ledger verifies', async () => {
    expect(verifyLedger(await t.store.ledgerSummary()).problems).toEqual([]);
  });
});
