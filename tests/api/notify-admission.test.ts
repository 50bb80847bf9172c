/**
 * JIFEN_NOTIFY_CONCURRENCY bounds the payment notifications one server
 * works on at once (http/admission.ts), so members' reads keep some of the
 * CPU and connections during a burst. Every notification is still answered
 * and credited once; the bound only orders them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cloudfunctions/core/config.js';
import { sandboxProviders } from '../../cloudfunctions/local/sandbox-secrets.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { balanceOf, postWechat } from '../support/notify.js';
import { APPID, MCHID, paymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Posts `n` notifications at once and returns the most payments that were being recorded at the same time. */
async function burst(limit: string, n: number): Promise<{ statuses: number[]; mostAtOnce: number; balance: number }> {
  const keys = await paymentKeys();
  t = await testApp({ ...keys.env, JIFEN_NOTIFY_CONCURRENCY: limit });
  const accruals = t.services.accruals;
  const record = accruals.recordPayment.bind(accruals);
  let open = 0;
  let mostAtOnce = 0;
  accruals.recordPayment = async (...args) => {
    mostAtOnce = Math.max(mostAtOnce, ++open);
    try {
      // A turn of the event loop first, so payments that may overlap do.
      await new Promise((resolve) => setImmediate(resolve));
      return await record(...args);
    } finally {
      open--;
    }
  };
  const openid = `o-admission-${limit}`;
  const statuses = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const resource = transactionResource({ mchId: MCHID, appId: APPID, openid, totalFen: 100 * (i + 1) });
      return (await postWechat(t!.fetch, wechatNotification('TRANSACTION.SUCCESS', resource, keys.wechat))).status;
    }),
  );
  return { statuses, mostAtOnce, balance: (await balanceOf(t.store, openid)) ?? 0 };
}

const expectedPoints = (n: number) => (n * (n + 1)) / 2; // 1 point per yuan: 1 + 2 + … + n

describe('JIFEN_NOTIFY_CONCURRENCY', () => {
  it('1: one notification at a time; all twelve answered 204 and credited once', async () => {
    const r = await burst('1', 12);
    expect(r.statuses).toEqual(Array(12).fill(204));
    expect(r.mostAtOnce).toBe(1);
    expect(r.balance).toBe(expectedPoints(12));
  });

  it('0: no bound, so the same burst overlaps (the test above can fail)', async () => {
    const r = await burst('0', 12);
    expect(r.statuses).toEqual(Array(12).fill(204));
    expect(r.mostAtOnce).toBeGreaterThan(1);
    expect(r.balance).toBe(expectedPoints(12));
  });

  it('defaults to 8 on PostgreSQL and no bound on SQLite, and refuses what is not a whole number from 0 to 1000', () => {
    const base = { DATABASE_URL: 'sqlite::memory:', JIFEN_ADMIN_TOKEN: TEST_ADMIN_TOKEN, JIFEN_SECRET: 'x'.repeat(32) };
    const provide = sandboxProviders(mkdtempSync(join(tmpdir(), 'jifen-admission-cfg-')));
    expect(loadConfig(base, provide).notifyConcurrency).toBe(0);
    for (const pg of ['postgres://db/jifen', 'postgresql://db/jifen'])
      expect(loadConfig({ ...base, DATABASE_URL: pg }, provide).notifyConcurrency).toBe(8);
    expect(loadConfig({ ...base, JIFEN_NOTIFY_CONCURRENCY: '3' }, provide).notifyConcurrency).toBe(3);
    expect(
      loadConfig({ ...base, DATABASE_URL: 'postgres://db/jifen', JIFEN_NOTIFY_CONCURRENCY: '0' }, provide)
        .notifyConcurrency,
    ).toBe(0);
    for (const bad of ['-1', '2.5', 'many', '1001'])
      expect(() => loadConfig({ ...base, JIFEN_NOTIFY_CONCURRENCY: bad }, provide)).toThrow(/JIFEN_NOTIFY_CONCURRENCY/);
  });
});
