/**
 * What a payment platform hears when the store fails under a valid
 * notification: always a retryable 5xx (never 4xx, which says the
 * notification itself is bad, nor 500 INTERNAL), through the one error mapper.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionConflict } from '../../cloudfunctions/core/store/port.js';
import { errors } from '../../cloudfunctions/core/domain/errors.js';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { call } from '../support/http.js';
import { postAlipay, postWechat } from '../support/notify.js';
import { ALIPAY_APPID, APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
beforeAll(async () => {
  keys = await paymentKeys();
  t = await testApp(keys.env);
});
afterAll(() => t.close());

/** Every transaction fails with `thrown` while fn runs. */
async function failingStore<T>(thrown: () => unknown, fn: () => Promise<T>): Promise<T> {
  const original = t.store.transaction.bind(t.store);
  t.store.transaction = async () => {
    throw thrown();
  };
  try {
    return await fn();
  } finally {
    t.store.transaction = original;
  }
}

const wechatPay = () =>
  wechatNotification(
    'TRANSACTION.SUCCESS',
    transactionResource({ mchId: MCHID, appId: APPID, openid: `o-${Math.random()}`, totalFen: 1000 }),
    keys.wechat,
  );
const alipayPay = () =>
  alipayForm(
    alipayTradeParams({ appId: ALIPAY_APPID, buyerId: '2088000000000077', totalAmount: '10.00' }),
    keys.alipayPrivateKeyPem,
  );

describe.each([
  ['a lost race past its retries', () => new VersionConflict('m_1'), 503, 'STORE_BUSY'],
  ['the database going away', () => errors.storeUnavailable(), 503, 'STORE_UNAVAILABLE'],
])('%s', (_what, thrown, status, code) => {
  it(`WeChat Pay hears ${status} FAIL (it retries), and the refusal is counted as ${code}`, async () => {
    const r = await failingStore(thrown, () => postWechat(t.fetch, wechatPay()));
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ code: 'FAIL' });
    const metrics = await call(t.fetch, 'GET', '/api/admin/metrics', { token: t.config.adminToken });
    expect(metrics.body.rejections[`wechatpay:${code}`]).toBeGreaterThan(0);
  });

  it(`Alipay hears ${status} fail (it retries)`, async () => {
    const r = await failingStore(thrown, () => postAlipay(t.fetch, alipayPay()));
    expect(r.status).toBe(status);
    expect(r.body).toBe('fail');
  });

  it(`an API route answers ${status} ${code}`, async () => {
    const r = await failingStore(thrown, () =>
      call(t.fetch, 'POST', '/api/admin/members', { token: t.config.adminToken, body: { phone: '13800000077' } }),
    );
    expect(r.status).toBe(status);
    expect(r.body.code).toBe(code);
  });
});

describe('the CloudBase database unreachable (network errors, timeouts), on the stand-in', () => {
  it('notifications and /healthz answer 503 while it is away; the same app serves again once it is back', async () => {
    const { memoryDatabase } = await import('../../cloudfunctions/core/store/cloudbase/memory-db.js');
    const { openStore } = await import('../../cloudfunctions/core/store/open-store.js');
    const { createApp } = await import('../../cloudfunctions/core/http/app.js');
    const { createLogger } = await import('../../cloudfunctions/core/logger.js');
    const name = `outage-${Math.random().toString(36).slice(2)}`;
    const store = await openStore(`cloudbase-memory://${name}`);
    const app = createApp({
      config: { ...t.config, databaseUrl: `cloudbase-memory://${name}` },
      store,
      logger: createLogger('silent'),
    });
    const f = async (path: string, init?: RequestInit) => app.request(`http://localhost${path}`, init);
    const db = memoryDatabase(name);
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']) {
      db.unreachable = code;
      const n = wechatPay();
      const refused = await postWechat(f, n);
      expect(refused, code).toMatchObject({ status: 503, body: { code: 'FAIL' } });
      expect((await call(f, 'GET', '/healthz')).status).toBe(503);
      expect((await postAlipay(f, alipayPay())).status).toBe(503);
      db.unreachable = null;
      expect((await postWechat(f, n)).status).toBe(204); // the platform's retry lands
      expect((await call(f, 'GET', '/healthz')).status).toBe(200);
    }
  });
});
