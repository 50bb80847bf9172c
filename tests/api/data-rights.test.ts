/**
 * Member data rights (PIPL), end to end over the real app on a real SQLite
 * file: the export holds everything (profile, own phone, whole history,
 * vouchers, payer links, consents); deletion is requested from the app,
 * completed by HQ before a deadline of working days, and anonymizes: no
 * phone, openid or payer id is left in any table, the books still balance,
 * the old session ends, and the same WeChat user logging in again is a new
 * member.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_WECHAT_APPID } from '../../cloudfunctions/local/sandbox-secrets.js';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { adjust, call, login } from '../support/http.js';
import { postAlipay, postWechat } from '../support/notify.js';
import { ALIPAY_APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

const OPENID = 'o-pipl-erase-0001';
const PHONE = '13712345670';
const BUYER = '2088000011112222';
const TEMPLATE = 'tmpl-pipl-0001';

let t: TestApp;
let keys: PaymentKeys;
let member: { token: string; memberId: string };
let exported: any;
const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const as = (token: string, method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token, body });

/** Every row of every table of the SQLite file, as text, by table. */
function tables(): Record<string, string> {
  const db = new Database(t.config.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return Object.fromEntries(
      names.map(({ name }) => [name, JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())]),
    );
  } finally {
    db.close();
  }
}
const holding = (needle: string) =>
  Object.entries(tables())
    .filter(([, rows]) => rows.includes(needle))
    .map(([name]) => name);

beforeAll(async () => {
  keys = await paymentKeys();
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, ...env } = keys.env; // sandbox logins, real payment keys
  t = await testApp({
    ...env,
    JIFEN_SUBSCRIBE_TEMPLATES: JSON.stringify({
      'points.earned': { templateId: TEMPLATE, data: { number1: 'points', number3: 'balance' } },
    }),
  });
  expect((await admin('POST', '/api/admin/stores', { id: 'S1', name: '一店', region: '华东' })).status).toBe(201);
  const cashier = (await admin('POST', '/api/admin/staff', { name: '收银', storeId: 'S1', role: 'cashier' })).body
    .token as string;

  member = await login(t.fetch, OPENID);
  expect((await as(member.token, 'POST', '/api/member/bind-phone', { code: PHONE })).status).toBe(200);
  expect((await as(member.token, 'POST', '/api/member/subscriptions', { accepted: [TEMPLATE] })).status).toBe(200);
  // A WeChat Pay payment by the member's own openid, and an Alipay one claimed at the till (a payer link).
  const wx = wechatNotification(
    'TRANSACTION.SUCCESS',
    transactionResource({ mchId: MCHID, appId: SANDBOX_WECHAT_APPID, openid: OPENID, totalFen: 8_800 }),
    keys.wechat,
  );
  expect((await postWechat(t.fetch, wx)).status).toBe(204);
  const params = alipayTradeParams({
    appId: ALIPAY_APPID,
    buyerId: BUYER,
    totalAmount: '12.00',
    outTradeNo: 'PIPL-1',
    passback: JSON.stringify({ store: 'S1' }),
  });
  expect((await postAlipay(t.fetch, alipayForm(params, keys.alipayPrivateKeyPem))).status).toBe(200);
  const ticket = await as(cashier, 'POST', '/api/staff/claims', { channel: 'alipay', outTradeNo: 'PIPL-1' });
  expect((await as(member.token, 'POST', '/api/member/claim', { ticket: ticket.body.ticket })).status).toBe(200);
  expect((await adjust(t.fetch, member.memberId, 500, 'pipl-grant')).status).toBe(200);
  const reward = await admin('POST', '/api/admin/rewards', {
    name: '咖啡杯',
    kind: 'gift',
    pointsCost: 50,
    stock: null,
  });
  const redeemed = await as(member.token, 'POST', '/api/member/redeem', { rewardId: reward.body.id, requestId: 'r1' });
  expect(redeemed.status).toBe(200);
});
afterAll(() => t.close());

describe('the export', () => {
  it('holds the profile, the own phone in full, the account, the whole history, vouchers, payer links and consents', async () => {
    const r = await as(member.token, 'GET', '/api/member/data-export');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain(`jifen-${member.memberId}.json`);
    exported = r.body;
    expect(exported.member).toMatchObject({
      id: member.memberId,
      openid: OPENID,
      phone: PHONE,
      phoneMasked: '137****5670',
    });
    const me = (await as(member.token, 'GET', '/api/member/me')).body;
    expect(exported.account.balance).toBe(me.balance);
    // Every event of the member, as many as the store holds, newest first.
    const events = (await t.store.history(member.memberId, null, 1_000)).items;
    expect(exported.history.map((h: { id: string }) => h.id)).toEqual(events.map((e) => String(e.id)));
    expect(new Set(exported.history.map((h: { kind: string }) => h.kind))).toEqual(
      new Set(['earn', 'claim', 'adjust', 'redeem']),
    );
    expect(exported.historyComplete).toBe(true);
    expect(exported.lots.reduce((n: number, l: { points: number }) => n + l.points, 0)).toBe(me.balance);
    expect(exported.vouchers).toHaveLength(1);
    expect(exported.payerLinks).toEqual([expect.objectContaining({ kind: 'alipay_buyer', payerId: BUYER })]);
    expect(exported.subscriptions).toEqual({ [TEMPLATE]: 1 });
    expect(exported.consents.map((c: { purpose: string }) => c.purpose)).toEqual(['phone', 'subscribe']);
    expect(exported.consents[1].templateIds).toEqual([TEMPLATE]);
    expect(exported.deletionRequest).toBeNull();
  });

  it('is the member’s own: no token is 401, and another member sees only themselves', async () => {
    expect((await call(t.fetch, 'GET', '/api/member/data-export')).status).toBe(401);
    const other = await login(t.fetch, 'o-pipl-other');
    const theirs = await as(other.token, 'GET', '/api/member/data-export');
    expect(theirs.body.member).toMatchObject({ id: other.memberId, phone: null });
    expect(JSON.stringify(theirs.body)).not.toContain(OPENID);
    expect((await as(TEST_ADMIN_TOKEN, 'GET', '/api/member/data-export')).status).toBe(401);
  });
});

describe('deletion', () => {
  let requestId: string;

  it('is asked from the app once, with a deadline of 15 working days', async () => {
    const asked = await as(member.token, 'POST', '/api/member/deletion-request');
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ memberId: member.memberId, status: 'pending', overdue: false });
    requestId = asked.body.id;
    const days = (Date.parse(asked.body.dueAt) - Date.parse(asked.body.requestedAt)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(19); // 15 working days span at least three weekends
    expect(days).toBeLessThan(23);
    const again = await as(member.token, 'POST', '/api/member/deletion-request');
    expect(again.body).toEqual(asked.body);
    expect((await as(member.token, 'GET', '/api/member/deletion-request')).body.request).toEqual(asked.body);
    const listed = await admin('GET', '/api/admin/deletion-requests?status=pending');
    expect(listed.body.items).toEqual([asked.body]);
  });

  it('is refused to a member and to an unknown id, and changes nothing', async () => {
    const before = await t.store.counts();
    expect((await as(member.token, 'POST', `/api/admin/deletion-requests/${requestId}/complete`)).status).toBe(403);
    expect((await admin('POST', '/api/admin/deletion-requests/dr_nobody/complete')).status).toBe(404);
    expect(await t.store.counts()).toEqual(before);
    expect(holding(OPENID).length).toBeGreaterThan(0); // the search below can find it
  });

  it('anonymizes: the balance goes to forfeited, no phone, openid or payer id is left anywhere, the books balance', async () => {
    const balance = (await as(member.token, 'GET', '/api/member/me')).body.balance as number;
    const notificationsBefore = (await t.store.counts()).notifications;
    expect(holding(BUYER)).toEqual(expect.arrayContaining(['payer_links', 'payments', 'notifications']));
    const done = await admin('POST', `/api/admin/deletion-requests/${requestId}/complete`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', forfeited: balance, completedBy: 'hq' });
    for (const needle of [OPENID, BUYER, PHONE])
      expect({ needle, tables: holding(needle) }).toEqual({ needle, tables: [] });
    const phoneHash = t.services.phones.hash(PHONE);
    expect(holding(phoneHash)).toEqual([]);
    // The facts stay: every notification, with its payer erased; the member's events.
    expect((await t.store.counts()).notifications).toBe(notificationsBefore);
    expect(tables().notifications).toContain('erased');
    expect((await t.store.history(member.memberId, null, 1_000)).items.length).toBe(exported.history.length + 1);
    expect((await t.store.getAccount(member.memberId))?.balance).toBe(0);
    expect((await t.store.getMember(member.memberId))?.erasedAt).toEqual(expect.any(Number));
    const verify = await admin('GET', '/api/admin/ledger/verify');
    expect(verify.body).toMatchObject({ ok: true });
    const audit = await admin('GET', '/api/admin/audit?actor=hq');
    expect(audit.body.items.find((i: { action: string }) => i.action === 'member.erase')).toMatchObject({
      target: member.memberId,
      detail: { forfeited: balance },
    });
  });

  it('ends the old session, and completing again forfeits nothing more', async () => {
    const old = await as(member.token, 'GET', '/api/member/me');
    expect(old).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    const before = await t.store.counts();
    const again = await admin('POST', `/api/admin/deletion-requests/${requestId}/complete`);
    expect(again.body.status).toBe('done');
    expect(await t.store.counts()).toEqual(before);
    expect((await admin('GET', '/api/admin/deletion-requests?status=pending')).body.items).toEqual([]);
  });

  it('the same WeChat user logging in again is a new member, and their next payment is theirs', async () => {
    const again = await login(t.fetch, OPENID);
    expect(again.memberId).not.toBe(member.memberId);
    const wx = wechatNotification(
      'TRANSACTION.SUCCESS',
      transactionResource({ mchId: MCHID, appId: SANDBOX_WECHAT_APPID, openid: OPENID, totalFen: 1_000 }),
      keys.wechat,
    );
    expect((await postWechat(t.fetch, wx)).status).toBe(204);
    expect((await t.store.getAccount(member.memberId))?.balance).toBe(0);
    expect((await as(again.token, 'GET', '/api/member/me')).body.balance).toBeGreaterThan(0);
  });
});
