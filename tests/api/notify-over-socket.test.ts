/**
 * Notifications over a real Node socket, as `npm start` serves them: there
 * the body is read straight from the IncomingMessage (http/raw-body.ts), not
 * through the web Request adapter, so its size limit and its reassembly of
 * chunks are tested here, where that path runs.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import {
  transactionResource,
  wechatNotification,
  type SignedNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { balanceOf, postAlipay, postWechat } from '../support/notify.js';
import { ALIPAY_APPID, APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
let port: number;
beforeAll(async () => {
  keys = await paymentKeys();
  t = await testApp(keys.env, { socket: true });
  port = Number(new URL((await t.fetch('/healthz')).url).port);
});
afterAll(() => t.close());

let seq = 0;
const payment = (openid: string, totalFen: number, attach?: string) =>
  wechatNotification(
    'TRANSACTION.SUCCESS',
    transactionResource({ mchId: MCHID, appId: APPID, openid, totalFen, ...(attach ? { attach } : {}) }),
    keys.wechat,
  );

/** POSTs the body in `parts` chunks with Transfer-Encoding: chunked (no Content-Length), a tick apart. */
function postChunked(n: SignedNotification, parts: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/notify/wechatpay',
        headers: { ...n.headers, 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? null : reject(e)));
    const write = (i: number) => {
      if (i === parts.length) return req.end();
      req.write(parts[i]);
      setTimeout(() => write(i + 1), 5);
    };
    write(0);
  });
}

it('a notification posted normally accrues', async () => {
  const openid = `o-sock-${++seq}`;
  const r = await postWechat(t.fetch, payment(openid, 4200));
  expect(r.status).toBe(204);
  expect(await balanceOf(t.store, openid)).toBe(42);
});

it('a body arriving in several chunks is put back together before its signature is checked', async () => {
  const openid = `o-sock-${++seq}`;
  const n = payment(openid, 1999);
  const third = Math.ceil(n.body.length / 3);
  const r = await postChunked(n, [n.body.slice(0, third), n.body.slice(third, 2 * third), n.body.slice(2 * third)]);
  expect(r.status).toBe(204);
  expect(await balanceOf(t.store, openid)).toBe(19);
});

it('a body over 64 KiB is refused with 413 whether or not it declares its length, and writes nothing', async () => {
  const before = await t.store.counts();
  const big = payment(`o-sock-${++seq}`, 1000, 'x'.repeat(70_000));
  const declared = await postWechat(t.fetch, big);
  expect(declared.status).toBe(413);
  expect(declared.body.code).toBe('FAIL');
  const chunks = Array.from({ length: 8 }, (_, i) => big.body.slice(i * 10_000, (i + 1) * 10_000)).filter(Boolean);
  const undeclared = await postChunked(big, chunks);
  expect(undeclared.status).toBe(413);
  expect(JSON.parse(undeclared.body)).toMatchObject({ code: 'FAIL' });
  expect(await t.store.counts()).toEqual(before);
});

it('an Alipay form read from the socket is verified and answered `success`', async () => {
  const params = alipayTradeParams({ appId: ALIPAY_APPID, buyerId: '2088000000009999', totalAmount: '12.00' });
  const r = await postAlipay(t.fetch, alipayForm(params, keys.alipayPrivateKeyPem));
  expect(r).toMatchObject({ status: 200, body: 'success' });
  expect(await t.store.getPayment(`alipay:${params.trade_no}`)).toMatchObject({ status: 'paid', totalFen: 1200 });
});
