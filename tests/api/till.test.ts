/** Pay with points at the till: dynamic code → capture once per order, void, expiry, refund. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjust, call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let seq = 0;
beforeAll(async () => {
  // 100 points = 1 yuan, at most 50% of a bill (the defaults).
  t = await testApp();
});
afterAll(() => t.close());

async function member(points: number) {
  const m = await login(t.fetch, `till-${++seq}`);
  await adjust(t.fetch, m.memberId, points, `till-seed-${seq}`);
  return m;
}
const me = async (token: string) => (await call(t.fetch, 'GET', '/api/member/me', { token })).body;
const newCode = (token: string, points?: number) =>
  call(t.fetch, 'POST', '/api/member/pay-codes', { token, body: points === undefined ? {} : { points } });
const capture = (code: string, orderNo: string, amountFen: number) =>
  call(t.fetch, 'POST', '/api/staff/checkout/capture', { token: TEST_ADMIN_TOKEN, body: { code, orderNo, amountFen } });

describe('pay with points', () => {
  it('a code holds the points: available drops, the balance does not', async () => {
    const m = await member(1000);
    const r = await newCode(m.token, 500);
    expect(r.status).toBe(200);
    expect(r.body.code).toMatch(/^66\d{16}$/);
    expect(r.body.expiresAt).toMatch(/\+08:00$/);
    // Both pictures are SVG data URLs; the barcode is a drawing, not text, so a scanner reads the digits.
    for (const img of [r.body.qr, r.body.barcode]) expect(img).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(r.body.barcode.split(',')[1], 'base64').toString()).toMatch(/^<svg[^>]*viewBox/);
    expect(await me(m.token)).toMatchObject({ balance: 1000, available: 500, held: 500 });
  });

  it('"as much as allowed" holds everything available; more than available is refused', async () => {
    const m = await member(320);
    expect((await newCode(m.token)).body.points).toBe(320);
    expect((await newCode(m.token, 1)).body.code).toBe('INSUFFICIENT_POINTS');
  });

  it('capture takes what the bill allows, frees the rest, once per order number', async () => {
    const m = await member(1000);
    const { code, holdId } = (await newCode(m.token, 800)).body;
    // A 10-yuan bill takes at most 5 yuan = 500 points.
    const answers = await Promise.all(Array.from({ length: 5 }, () => capture(code, `ORD-${seq}`, 1000)));
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(5).fill([200, undefined]));
    expect(answers.map((a) => a.body)).toEqual(Array(5).fill({ orderNo: `ORD-${seq}`, points: 500, discountFen: 500 }));
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    expect(await me(m.token)).toMatchObject({ balance: 500, available: 500, held: 0 });
    expect((await call(t.fetch, 'GET', `/api/member/pay-codes/${holdId}`, { token: m.token })).body.status).toBe(
      'captured',
    );
    const again = await capture(code, 'ANOTHER-ORDER', 1000);
    expect(again).toMatchObject({ status: 409, body: { code: 'HOLD_CLOSED' } });
  });

  it('refresh gives a new code; the old one stops working', async () => {
    const m = await member(300);
    const first = (await newCode(m.token, 300)).body;
    const next = (await call(t.fetch, 'POST', `/api/member/pay-codes/${first.holdId}/refresh`, { token: m.token }))
      .body;
    expect(next.code).not.toBe(first.code);
    expect((await capture(first.code, `OLD-${seq}`, 100_000)).status).toBe(404);
    expect((await capture(next.code, `NEW-${seq}`, 100_000)).body.points).toBe(300);
  });

  it('an expired code is refused and its points come back by the sweep', async () => {
    const m = await member(200);
    const { code } = (await newCode(m.token, 200)).body;
    t.clock.offset = 121_000;
    try {
      expect(await capture(code, `LATE-${seq}`, 100_000)).toMatchObject({
        status: 410,
        body: { code: 'HOLD_EXPIRED' },
      });
      expect(
        (await call(t.fetch, 'POST', '/api/admin/holds/sweep', { token: TEST_ADMIN_TOKEN })).body.members,
      ).toBeGreaterThanOrEqual(1);
    } finally {
      t.clock.offset = 0;
    }
    expect(await me(m.token)).toMatchObject({ balance: 200, available: 200, held: 0 });
  });

  it('void releases; a capture after void is refused', async () => {
    const m = await member(150);
    const { code } = (await newCode(m.token, 150)).body;
    expect(
      (await call(t.fetch, 'POST', '/api/staff/checkout/void', { token: TEST_ADMIN_TOKEN, body: { code } })).status,
    ).toBe(200);
    expect(await capture(code, `VOID-${seq}`, 100_000)).toMatchObject({ status: 409, body: { code: 'HOLD_CLOSED' } });
    expect(await me(m.token)).toMatchObject({ balance: 150, available: 150, held: 0 });
  });

  it('refunding the order gives the points back, once', async () => {
    const m = await member(400);
    const { code } = (await newCode(m.token, 400)).body;
    await capture(code, `REFUND-${seq}`, 100_000);
    expect((await me(m.token)).balance).toBe(0);
    const refund = () =>
      call(t.fetch, 'POST', '/api/staff/checkout/refund', {
        token: TEST_ADMIN_TOKEN,
        body: { orderNo: `REFUND-${seq}` },
      });
    expect((await refund()).body).toEqual({ orderNo: `REFUND-${seq}`, points: 400 });
    await refund();
    expect((await me(m.token)).balance).toBe(400);
  });

  it("HQ refunds a store's order by naming the store", async () => {
    await call(t.fetch, 'POST', '/api/admin/stores', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'S009', name: '九店', region: '上海' },
    });
    const staff = await call(t.fetch, 'POST', '/api/admin/staff', {
      token: TEST_ADMIN_TOKEN,
      body: { name: 'c', storeId: 'S009', role: 'cashier' },
    });
    const m = await member(300);
    const { code } = (await newCode(m.token, 300)).body;
    const cap = await call(t.fetch, 'POST', '/api/staff/checkout/capture', {
      token: staff.body.token,
      body: { code, orderNo: `S9-${seq}`, amountFen: 100_000 },
    });
    expect(cap.body.points).toBe(300);
    const hqRefund = (storeId?: string) =>
      call(t.fetch, 'POST', '/api/staff/checkout/refund', {
        token: TEST_ADMIN_TOKEN,
        body: { orderNo: `S9-${seq}`, storeId },
      });
    const who = await call(t.fetch, 'GET', '/api/staff/me', { token: staff.body.token });
    expect(who.body).toEqual({ id: staff.body.id, name: 'c', role: 'cashier', storeId: 'S009', storeName: '九店' });
    expect((await call(t.fetch, 'GET', '/api/staff/me', { token: TEST_ADMIN_TOKEN })).body).toMatchObject({
      role: 'hq',
      storeId: null,
    });
    expect((await call(t.fetch, 'GET', '/api/staff/me', { token: 'not-a-token' })).status).toBe(401);
    expect((await hqRefund()).status).toBe(404);
    expect((await hqRefund('S009')).body).toEqual({ orderNo: `S9-${seq}`, points: 300 });
    expect((await me(m.token)).balance).toBe(300);
  });

  it('the sweep also expires points past their date for members with no hold', async () => {
    const m = await member(70); // a fresh grant lives 365 days
    t.clock.offset = 367 * 86_400_000;
    try {
      await call(t.fetch, 'POST', '/api/admin/holds/sweep', { token: TEST_ADMIN_TOKEN });
    } finally {
      t.clock.offset = 0;
    }
    expect(await me(m.token)).toMatchObject({ balance: 0, available: 0 });
    const history = await call(t.fetch, 'GET', '/api/member/history', { token: m.token });
    expect(history.body.items[0]).toMatchObject({ kind: 'expire', delta: -70 });
  });

  it('a bill too small for any points, a malformed code, and a member token are refused', async () => {
    const m = await member(100);
    const { code } = (await newCode(m.token, 100)).body;
    expect((await capture(code, `SMALL-${seq}`, 1)).status).toBe(400);
    expect((await capture('12345', `BAD-${seq}`, 1000)).status).toBe(400);
    const asMember = await call(t.fetch, 'POST', '/api/staff/checkout/capture', {
      token: m.token,
      body: { code, orderNo: 'X', amountFen: 1000 },
    });
    expect(asMember.status).toBe(403);
  });

  it('the ledger verifies', async () => {
    const r = await call(t.fetch, 'GET', '/api/admin/ledger/verify', { token: TEST_ADMIN_TOKEN });
    expect(r.body.problems).toEqual([]);
  });
});

describe('till scope and roles', () => {
  const staff: Record<string, string> = {};
  beforeAll(async () => {
    for (const [id, name] of [
      ['T01', '一店'],
      ['T02', '二店'],
    ]) {
      await call(t.fetch, 'POST', '/api/admin/stores', { token: TEST_ADMIN_TOKEN, body: { id, name, region: '上海' } });
      for (const role of ['cashier', 'manager']) {
        const r = await call(t.fetch, 'POST', '/api/admin/staff', {
          token: TEST_ADMIN_TOKEN,
          body: { name: `${id}-${role}`, storeId: id, role },
        });
        staff[`${id}-${role}`] = r.body.token;
      }
    }
  });
  const as = (token: string, path: string, body: unknown) => call(t.fetch, 'POST', path, { token, body });
  const audit = async () => (await t.store.counts()).audit_log ?? 0;

  it("a cross-store void is refused and the hold stays; the scanning store's void works", async () => {
    const m = await member(500);
    const { code } = (await newCode(m.token, 500)).body;
    // Nobody scanned it yet: no till may void it (only the member).
    expect((await as(staff['T01-cashier']!, '/api/staff/checkout/void', { code })).status).toBe(403);
    const scanned = await as(staff['T01-cashier']!, '/api/staff/checkout/scan', { code });
    expect(scanned).toMatchObject({ status: 200, body: { points: 500, status: 'open' } });
    const counts = await t.store.counts();
    for (const token of [staff['T02-cashier']!, staff['T02-manager']!]) {
      expect((await as(token, '/api/staff/checkout/void', { code })).status).toBe(403);
      expect((await as(token, '/api/staff/checkout/scan', { code })).status).toBe(403);
      expect(
        (await as(token, '/api/staff/checkout/capture', { code, orderNo: `X-${seq}`, amountFen: 100_000 })).status,
      ).toBe(403);
    }
    expect(await t.store.counts()).toEqual(counts);
    expect(await me(m.token)).toMatchObject({ balance: 500, held: 500 });
    expect((await as(staff['T01-cashier']!, '/api/staff/checkout/void', { code })).body).toMatchObject({
      status: 'released',
    });
    expect(await me(m.token)).toMatchObject({ balance: 500, held: 0 });
  });

  it('the member may always void their own code; nobody else may by its hold id', async () => {
    const m = await member(200);
    const other = await member(0);
    const { code, holdId } = (await newCode(m.token, 200)).body;
    await as(staff['T01-cashier']!, '/api/staff/checkout/scan', { code });
    expect((await call(t.fetch, 'POST', `/api/member/pay-codes/${holdId}/void`, { token: other.token })).status).toBe(
      404,
    );
    expect((await me(m.token)).held).toBe(200);
    const mine = await call(t.fetch, 'POST', `/api/member/pay-codes/${holdId}/void`, { token: m.token });
    expect(mine.body).toEqual({ holdId, status: 'released' });
    expect((await me(m.token)).held).toBe(0);
  });

  it("a cashier's refund is 403; a manager of another store's is 404; the capturing store's manager's works, audited", async () => {
    const m = await member(600);
    const { code } = (await newCode(m.token, 600)).body;
    const orderNo = `RF-${seq}`;
    expect(
      (await as(staff['T01-cashier']!, '/api/staff/checkout/capture', { code, orderNo, amountFen: 100_000 })).body
        .points,
    ).toBe(600);
    const auditBefore = await audit();
    const cashier = await as(staff['T01-cashier']!, '/api/staff/checkout/refund', { orderNo });
    expect(cashier).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect((await as(staff['T02-manager']!, '/api/staff/checkout/refund', { orderNo })).status).toBe(404);
    expect((await me(m.token)).balance).toBe(0);
    expect(await audit()).toBe(auditBefore);
    const manager = await as(staff['T01-manager']!, '/api/staff/checkout/refund', { orderNo, reason: '顾客退货' });
    expect(manager).toMatchObject({ status: 200, body: { orderNo, points: 600 } });
    expect((await me(m.token)).balance).toBe(600);
    expect(await audit()).toBe(auditBefore + 1);
  });

  it('a refund after the window is 410 REFUND_WINDOW_CLOSED, even for HQ', async () => {
    const m = await member(100);
    const { code } = (await newCode(m.token, 100)).body;
    const orderNo = `LATE-${seq}`;
    await as(staff['T01-cashier']!, '/api/staff/checkout/capture', { code, orderNo, amountFen: 100_000 });
    t.clock.offset = 31 * 86_400_000;
    try {
      const late = await as(staff['T01-manager']!, '/api/staff/checkout/refund', { orderNo });
      expect(late).toMatchObject({ status: 410, body: { code: 'REFUND_WINDOW_CLOSED' } });
      const hq = await as(TEST_ADMIN_TOKEN, '/api/staff/checkout/refund', { orderNo, storeId: 'T01' });
      expect(hq.status).toBe(410);
    } finally {
      t.clock.offset = 0;
    }
    expect((await me(m.token)).balance).toBe(0);
  });
});
