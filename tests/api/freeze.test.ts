/**
 * Freezing a member (DESIGN "Freeze"): they still log in, read everything and
 * earn from what they pay; every spending and every manual earning is 403
 * MEMBER_FROZEN and writes nothing; each freeze and unfreeze is audited.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_WECHAT_APPID } from '../../cloudfunctions/local/sandbox-secrets.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { adjust, call, login } from '../support/http.js';
import { postWechat } from '../support/notify.js';
import { MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
let cashier: string;
const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const as = (token: string, method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token, body });

beforeAll(async () => {
  keys = await paymentKeys();
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, ...env } = keys.env; // sandbox logins, real payment keys
  t = await testApp(env);
  expect((await admin('POST', '/api/admin/stores', { id: 'S001', name: '徐汇店', region: '上海' })).status).toBe(201);
  cashier = (await admin('POST', '/api/admin/staff', { name: '小王', storeId: 'S001', role: 'cashier' })).body.token;
});
afterAll(() => t.close());

const audit = () => {
  const db = new Database(t.config.databaseUrl.slice('sqlite:'.length), { readonly: true });
  const rows = db.prepare(
    "SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE 'member.%' ORDER BY id",
  );
  const all = rows.all() as Array<{ actor: string; action: string; subject: string; detail: string }>;
  db.close();
  return all.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
};

describe('freeze and unfreeze', () => {
  it('only HQ may freeze; a reason is required; both directions are audited once', async () => {
    const m = await login(t.fetch, 'freeze-audit');
    const path = `/api/admin/members/${m.memberId}/freeze`;
    expect((await as(m.token, 'POST', path, { reason: 'x' })).status).toBe(403); // a valid credential of the wrong kind
    expect((await as(cashier, 'POST', path, { reason: 'x' })).status).toBe(403);
    expect((await admin('POST', path, {})).body.code).toBe('VALIDATION_FAILED');
    expect((await admin('POST', '/api/admin/members/m_nobody/freeze', { reason: 'x' })).status).toBe(404);
    expect(audit().filter((a) => a.subject === m.memberId)).toEqual([]);

    const frozen = await admin('POST', path, { reason: '刷单' });
    expect(frozen).toMatchObject({ status: 200, body: { id: m.memberId, status: 'frozen' } });
    expect((await admin('POST', path, { reason: 'again' })).body.status).toBe('frozen'); // a no-op, not audited
    const thawed = await admin('POST', `/api/admin/members/${m.memberId}/unfreeze`, { reason: '核实无误' });
    expect(thawed.body.status).toBe('active');
    expect(audit().filter((a) => a.subject === m.memberId)).toEqual([
      {
        actor: 'hq',
        action: 'member.freeze',
        subject: m.memberId,
        detail: { reason: '刷单', before: 'active', after: 'frozen' },
      },
      {
        actor: 'hq',
        action: 'member.unfreeze',
        subject: m.memberId,
        detail: { reason: '核实无误', before: 'frozen', after: 'active' },
      },
    ]);
  });

  it('a frozen member reads everything, earns from payments, and is refused every spending and manual earning', async () => {
    const m = await login(t.fetch, 'freeze-member');
    expect((await adjust(t.fetch, m.memberId, 500, 'fund-frozen')).status).toBe(200);
    const reward = (
      await admin('POST', '/api/admin/rewards', { name: '杯子', kind: 'gift', pointsCost: 100, stock: null })
    ).body.id;
    const code = (await as(m.token, 'POST', '/api/member/pay-codes', { points: 100 })).body; // made before the freeze
    const ticket = (await as(cashier, 'POST', '/api/staff/claims', { channel: 'alipay', outTradeNo: 'FRZ-1' })).body
      .ticket;
    expect((await admin('POST', `/api/admin/members/${m.memberId}/freeze`, { reason: '风险' })).status).toBe(200);
    const counts = await t.store.counts();

    const refusals = [
      await as(m.token, 'POST', '/api/member/redeem', { rewardId: reward, requestId: 'frz-1' }),
      await as(m.token, 'POST', '/api/member/pay-codes', { points: 50 }),
      await as(m.token, 'POST', `/api/member/pay-codes/${code.holdId}/refresh`),
      await as(m.token, 'POST', '/api/member/claim', { ticket }),
      await as(cashier, 'POST', '/api/staff/checkout/capture', {
        code: code.code,
        orderNo: 'FRZ-CAP',
        amountFen: 10_000,
      }),
      await adjust(t.fetch, m.memberId, 50, 'grant-frozen'),
    ];
    for (const r of refusals) {
      expect(r, JSON.stringify(r.body)).toMatchObject({
        status: 403,
        body: { code: 'MEMBER_FROZEN', details: { zh: '账户已冻结，请联系门店' } },
      });
    }
    expect(await t.store.counts()).toEqual(counts);

    // Reading goes on.
    expect((await as(m.token, 'GET', '/api/member/me')).body).toMatchObject({
      status: 'frozen',
      balance: 500,
      held: 100,
    });
    expect((await as(m.token, 'GET', '/api/member/history')).status).toBe(200);
    expect((await login(t.fetch, 'freeze-member')).memberId).toBe(m.memberId);
    // HQ may still take points away.
    expect((await adjust(t.fetch, m.memberId, -20, 'deduct-frozen')).status).toBe(200);
    // A payment still accrues: the member paid real money.
    const paid = transactionResource({
      mchId: MCHID,
      appId: SANDBOX_WECHAT_APPID,
      openid: 'freeze-member',
      totalFen: 8800,
    });
    expect((await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', paid, keys.wechat))).status).toBe(204);
    expect((await as(m.token, 'GET', '/api/member/me')).body.balance).toBe(500 - 20 + 88);

    // Unfrozen, they spend again.
    await admin('POST', `/api/admin/members/${m.memberId}/unfreeze`, { reason: '解除' });
    expect((await as(m.token, 'POST', '/api/member/redeem', { rewardId: reward, requestId: 'frz-2' })).status).toBe(
      200,
    );
  });
});
