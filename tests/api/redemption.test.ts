/**
 * Rewards over HTTP: HQ's audited catalog, one-tap redemption, staff verifying vouchers once and only where
 * the reward allows, and HQ's review queue for costly redemptions.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjust, call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let rt: TestApp; // JIFEN_REVIEW_THRESHOLD=500
let cashierA: string;
let cashierB: string;
let seq = 0;

const admin = (method: string, path: string, body?: unknown, app = t) =>
  call(app.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const reward = async (body: Record<string, unknown>, app = t) => {
  const r = await admin('POST', '/api/admin/rewards', { name: '保温杯', kind: 'gift', stock: null, ...body }, app);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; name: string };
};
const member = async (points: number, app = t) => {
  const m = await login(app.fetch, `redeem-${++seq}`);
  if (points > 0) expect((await adjust(app.fetch, m.memberId, points, `fund-${seq}`)).status).toBe(200);
  return m;
};
const redeem = (token: string, rewardId: string, requestId = `req-${++seq}`, app = t) =>
  call(app.fetch, 'POST', '/api/member/redeem', { token, body: { rewardId, requestId } });
const verify = (token: string, code: string, app = t) =>
  call(app.fetch, 'POST', '/api/staff/vouchers/verify', { token, body: { code } });
const me = async (token: string, app = t) => (await call(app.fetch, 'GET', '/api/member/me', { token })).body;
const vouchers = async (token: string) => (await call(t.fetch, 'GET', '/api/member/vouchers', { token })).body.items;
const ids = (items: Array<{ id: string }>) => items.map((x) => x.id);
type AuditRow = { actor: string; action: string; subject: string; detail: string };
/** The audit log, read-only, straight from the app's SQLite file. */
const audit = (app: TestApp) => {
  const db = new Database(app.config.databaseUrl.slice('sqlite:'.length), { readonly: true });
  const rows = db.prepare('SELECT actor, action, subject, detail FROM audit_log ORDER BY id').all() as AuditRow[];
  db.close();
  return rows;
};
const refusal = (status: number, code: string, zh: string) => ({ status, body: { code, details: { zh } } });

beforeAll(async () => {
  t = await testApp();
  rt = await testApp({ JIFEN_REVIEW_THRESHOLD: '500' });
  expect((await admin('POST', '/api/admin/stores', { id: 'S001', name: '徐汇店', region: '上海' })).status).toBe(201);
  expect((await admin('POST', '/api/admin/stores', { id: 'S002', name: '朝阳店', region: '北京' })).status).toBe(201);
  cashierA = (await admin('POST', '/api/admin/staff', { name: '小王', storeId: 'S001', role: 'cashier' })).body.token;
  cashierB = (await admin('POST', '/api/admin/staff', { name: '小李', storeId: 'S002', role: 'cashier' })).body.token;
});
afterAll(() => Promise.all([t?.close(), rt?.close()]));

describe('the catalog (HQ)', () => {
  it('HQ creates gift, coupon and cash rewards, every change audited; members see the active ones', async () => {
    const gift = await reward({ pointsCost: 100, stock: 5 });
    const coupon = { type: 'amount_off', amountOffFen: 1000, thresholdFen: 5000 };
    const c = await reward({ name: '满50减10券', kind: 'coupon', pointsCost: 50, spec: { coupon } });
    const spec = { cash: { pointsPerYuan: 100, maxShareBps: 3000 } };
    const cash = await reward({ name: '积分抵现', kind: 'cash', pointsCost: 100, spec });
    const hidden = await reward({ name: '下架品', pointsCost: 10, active: false });
    expect(c).toMatchObject({ kind: 'coupon', stock: null, active: true, spec: { coupon } });
    expect((await admin('PATCH', `/api/admin/rewards/${gift.id}`, { stock: 8 })).body).toMatchObject({ stock: 8 });

    const m = await member(0);
    const listed = ids((await call(t.fetch, 'GET', '/api/rewards', { token: m.token })).body.items);
    expect(listed).toEqual(expect.arrayContaining([gift.id, c.id, cash.id]));
    expect(listed).not.toContain(hidden.id);
    expect((await call(t.fetch, 'GET', '/api/rewards')).status).toBe(401);

    const rows = audit(t).filter((a) => [gift.id, c.id, cash.id, hidden.id].includes(a.subject));
    expect(rows.map((a) => [a.actor, a.action, a.subject])).toEqual([
      ...[gift, c, cash, hidden].map((r) => ['hq', 'reward.create', r.id]),
      ['hq', 'reward.update', gift.id],
    ]);
    expect(JSON.parse(rows[4]!.detail)).toMatchObject({ before: { stock: 5 }, after: { stock: 8 } });
  });

  it('invalid rewards are 400 and write nothing; members and staff may not create', async () => {
    const m = await member(0);
    const before = await t.store.counts();
    const base = { name: '杯子', kind: 'gift', pointsCost: 10, stock: null };
    const bad = [
      { kind: 'coupon' },
      { kind: 'cash', spec: {} },
      { pointsCost: -5 },
      { pointsCost: 1.5 },
      { stock: -1 },
    ];
    const unknown = [{ name: ' ' }, { colour: 'red' }, { spec: { storeIds: ['S001'], size: 'L' } }];
    for (const change of [...bad, ...unknown]) {
      const body = { ...base, ...change };
      const r = await admin('POST', '/api/admin/rewards', body);
      expect([r.status, r.body.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await call(t.fetch, 'POST', '/api/admin/rewards', { token: m.token, body: base })).status).toBe(403);
    expect((await call(t.fetch, 'POST', '/api/admin/rewards', { token: cashierA, body: base })).status).toBe(403);
    expect(await t.store.counts()).toEqual(before);
  });
});

describe('one-tap redemption (member)', () => {
  it('issues a voucher with a QR code and the new balance; a replay answers the same, once', async () => {
    const m = await member(300);
    const [r, other] = [await reward({ pointsCost: 100 }), await reward({ pointsCost: 100 })];
    const first = await redeem(m.token, r.id, 'tap-1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ balance: 200, voucher: { rewardId: r.id, points: 100, status: 'issued' } });
    expect(first.body.voucher.code).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
    expect(first.body.voucher.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(first.body.voucher.qr.split(',')[1], 'base64').toString()).toContain('<svg');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await redeem(m.token, r.id, 'tap-1');
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(again.body).toEqual(first.body);
    expect((await redeem(m.token, other.id, 'tap-1')).body.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await vouchers(m.token)).toMatchObject([{ code: first.body.voucher.code, status: 'issued' }]);
    expect((await me(m.token)).balance).toBe(200);
  });

  it('refusals are typed, carry Chinese text, and write nothing', async () => {
    const [a, b] = [await member(100), await member(100)];
    const last = await reward({ pointsCost: 10, stock: 1 });
    const once = await reward({ pointsCost: 10, spec: { perMember: { count: 1, period: 'total' } } });
    const gone = await reward({ pointsCost: 10 });
    const dear = await reward({ pointsCost: 1000 });
    expect((await redeem(a.token, last.id)).status).toBe(200);
    expect((await redeem(a.token, once.id)).status).toBe(200);
    expect((await admin('PATCH', `/api/admin/rewards/${gone.id}`, { active: false })).status).toBe(200);
    const before = await t.store.counts();
    expect(await redeem(b.token, last.id)).toMatchObject(refusal(409, 'OUT_OF_STOCK', '礼品已兑完'));
    expect(await redeem(a.token, once.id)).toMatchObject(refusal(409, 'LIMIT_REACHED', '已达到兑换次数上限'));
    expect(await redeem(b.token, gone.id)).toMatchObject(refusal(409, 'REWARD_INACTIVE', '该礼品已下架'));
    expect(await redeem(b.token, dear.id)).toMatchObject({ status: 409, body: { code: 'INSUFFICIENT_POINTS' } });
    expect((await redeem(b.token, 'r_nosuchreward')).status).toBe(404);
    expect((await redeem(b.token, gone.id, 'not a request id')).status).toBe(400);
    expect(await t.store.counts()).toEqual(before);
  });

  it('INSUFFICIENT_POINTS on redeem carries its plain Chinese (积分不足) like every refusal', async () => {
    const m = await member(0);
    const r = await reward({ pointsCost: 10 });
    expect((await redeem(m.token, r.id)).body.details?.zh).toBe('积分不足');
  });

  it('cancelling an unused voucher gives its points back, once', async () => {
    const m = await member(100);
    const v = (await redeem(m.token, (await reward({ pointsCost: 40, stock: 3 })).id)).body.voucher;
    const cancel = (token: string) => call(t.fetch, 'POST', `/api/member/vouchers/${v.id}/cancel`, { token });
    expect((await cancel((await member(0)).token)).status).toBe(404);
    expect((await cancel(m.token)).body).toMatchObject({ balance: 100, voucher: { status: 'cancelled' } });
    expect((await cancel(m.token)).body).toMatchObject({ code: 'VOUCHER_NOT_CANCELLABLE' });
    expect((await me(m.token)).balance).toBe(100);
  });

  it('the voucher list draws no QR codes; one voucher comes with its QR while usable, and only to its member', async () => {
    const m = await member(100);
    const r = await reward({ pointsCost: 10 });
    for (let i = 0; i < 3; i++) await redeem(m.token, r.id);
    const items = await vouchers(m.token);
    expect(items).toHaveLength(3);
    expect(
      items.every((v: { qr: string | null; rewardName: string }) => v.qr === null && v.rewardName === '保温杯'),
    ).toBe(true);
    const one = await call(t.fetch, 'GET', `/api/member/vouchers/${items[0].id}`, { token: m.token });
    expect(one.body).toMatchObject({
      id: items[0].id,
      status: 'issued',
      qr: expect.stringMatching(/^data:image\/svg\+xml;base64,/),
    });
    const stranger = await member(0);
    expect((await call(t.fetch, 'GET', `/api/member/vouchers/${items[0].id}`, { token: stranger.token })).status).toBe(
      404,
    );
    await call(t.fetch, 'POST', `/api/member/vouchers/${items[0].id}/cancel`, { token: m.token });
    expect((await call(t.fetch, 'GET', `/api/member/vouchers/${items[0].id}`, { token: m.token })).body.qr).toBeNull();
  });

  it('redeem, then cancel: me.expiring shows the same points and date as before', async () => {
    const short = await testApp({ JIFEN_POINTS_TTL_DAYS: '20' }); // inside the 30-day expiring window
    try {
      const m = await member(100, short);
      const before = (await me(m.token, short)).expiring;
      expect(before).toMatchObject({ points: 100 });
      short.clock.offset += 5 * 24 * 3600_000; // a fresh lot now would expire 5 days later
      const v = (await redeem(m.token, (await reward({ pointsCost: 60 }, short)).id, 'exp-1', short)).body.voucher;
      expect((await me(m.token, short)).expiring).toMatchObject({ points: 40, firstAt: before.firstAt });
      const cancelled = await call(short.fetch, 'POST', `/api/member/vouchers/${v.id}/cancel`, { token: m.token });
      expect(cancelled.status).toBe(200);
      expect((await me(m.token, short)).expiring).toEqual(before);
    } finally {
      await short.close();
    }
  });
});

describe('voucher verification (staff)', () => {
  it('a voucher is used exactly once: the second scan is 409 VOUCHER_USED', async () => {
    const m = await member(100);
    const v = (await redeem(m.token, (await reward({ name: '咖啡', pointsCost: 30 })).id)).body.voucher;
    const used = await verify(cashierA, ` ${v.code.toLowerCase()} `);
    expect(used.status).toBe(200);
    expect(used.body).toMatchObject({ voucherId: v.id, rewardName: '咖啡', points: 30 });
    expect(used.body.usedAt).toMatch(/\+08:00$/);
    expect(await verify(cashierA, v.code)).toMatchObject(refusal(409, 'VOUCHER_USED', '该券已使用'));
    expect(await verify(cashierB, v.code)).toMatchObject(refusal(409, 'VOUCHER_USED', '该券已使用'));
    expect(await vouchers(m.token)).toMatchObject([{ id: v.id, status: 'used' }]);
    expect((await verify(cashierA, 'NOSUCHCODE23')).status).toBe(404);
    expect((await verify(m.token, v.code)).status).toBe(403);
    expect((await call(t.fetch, 'POST', '/api/staff/vouchers/verify', { body: { code: v.code } })).status).toBe(401);
  });

  it('a voucher for store A is refused at store B (403), accepted at A, and HQ may verify anywhere', async () => {
    const m = await member(100);
    const r = await reward({ pointsCost: 20, spec: { storeIds: ['S001'] } });
    const [v1, v2] = [(await redeem(m.token, r.id)).body.voucher, (await redeem(m.token, r.id)).body.voucher];
    expect(await verify(cashierB, v1.code)).toMatchObject(refusal(403, 'VOUCHER_WRONG_STORE', '该券不能在本店使用'));
    expect((await verify(cashierA, v1.code)).status).toBe(200);
    expect((await verify(TEST_ADMIN_TOKEN, v2.code)).status).toBe(200);
  });

  it('an expired voucher is 410 VOUCHER_EXPIRED and stays expired', async () => {
    const m = await member(100);
    const v = (await redeem(m.token, (await reward({ pointsCost: 20, spec: { voucherDays: 1 } })).id)).body.voucher;
    expect(v.expiresAt).toMatch(/\+08:00$/);
    t.clock.offset = 2 * 86_400_000; // the voucher lived 1 day
    try {
      expect(await verify(cashierA, v.code)).toMatchObject(refusal(410, 'VOUCHER_EXPIRED', '该券已过期'));
      expect((await verify(cashierA, v.code)).status).toBe(409);
    } finally {
      t.clock.offset = 0;
    }
    expect(await vouchers(m.token)).toMatchObject([{ id: v.id, status: 'expired' }]);
  });

  it('the ledger verifies', async () => {
    expect((await admin('GET', '/api/admin/ledger/verify')).body).toMatchObject({ ok: true, problems: [] });
  });
});

describe('the review queue (HQ, JIFEN_REVIEW_THRESHOLD=500)', () => {
  it('above the threshold the points are held until HQ approves (taken) or rejects (given back)', async () => {
    const r = await reward({ name: '行李箱', pointsCost: 600, stock: 2 }, rt);
    const [a, b] = [await member(1000, rt), await member(1000, rt)];
    const va = await redeem(a.token, r.id, 'big-1', rt);
    expect(va.body).toMatchObject({ balance: 1000, voucher: { status: 'pending_review' } });
    expect(await me(a.token, rt)).toMatchObject({ balance: 1000, available: 400, held: 600 });
    const queue = async () => (await admin('GET', '/api/admin/redemptions/review', undefined, rt)).body.items;
    expect(ids(await queue())).toEqual([va.body.voucher.id]);
    expect((await verify(TEST_ADMIN_TOKEN, va.body.voucher.code, rt)).body.code).toBe('VOUCHER_IN_REVIEW');
    const decide = (id: string, verb: string, token = TEST_ADMIN_TOKEN) =>
      call(rt.fetch, 'POST', `/api/admin/redemptions/${id}/${verb}`, { token });
    expect((await decide(va.body.voucher.id, 'approve', a.token)).status).toBe(403);
    expect((await decide(va.body.voucher.id, 'approve')).body).toMatchObject({ status: 'issued' });
    expect(await me(a.token, rt)).toMatchObject({ balance: 400, available: 400, held: 0 });
    expect((await decide(va.body.voucher.id, 'approve')).body.code).toBe('NOT_IN_REVIEW');

    const vb = (await redeem(b.token, r.id, 'big-2', rt)).body.voucher;
    expect((await decide(vb.id, 'reject')).body).toMatchObject({ status: 'rejected' });
    expect(await me(b.token, rt)).toMatchObject({ balance: 1000, available: 1000, held: 0 });
    expect((await decide(vb.id, 'approve')).status).toBe(409);
    const catalog = (await admin('GET', '/api/admin/rewards', undefined, rt)).body.items;
    expect(catalog).toMatchObject([{ id: r.id, stock: 1 }]);
    expect(await queue()).toEqual([]);
    const decisions = audit(rt).filter((x) => x.action.startsWith('redemption.'));
    expect(decisions).toMatchObject([
      { actor: 'hq', action: 'redemption.approve', subject: va.body.voucher.id },
      { actor: 'hq', action: 'redemption.reject', subject: vb.id },
    ]);
    expect((await admin('GET', '/api/admin/ledger/verify', undefined, rt)).body).toMatchObject({ ok: true });
  });
});
