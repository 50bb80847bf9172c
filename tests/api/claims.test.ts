/**
 * Scan-to-bind at checkout: staff make a ticket for an order, the member
 * claims it; the payment notification may come before or after. Nothing is
 * ever credited twice, and the linked payer's next payment accrues directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../cloudfunctions/core/domain/verify.js';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import { call, login } from '../support/http.js';
import { postAlipay } from '../support/notify.js';
import { ALIPAY_APPID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
let cashierA: string;
let cashierB: string;
let seq = 0;

const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });

beforeAll(async () => {
  keys = await paymentKeys();
  // Sandbox login (no WECHAT_APPID) with real Alipay keys configured.
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, WECHATPAY_MCHID: _m, ...env } = keys.env;
  t = await testApp(env);
  expect((await admin('POST', '/api/admin/stores', { id: 'S001', name: '徐汇店', region: '上海' })).status).toBe(201);
  expect((await admin('POST', '/api/admin/stores', { id: 'S002', name: '朝阳店', region: '北京' })).status).toBe(201);
  cashierA = (await admin('POST', '/api/admin/staff', { name: '小王', storeId: 'S001', role: 'cashier' })).body.token;
  cashierB = (await admin('POST', '/api/admin/staff', { name: '小李', storeId: 'S002', role: 'cashier' })).body.token;
});
afterAll(() => t.close());

const order = () => `ORD-${Date.now()}-${++seq}`;
const buyer = () => `2088${String(Date.now() % 1e8).padStart(8, '0')}${String(++seq).padStart(4, '0')}`;
const payment = (outTradeNo: string, buyerId: string, amount: string, store = 'S001') =>
  alipayTradeParams({
    appId: ALIPAY_APPID,
    buyerId,
    totalAmount: amount,
    outTradeNo,
    passback: JSON.stringify({ store }),
  });
const send = (params: Record<string, string>) => postAlipay(t.fetch, alipayForm(params, keys.alipayPrivateKeyPem));
const pay = (outTradeNo: string, buyerId: string, amount: string, store = 'S001') =>
  send(payment(outTradeNo, buyerId, amount, store));
const ticketFor = (outTradeNo: string, token = cashierA) =>
  call(t.fetch, 'POST', '/api/staff/claims', { token, body: { channel: 'alipay', outTradeNo } });
const claim = (token: string, ticket: string) =>
  call(t.fetch, 'POST', '/api/member/claim', { token, body: { ticket } });
const balance = async (token: string) =>
  (await call(t.fetch, 'GET', '/api/member/me', { token })).body.balance as number;

describe('stores and staff', () => {
  it('staff tokens are shown once, scoped, and revocable', async () => {
    const created = await admin('POST', '/api/admin/staff', { name: '临时工', storeId: 'S001', role: 'cashier' });
    expect(created.body).toMatchObject({ storeId: 'S001', role: 'cashier', name: '临时工' });
    expect(created.body.token).toMatch(/^jfs_/);
    const ok = await ticketFor(order(), created.body.token);
    expect(ok.status).toBe(201);
    expect((await admin('DELETE', `/api/admin/staff/${created.body.id}`)).status).toBe(204);
    const revoked = await ticketFor(order(), created.body.token);
    expect(revoked).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a duplicate store, an unknown store for staff, and staff on HQ routes', async () => {
    expect((await admin('POST', '/api/admin/stores', { id: 'S001', name: 'x', region: 'y' })).body.code).toBe(
      'STORE_EXISTS',
    );
    expect((await admin('POST', '/api/admin/staff', { name: 'n', storeId: 'S404', role: 'cashier' })).status).toBe(404);
    const r = await call(t.fetch, 'GET', '/api/admin/stores', { token: cashierA });
    expect(r).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect((await admin('GET', '/api/admin/stores')).body.items.map((s: { id: string }) => s.id)).toEqual([
      'S001',
      'S002',
    ]);
  });

  it('a member token cannot make tickets', async () => {
    const m = await login(t.fetch, 'claim-member-x');
    expect((await ticketFor(order(), m.token)).status).toBe(403);
  });
});

describe('claims', () => {
  it('notify before ticket: the unclaimed accrual goes to the member who scans', async () => {
    const m = await login(t.fetch, `claim-a-${seq}`);
    const o = order();
    await pay(o, buyer(), '66.60');
    const tk = await ticketFor(o);
    expect(tk.status).toBe(201);
    expect(tk.body.ticket).toMatch(/^[A-Z2-9]{16}$/);
    expect(tk.body.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(tk.body.qr.split(',')[1], 'base64').toString()).toContain('<svg');
    expect(tk.body.link).toContain(`scene=${tk.body.ticket}`);
    const r = await claim(m.token, tk.body.ticket);
    expect(r.body).toEqual({ points: 66, balance: 66, status: 'credited' });
    const history = await call(t.fetch, 'GET', '/api/member/history', { token: m.token });
    expect(history.body.items.map((i: { kind: string; delta: number }) => [i.kind, i.delta])).toEqual([['claim', 66]]);
  });

  it('ticket before notify: the claim waits, the payment credits the member once', async () => {
    const m = await login(t.fetch, `claim-b-${seq}`);
    const o = order();
    const tk = await ticketFor(o);
    expect((await claim(m.token, tk.body.ticket)).body).toEqual({ points: 0, balance: 0, status: 'waiting' });
    const p = payment(o, buyer(), '20.00');
    await send(p);
    await send(p); // a retry of the notification
    expect(await balance(m.token)).toBe(20);
    expect((await claim(m.token, tk.body.ticket)).body).toEqual({ points: 20, balance: 20, status: 'credited' });
  });

  it('a replayed claim answers the same and credits nothing more; another member is refused', async () => {
    const m = await login(t.fetch, `claim-c-${seq}`);
    const other = await login(t.fetch, `claim-c2-${seq}`);
    const o = order();
    await pay(o, buyer(), '10.00');
    const tk = await ticketFor(o);
    const answers = await Promise.all(Array.from({ length: 5 }, () => claim(m.token, tk.body.ticket)));
    expect(answers.every((a) => a.status === 200 && a.body.points === 10)).toBe(true);
    expect(await balance(m.token)).toBe(10);
    const stolen = await claim(other.token, tk.body.ticket);
    expect(stolen).toMatchObject({ status: 409, body: { code: 'ALREADY_CLAIMED' } });
    expect(await balance(other.token)).toBe(0);
  });

  it('two tickets for one order: the second claim is refused', async () => {
    const a = await login(t.fetch, `claim-d-${seq}`);
    const b = await login(t.fetch, `claim-d2-${seq}`);
    const o = order();
    await pay(o, buyer(), '30.00');
    const t1 = await ticketFor(o);
    const t2 = await ticketFor(o);
    await claim(a.token, t1.body.ticket);
    expect((await claim(b.token, t2.body.ticket)).body.code).toBe('ALREADY_CLAIMED');
    expect((await ticketFor(o)).body.code).toBe('ALREADY_CLAIMED');
  });

  it('an unknown ticket is 404, an expired one 410', async () => {
    const m = await login(t.fetch, `claim-e-${seq}`);
    expect((await claim(m.token, 'NOSUCHTICKET2345')).status).toBe(404);
    const o = order();
    const tk = await ticketFor(o);
    t.clock.offset = 24 * 3600_000 + 1000;
    try {
      const r = await claim(m.token, tk.body.ticket);
      expect(r).toMatchObject({ status: 410, body: { code: 'TICKET_EXPIRED' } });
    } finally {
      t.clock.offset = 0;
    }
  });

  it("a store-scoped cashier cannot make a ticket for another store's order", async () => {
    const o = order();
    await pay(o, buyer(), '15.00', 'S002');
    expect((await ticketFor(o, cashierA)).status).toBe(403);
    expect((await ticketFor(o, cashierB)).status).toBe(201);
    expect((await ticketFor(o, TEST_ADMIN_TOKEN)).status).toBe(201);
  });

  it('an Alipay buyer is linked after the same member claimed two of their orders; then payments accrue directly', async () => {
    const m = await login(t.fetch, `claim-f-${seq}`);
    const b = buyer();
    for (const [o, amount] of [
      [order(), '12.00'],
      [order(), '3.00'],
    ] as const) {
      await pay(o, b, amount);
      await claim(m.token, (await ticketFor(o)).body.ticket);
    }
    expect(await balance(m.token)).toBe(15);
    const links = await call(t.fetch, 'GET', '/api/member/payer-links', { token: m.token });
    expect(links.body.items).toEqual([
      expect.objectContaining({
        channel: 'alipay',
        status: 'active',
        claims: 2,
        payer: `${b.slice(0, 4)}****${b.slice(-4)}`,
      }),
    ]);
    expect(JSON.stringify(links.body)).not.toContain(b);
    await pay(order(), b, '8.00');
    expect(await balance(m.token)).toBe(23);
  });

  it('bad input changes nothing', async () => {
    const m = await login(t.fetch, `claim-g-${seq}`);
    const before = await t.store.counts();
    expect((await claim(m.token, '')).status).toBe(400);
    expect(
      (
        await call(t.fetch, 'POST', '/api/staff/claims', {
          token: cashierA,
          body: { channel: 'cash', outTradeNo: 'x' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call(t.fetch, 'POST', '/api/staff/claims', { body: { channel: 'alipay', outTradeNo: 'x' } })).status,
    ).toBe(401);
    expect(await t.store.counts()).toEqual(before);
  });

  it('the ledger verifies', async () => {
    expect(verifyLedger(await t.store.ledgerSummary()).problems).toEqual([]);
  });
});

describe('scan-to-bind cannot be hijacked', () => {
  const paymentOf = async (outTradeNo: string) => {
    const found = await t.store.transaction((tx) => tx.findPaymentByOrder('alipay', outTradeNo));
    return found;
  };
  const alerts = async () =>
    (await admin('GET', '/api/admin/alerts?status=open')).body.items as Array<{
      id: number;
      detail: Record<string, unknown>;
    }>;

  it("A claims buyer X's first order; B claims the ticket of X's next order before it is paid: B gets it, A nothing more; X's later payments wait", async () => {
    const a = await login(t.fetch, `hijacker-${seq}`);
    const b = await login(t.fetch, `real-buyer-${seq}`);
    const x = buyer();
    const first = order();
    await pay(first, x, '20.00');
    expect((await claim(a.token, (await ticketFor(first)).body.ticket)).body).toMatchObject({ points: 20 });
    const next = order();
    const t2 = (await ticketFor(next)).body.ticket;
    expect((await claim(b.token, t2)).body).toMatchObject({ status: 'waiting' });
    await pay(next, x, '30.00');
    expect([await balance(a.token), await balance(b.token)]).toEqual([20, 30]);
    const later = order();
    await pay(later, x, '40.00');
    expect([await balance(a.token), await balance(b.token)]).toEqual([20, 30]);
    expect(await paymentOf(later)).toMatchObject({ memberId: null, pointsEarned: 40 });
  });

  it('a different member claiming a linked payer suspends the link and raises an alert HQ can see and resolve', async () => {
    const a = await login(t.fetch, `linked-${seq}`);
    const b = await login(t.fetch, `contender-${seq}`);
    const x = buyer();
    for (const o of [order(), order()]) {
      await pay(o, x, '10.00');
      await claim(a.token, (await ticketFor(o)).body.ticket);
    }
    const contested = order();
    expect((await claim(b.token, (await ticketFor(contested)).body.ticket)).body.status).toBe('waiting');
    await pay(contested, x, '50.00');
    expect([await balance(a.token), await balance(b.token)]).toEqual([20, 50]);
    const link = (await call(t.fetch, 'GET', '/api/member/payer-links', { token: a.token })).body.items[0];
    expect(link).toMatchObject({ status: 'suspended' });
    const alert = (await alerts()).find((x) => x.detail.claimedBy === b.memberId);
    expect(alert?.detail).toMatchObject({ linkedMember: a.memberId, claimedBy: b.memberId, outTradeNo: contested });
    expect(JSON.stringify(alert)).not.toContain(x);
    // Suspended: X's next payment credits nobody until someone claims it.
    const after = order();
    await pay(after, x, '5.00');
    expect([await balance(a.token), await balance(b.token)]).toEqual([20, 50]);
    expect((await paymentOf(after))?.memberId).toBeNull();
    expect((await admin('POST', `/api/admin/alerts/${alert!.id}/resolve`, { note: '已核实' })).status).toBe(204);
    expect((await alerts()).some((x) => x.id === alert!.id)).toBe(false);
    expect((await admin('POST', `/api/admin/alerts/${alert!.id}/resolve`, {})).status).toBe(404);
  });

  it("points a link gave are provisional: a claim of that order's ticket moves them to the claimer", async () => {
    const a = await login(t.fetch, `prov-a-${seq}`);
    const b = await login(t.fetch, `prov-b-${seq}`);
    const x = buyer();
    for (const o of [order(), order()]) {
      await pay(o, x, '10.00');
      await claim(a.token, (await ticketFor(o)).body.ticket);
    }
    const o3 = order();
    await pay(o3, x, '60.00'); // the active link credits A at once
    expect(await balance(a.token)).toBe(80);
    const ticket = await ticketFor(o3);
    expect(ticket.status).toBe(201);
    expect((await claim(b.token, ticket.body.ticket)).body).toMatchObject({ status: 'credited', points: 60 });
    expect([await balance(a.token), await balance(b.token)]).toEqual([20, 60]);
    expect(await paymentOf(o3)).toMatchObject({ memberId: b.memberId, attribution: 'ticket' });
    // Decided by a ticket now: no further ticket for it.
    expect((await ticketFor(o3)).body.code).toBe('ALREADY_CLAIMED');
    const history = await call(t.fetch, 'GET', '/api/member/history', { token: a.token });
    expect(history.body.items[0]).toMatchObject({ kind: 'claim', delta: -60 });
    const verify = await admin('GET', '/api/admin/ledger/verify');
    expect(verify.body.problems).toEqual([]);
  });

  it("members list and remove their own links; HQ sees and removes anyone's; nobody removes another member's", async () => {
    const a = await login(t.fetch, `owner-${seq}`);
    const other = await login(t.fetch, `other-${seq}`);
    const x = buyer();
    for (const o of [order(), order()]) {
      await pay(o, x, '10.00');
      await claim(a.token, (await ticketFor(o)).body.ticket);
    }
    const [link] = (await admin('GET', `/api/admin/members/${a.memberId}/payer-links`)).body.items;
    expect(link).toMatchObject({ status: 'active' });
    const del = (token: string) => call(t.fetch, 'DELETE', `/api/member/payer-links/${link.id}`, { token });
    expect((await del(other.token)).status).toBe(404);
    expect((await del(a.token)).status).toBe(204);
    expect((await call(t.fetch, 'GET', '/api/member/payer-links', { token: a.token })).body.items).toEqual([]);
    const o = order();
    await pay(o, x, '9.00');
    expect(await balance(a.token)).toBe(20); // removed: X's payments wait again
    // HQ removes a link too (after two more claims re-linked it).
    for (const o2 of [order(), order()]) {
      await pay(o2, x, '1.00');
      await claim(a.token, (await ticketFor(o2)).body.ticket);
    }
    expect((await admin('GET', `/api/admin/members/${a.memberId}/payer-links`)).body.items[0].status).toBe('active');
    expect((await call(t.fetch, 'DELETE', `/api/admin/payer-links/${link.id}`, { token: cashierA })).status).toBe(403);
    expect((await admin('DELETE', `/api/admin/payer-links/${link.id}`)).status).toBe(204);
    expect((await admin('GET', `/api/admin/members/${a.memberId}/payer-links`)).body.items).toEqual([]);
  });
});
