/**
 * /api/admin/rules, /holidays and /tiers over HTTP: what operators send,
 * what they are refused and told, the approval gate, the dry run, and that
 * a published rule and a configured ladder reach real payments and `me`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EarningRules } from '../../cloudfunctions/core/services/earning-rules.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { Sessions } from '../../cloudfunctions/core/services/sessions.js';
import { call } from '../support/http.js';
import { balanceOf, memberIdOf, postAlipay, postWechat } from '../support/notify.js';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import { ALIPAY_APPID, APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN, TEST_SECRET } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
beforeAll(async () => {
  keys = await paymentKeys();
  t = await testApp(keys.env);
});
afterAll(() => t.close());

const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
let seq = 0;
const pay = async (openid: string, totalFen: number, attach = '') => {
  const n = wechatNotification(
    'TRANSACTION.SUCCESS',
    transactionResource({ mchId: MCHID, appId: APPID, openid, totalFen, attach }),
    keys.wechat,
  );
  expect((await postWechat(t.fetch, n)).status).toBe(204);
};

describe('editing rules', () => {
  it('creates a draft with defaults, patches it into version 2, publishes, lists and shows versions', async () => {
    const created = await admin('POST', '/api/admin/rules', {
      name: '茶饮加倍',
      then: { multiplier: 2 },
      when: { categories: ['tea'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      version: 1,
      status: 'draft',
      activeVersion: null,
      priority: 0,
      stacking: 'best',
      caps: {},
      warnings: [],
    });
    const id = created.body.id as string;
    const patched = await admin('PATCH', `/api/admin/rules/${id}`, { stacking: 'add' });
    expect(patched.body).toMatchObject({ version: 2, stacking: 'add', then: { multiplier: 2 }, status: 'draft' });
    const published = await admin('POST', `/api/admin/rules/${id}/publish`);
    expect(published.body).toMatchObject({ status: 'active', activeVersion: 2 });
    expect((await admin('POST', `/api/admin/rules/${id}/publish`)).body.code).toBe('ALREADY_PUBLISHED');
    expect((await admin('GET', '/api/admin/rules')).body.items.map((r: { id: string }) => r.id)).toContain(id);
    expect((await admin('GET', `/api/admin/rules/${id}/versions`)).body.items).toMatchObject([
      { version: 1, body: { stacking: 'best' }, actor: expect.any(String) },
      { version: 2, body: { stacking: 'add' } },
    ]);
    expect((await admin('POST', `/api/admin/rules/${id}/archive`)).body.status).toBe('archived');
    expect((await admin('PATCH', `/api/admin/rules/${id}`, { priority: 1 })).body.code).toBe('RULE_ARCHIVED');
  });

  it.each([
    ['two actions at once', { name: 'x', then: { multiplier: 2, bonus: 5 } }, 'VALIDATION_FAILED'],
    ['a multiplier with three decimals', { name: 'x', then: { multiplier: 1.125 } }, 'VALIDATION_FAILED'],
    ['an unknown condition', { name: 'x', then: { bonus: 5 }, when: { moon: 'full' } }, 'VALIDATION_FAILED'],
    ['a date that does not exist', { name: 'x', then: { bonus: 5 }, when: { dateFrom: '2026-02-30' } }, 'RULE_INVALID'],
    [
      'weekdays outside the dates',
      { name: 'x', then: { bonus: 5 }, when: { dateFrom: '2026-12-07', dateTo: '2026-12-11', weekdays: [7] } },
      'RULE_INVALID',
    ],
    ['a cap below its bonus', { name: 'x', then: { bonus: 100 }, caps: { perEvent: 10 } }, 'RULE_INVALID'],
  ])('refuses %s with 400 and writes nothing', async (_n, body, code) => {
    const before = await t.store.counts();
    const r = await admin('POST', '/api/admin/rules', body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(code);
    expect(r.body.message.length).toBeGreaterThan(10);
    expect(await t.store.counts()).toEqual(before);
  });

  it('warns, without refusing, when a rule stacks differently from an active one on the same orders', async () => {
    const a = await admin('POST', '/api/admin/rules', {
      name: '周三双倍',
      then: { multiplier: 2 },
      when: { weekdays: [3] },
    });
    await admin('POST', `/api/admin/rules/${a.body.id}/publish`);
    const b = await admin('POST', '/api/admin/rules', {
      name: '周三加赠',
      stacking: 'add',
      then: { multiplier: 1.5 },
      when: { weekdays: [3], channels: ['wechatpay'] },
    });
    expect(b.status).toBe(201);
    expect(b.body.warnings).toEqual([
      expect.objectContaining({ path: 'stacking', message: expect.stringContaining('周三双倍') }),
    ]);
    await admin('POST', `/api/admin/rules/${a.body.id}/archive`);
  });

  it('offers the four templates, each a valid rule', async () => {
    const r = await admin('GET', '/api/admin/rules/templates');
    expect(r.body.items.map((x: { title: string }) => x.title)).toEqual([
      '双倍积分日',
      '生日三倍',
      '品类加倍',
      '新会员礼',
    ]);
    for (const tpl of r.body.items) expect((await admin('POST', '/api/admin/rules', tpl.body)).status).toBe(201);
  });
});

describe('a published rule reaches payments', () => {
  it('category amounts from the till double; the event keeps the rule and version', async () => {
    const r = await admin('POST', '/api/admin/rules', {
      name: '蛋糕加倍',
      stacking: 'add',
      then: { multiplier: 2 },
      when: { categories: ['cake'] },
    });
    await admin('POST', `/api/admin/rules/${r.body.id}/publish`);
    const openid = `o-rules-${++seq}`;
    await pay(openid, 10_000, JSON.stringify({ store: 'S001', cat: { cake: 3000, tea: 7000 } }));
    expect(await balanceOf(t.store, openid)).toBe(100 + 30);
    await admin('POST', `/api/admin/rules/${r.body.id}/archive`);
    await pay(openid, 10_000, JSON.stringify({ store: 'S001', cat: { cake: 3000 } }));
    expect(await balanceOf(t.store, openid)).toBe(130 + 100);
  });
});

describe('an unclaimed payment claimed later', () => {
  it('keeps the rules its points came from, and the claim records them', async () => {
    const r = await admin('POST', '/api/admin/rules', {
      name: '支付宝双倍',
      then: { multiplier: 2 },
      when: { channels: ['alipay'] },
    });
    await admin('POST', `/api/admin/rules/${r.body.id}/publish`);
    const outTradeNo = `RULES-CLAIM-${++seq}`;
    const params = alipayTradeParams({
      appId: ALIPAY_APPID,
      buyerId: '2088000000007777',
      totalAmount: '30.00',
      outTradeNo,
    });
    expect((await postAlipay(t.fetch, alipayForm(params, keys.alipayPrivateKeyPem))).body).toBe('success');
    const ticket = await call(t.fetch, 'POST', '/api/staff/claims', {
      token: TEST_ADMIN_TOKEN,
      body: { channel: 'alipay', outTradeNo },
    });
    expect(ticket.status).toBe(201);
    const openid = `o-claimer-${++seq}`;
    await pay(openid, 100); // the claimer becomes a member by paying once
    const m = await new Sessions(TEST_SECRET, Date.now).issue(await memberIdOf(t.store, openid));
    const claimed = await call(t.fetch, 'POST', '/api/member/claim', {
      token: m.token,
      body: { ticket: ticket.body.ticket },
    });
    expect(claimed.body).toMatchObject({ points: 60, status: 'credited' });
    const event = await t.store.transaction((tx) => tx.findEvent('claim', `alipay:${params.trade_no}`));
    expect(event?.meta.rules).toEqual([{ id: r.body.id, version: 1, points: 30 }]);
    await admin('POST', `/api/admin/rules/${r.body.id}/archive`);
  });
});

describe('the dry run', () => {
  it('answers per order, in order, with drafts when asked, and writes nothing', async () => {
    const r = await admin('POST', '/api/admin/rules', {
      name: '周六三倍',
      then: { multiplier: 3 },
      when: { weekdays: [6] },
    });
    const orders = [
      { channel: 'wechatpay', paidFen: 10_000, at: '2026-12-05T12:00:00+08:00' },
      { channel: 'alipay', paidFen: 10_000, at: '2026-12-06T12:00:00+08:00' },
    ];
    const before = await t.store.counts();
    const active = await admin('POST', '/api/admin/rules/dry-run', { orders });
    expect(active.body.results.map((x: { points: number }) => x.points)).toEqual([100, 100]);
    const drafts = await admin('POST', '/api/admin/rules/dry-run', { orders, drafts: true });
    expect(drafts.body.results).toMatchObject([
      { points: 300, base: 100, ruleIds: [r.body.id] },
      { points: 100, ruleIds: [] },
    ]);
    expect(await t.store.counts()).toEqual(before);
    await admin('POST', `/api/admin/rules/${r.body.id}/archive`);
  });
});

describe('approval', () => {
  it('with JIFEN_RULES_APPROVAL=on a publish waits; its author cannot approve it; another operator can', async () => {
    const strict = await testApp({ ...keys.env, JIFEN_RULES_APPROVAL: 'on' });
    try {
      const as = (method: string, path: string, body?: unknown) =>
        call(strict.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
      const r = await as('POST', '/api/admin/rules', { name: '全场双倍', then: { multiplier: 2 } });
      const waiting = await as('POST', `/api/admin/rules/${r.body.id}/publish`);
      expect(waiting.body).toMatchObject({ status: 'draft', activeVersion: null, pendingApproval: { version: 1 } });
      const self = await as('POST', `/api/admin/rules/${r.body.id}/approve`);
      expect([self.status, self.body.code]).toEqual([403, 'APPROVAL_BY_SAME_OPERATOR']);
      // A second operator (issue 16 gives them logins; the service is what enforces it).
      const rules = new EarningRules({
        store: strict.store,
        clock: Date.now,
        timeZone: 'Asia/Shanghai',
        approval: true,
      });
      expect(await rules.approve('operator-2', r.body.id)).toMatchObject({ status: 'active', activeVersion: 1 });
    } finally {
      await strict.close();
    }
  });
});

describe('holidays and tiers', () => {
  it('a holiday rule follows the calendar HQ sets', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const r = await admin('POST', '/api/admin/rules', {
      name: '节假日送 20',
      then: { bonus: 20 },
      when: { holidays: true },
    });
    await admin('POST', `/api/admin/rules/${r.body.id}/publish`);
    const openid = `o-holiday-${++seq}`;
    await pay(openid, 1000);
    expect(await balanceOf(t.store, openid)).toBe(10);
    expect((await admin('PUT', '/api/admin/holidays', { dates: [today, '2026-10-01'] })).body.dates).toContain(today);
    await pay(openid, 1000);
    expect(await balanceOf(t.store, openid)).toBe(10 + 30);
    await admin('PUT', '/api/admin/holidays', { dates: [] });
    await admin('POST', `/api/admin/rules/${r.body.id}/archive`);
  });

  it('a configured ladder is what `me` shows and what payments earn with', async () => {
    const bad = await admin('PUT', '/api/admin/tiers', {
      tiers: [
        { code: 'a', name: 'A', minGrowth: 0 },
        { code: 'b', name: 'B', minGrowth: 0 },
      ],
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const ladder = {
      periodMonths: 12,
      tiers: [
        { code: 'bronze', name: '普通会员', minGrowth: 0 },
        { code: 'vip', name: '贵宾', minGrowth: 100, multiplier: 2, benefits: ['双倍积分'] },
      ],
    };
    expect((await admin('PUT', '/api/admin/tiers', ladder)).status).toBe(200);
    const openid = `o-ladder-${++seq}`;
    await pay(openid, 9_900);
    const m = await new Sessions(TEST_SECRET, Date.now).issue(await memberIdOf(t.store, openid));
    const me = async () => (await call(t.fetch, 'GET', '/api/member/me', { token: m.token })).body;
    expect((await me()).tier).toEqual({
      code: 'bronze',
      name: '普通会员',
      growth: 99,
      next: { code: 'vip', name: '贵宾', growthNeeded: 1 },
    });
    await pay(openid, 100); // crosses 100 growth: vip from now on
    expect((await me()).tier).toMatchObject({ code: 'vip', name: '贵宾', growth: 100, next: null });
    await pay(openid, 1_000); // vip earns double
    expect((await me()).balance).toBe(99 + 1 + 20);
    expect((await admin('GET', '/api/admin/tiers')).body.tiers[1]).toMatchObject({
      multiplier: 2,
      benefits: ['双倍积分'],
    });
  });
});
