/**
 * Every staff and HQ route, read from /openapi.json so a new route is
 * covered the day it is added (a route without a fixture here fails the
 * test), tried as each kind of caller who must not use it: nobody, a member,
 * and a cashier of another store. Each is refused (401, or 403 for a valid
 * credential without the right) and nothing is written. The fixtures aim at
 * one store's real things (an order paid there, a voucher only it accepts, a
 * pay code its till scanned), so a cashier of another store is refused by
 * the scope check itself (403), not by a 400 or a 404 on a bad fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import { adjust, call, login } from '../support/http.js';
import { postAlipay } from '../support/notify.js';
import { ALIPAY_APPID, paymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';
import { ROLE_MATRIX } from '../../cloudfunctions/core/http/role-matrix.js';

let t: TestApp;
/** POSTs that compute an answer and change nothing. */
const READ_ONLY_POSTS = [
  'POST /api/admin/rules/dry-run',
  'POST /api/admin/batches/preview',
  'POST /api/admin/ledger/verify',
];
const HOME = 'INV1';
const AWAY = 'INV2';
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};
let fixtures: Record<string, { body?: unknown; query?: string }> = {};

const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const ok = <T extends { status: number; body: unknown }>(r: T, what: string): T => {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r;
};

beforeAll(async () => {
  const keys = await paymentKeys();
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, WECHATPAY_MCHID: _m, ...env } = keys.env; // sandbox, real Alipay keys
  t = await testApp({
    ...env,
    JIFEN_REVIEW_THRESHOLD: '600',
    JIFEN_PAYER_LINK_CLAIMS: '1',
    JIFEN_WEBHOOK_ALLOW_PRIVATE: 'on',
  });
  for (const id of [HOME, AWAY])
    ok(await admin('POST', '/api/admin/stores', { id, name: id, region: '华东' }), 'store');
  for (const [who, store, role] of [
    ['homeCashier', HOME, 'cashier'],
    ['homeManager', HOME, 'manager'],
    ['awayCashier', AWAY, 'cashier'],
    ['awayManager', AWAY, 'manager'],
  ] as const) {
    const r = ok(await admin('POST', '/api/admin/staff', { name: who, storeId: store, role }), 'staff');
    tokens[who] = r.body.token;
    ids[who] = r.body.id;
  }
  const m = await login(t.fetch, 'inventory-member');
  tokens.member = m.token;
  ids.memberId = m.memberId;
  ok(await adjust(t.fetch, m.memberId, 5000, 'inventory-fund'), 'fund');

  // A voucher only the home store accepts, and one waiting for review.
  const onlyHome = ok(
    await admin('POST', '/api/admin/rewards', {
      name: '本店券',
      kind: 'gift',
      pointsCost: 10,
      stock: null,
      spec: { storeIds: [HOME] },
    }),
    'reward',
  );
  ids.rewardId = onlyHome.body.id;
  const redeem = (rewardId: string, requestId: string) =>
    call(t.fetch, 'POST', '/api/member/redeem', { token: m.token, body: { rewardId, requestId } });
  ids.voucherCode = ok(await redeem(onlyHome.body.id, 'inv-1'), 'redeem').body.voucher.code;
  const costly = ok(
    await admin('POST', '/api/admin/rewards', { name: '大奖', kind: 'gift', pointsCost: 700, stock: 1 }),
    'reward',
  );
  ids.reviewVoucherId = ok(await redeem(costly.body.id, 'inv-2'), 'review').body.voucher.id;

  // A pay code the home till scanned, and a points payment it captured.
  const code = (points: number) =>
    call(t.fetch, 'POST', '/api/member/pay-codes', { token: m.token, body: { points } }).then(
      (r) => ok(r, 'code').body,
    );
  ids.scannedCode = (await code(100)).code;
  ok(
    await call(t.fetch, 'POST', '/api/staff/checkout/scan', {
      token: tokens.homeCashier,
      body: { code: ids.scannedCode },
    }),
    'scan',
  );
  const captured = await code(100);
  ok(
    await call(t.fetch, 'POST', '/api/staff/checkout/capture', {
      token: tokens.homeCashier,
      body: { code: captured.code, orderNo: 'INV-CAP', amountFen: 100_000 },
    }),
    'capture',
  );

  // An order paid at the home store, its ticket claimed (which links the buyer at once here), and a contested link.
  const pay = (outTradeNo: string) =>
    postAlipay(
      t.fetch,
      alipayForm(
        alipayTradeParams({
          appId: ALIPAY_APPID,
          buyerId: '2088000000009999',
          totalAmount: '20.00',
          outTradeNo,
          passback: JSON.stringify({ store: HOME }),
        }),
        keys.alipayPrivateKeyPem,
      ),
    );
  const ticketFor = async (outTradeNo: string) =>
    ok(
      await call(t.fetch, 'POST', '/api/staff/claims', {
        token: tokens.homeCashier,
        body: { channel: 'alipay', outTradeNo },
      }),
      'ticket',
    ).body.ticket as string;
  ids.paidOrder = 'INV-ORDER-1';
  await pay(ids.paidOrder);
  ids.ticket = await ticketFor(ids.paidOrder);
  ok(await call(t.fetch, 'POST', '/api/member/claim', { token: m.token, body: { ticket: ids.ticket } }), 'claim');
  ids.linkId = (await admin('GET', `/api/admin/members/${m.memberId}/payer-links`)).body.items[0].id;
  const leaving = await login(t.fetch, 'inventory-leaving');
  ids.requestId = ok(
    await call(t.fetch, 'POST', '/api/member/deletion-request', { token: leaving.token }),
    'deletion request',
  ).body.id;
  const other = await login(t.fetch, 'inventory-other');
  await pay('INV-ORDER-2');
  ok(
    await call(t.fetch, 'POST', '/api/member/claim', {
      token: other.token,
      body: { ticket: await ticketFor('INV-ORDER-2') },
    }),
    'contest',
  );
  ids.alertId = String((await admin('GET', '/api/admin/alerts')).body.items[0].id);
  ids.ruleId = ok(
    await admin('POST', '/api/admin/rules', { name: 'inv', then: { multiplier: 2 }, when: { weekdays: [6] } }),
    'rule',
  ).body.id;

  // Console operators of each role, the managers and cashiers working for the home store.
  for (const [who, role] of [
    ['opHq', 'hq'],
    ['opManager', 'manager'],
    ['opCashier', 'cashier'],
    ['opSpare', 'cashier'],
  ] as const) {
    const made = ok(
      await admin('POST', '/api/admin/operators', {
        username: who.toLowerCase(),
        password: 'inventory-pass-1',
        role,
        storeIds: role === 'hq' ? undefined : [HOME],
      }),
      'operator',
    );
    ids[who] = made.body.id;
    const session = await call(t.fetch, 'POST', '/api/console/login', {
      body: { username: who.toLowerCase(), password: 'inventory-pass-1' },
    });
    tokens[who] = ok(session, 'sign in').body.token;
  }
  ids.spareOperator = ids.opSpare!;
  ids.webhookId = ok(
    await admin('POST', '/api/admin/webhooks', { url: 'http://127.0.0.1:9/inventory', events: ['voucher.used'] }),
    'webhook',
  ).body.id;
  ids.entryId = ok(
    await admin('POST', '/api/admin/blacklist', { openid: 'o-inventory', reason: 'x' }),
    'entry',
  ).body.id;
  ids.keyId = ok(await admin('POST', '/api/admin/integrations', { name: 'inventory POS' }), 'key').body.keyId;
  const batch = await t.fetch('/api/admin/batches', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
      'content-type': 'text/csv',
      'idempotency-key': 'inv-batch',
    },
    body: `member,points,reason\n${m.memberId},1,inventory`,
  });
  expect(batch.status).toBe(202);
  ids.batchId = ((await batch.json()) as { id: string }).id;

  fixtures = {
    'POST /api/admin/members/{memberId}/adjust': { body: { points: 5, reason: 'x', idempotencyKey: 'inv-x' } },
    'GET /api/admin/members/{memberId}': {},
    'GET /api/admin/members': { query: `?q=${m.memberId}` },
    'GET /api/admin/members/{memberId}/history': {},
    'GET /api/admin/operators': {},
    'GET /api/console/me': {},
    'GET /api/admin/audit': {},
    // No body: the CSV routes take text/csv, and a caller without the right is refused before the body matters.
    'POST /api/admin/batches': {},
    'POST /api/admin/batches/preview': {},
    'GET /api/admin/batches': {},
    'GET /api/admin/batches/{batchId}': {},
    'POST /api/admin/batches/{batchId}/rollback': {},
    'GET /api/admin/reports/daily': { query: '?from=2026-12-01&to=2026-12-03&groupBy=store' },
    'POST /api/admin/operators': { body: { username: 'inv-new', password: 'inventory-pass-1', role: 'hq' } },
    'PATCH /api/admin/operators/{operatorId}': { body: { status: 'disabled' } },
    'POST /api/admin/members/{memberId}/freeze': { body: { reason: 'x' } },
    'POST /api/admin/members/{memberId}/unfreeze': { body: { reason: 'x' } },
    'GET /api/admin/members/{memberId}/payer-links': {},
    'GET /api/admin/ledger/verify': {},
    'GET /api/admin/metrics': {},
    'POST /api/admin/outbox/dispatch': {},
    'POST /api/admin/holds/sweep': {},
    'POST /api/admin/members': { body: { phone: '13900000001', points: 10, reason: 'x' } },
    'POST /api/admin/stores': { body: { id: 'INV9', name: 'x', region: 'y' } },
    'GET /api/admin/stores': {},
    'GET /api/admin/staff': {},
    'POST /api/admin/integrations': { body: { name: 'inv-erp' } },
    'GET /api/admin/integrations': {},
    'GET /api/admin/risk': {},
    'POST /api/admin/webhooks': { body: { url: 'https://erp.example.com/jifen', events: ['tier.changed'] } },
    'GET /api/admin/webhooks': {},
    'POST /api/admin/webhooks/{webhookId}/revoke': {},
    'GET /api/admin/webhooks/{webhookId}/deliveries': {},
    'GET /api/admin/deletion-requests': {},
    'GET /api/admin/reconciliation': {},
    'POST /api/admin/reconciliation/runs': { body: { channel: 'alipay', date: '2026-11-30' } },
    'POST /api/admin/reconciliation/orders': { body: { channel: 'alipay', tradeNo: '2026113099' } },
    'POST /api/admin/deletion-requests/{requestId}/complete': {},
    'GET /api/admin/blacklist': {},
    'POST /api/admin/blacklist': { body: { openid: 'o-inventory-listed', reason: 'x' } },
    'DELETE /api/admin/blacklist/{entryId}': {},
    'PUT /api/admin/risk': {
      body: {
        accrualBurst: { count: 5, minutes: 10 },
        nearReview: { count: 3, hours: 24, ratio: 0.9 },
        tillBurst: { count: 20, minutes: 1 },
      },
    },
    'POST /api/admin/integrations/{keyId}/revoke': {},
    'POST /api/admin/staff': { body: { name: 'x', storeId: HOME, role: 'manager' } },
    'DELETE /api/admin/staff/{staffId}': {},
    'POST /api/admin/rewards': { body: { name: 'x', kind: 'gift', pointsCost: 1, stock: null } },
    'GET /api/admin/rewards': {},
    'PATCH /api/admin/rewards/{rewardId}': { body: { pointsCost: 1 } },
    'GET /api/admin/redemptions/review': {},
    'POST /api/admin/redemptions/{voucherId}/approve': {},
    'POST /api/admin/redemptions/{voucherId}/reject': {},
    'DELETE /api/admin/payer-links/{linkId}': {},
    'GET /api/admin/alerts': {},
    'POST /api/admin/alerts/{alertId}/resolve': { body: {} },
    'POST /api/admin/rules': { body: { name: 'x', then: { bonus: 1 } } },
    'GET /api/admin/rules': {},
    'PATCH /api/admin/rules/{ruleId}': { body: { priority: 3 } },
    'POST /api/admin/rules/{ruleId}/publish': {},
    'POST /api/admin/rules/{ruleId}/approve': {},
    'POST /api/admin/rules/{ruleId}/archive': {},
    'GET /api/admin/rules/{ruleId}/versions': {},
    'POST /api/admin/rules/dry-run': { body: { orders: [{ channel: 'wechatpay', paidFen: 1000 }] } },
    'GET /api/admin/rules/templates': {},
    'GET /api/admin/holidays': {},
    'PUT /api/admin/holidays': { body: { dates: ['2026-10-01'] } },
    'GET /api/admin/tiers': {},
    'GET /api/admin/expiry': {},
    'GET /api/admin/bonuses': {},
    'PUT /api/admin/bonuses': { body: { signup: 5 } },
    'PUT /api/admin/expiry': { body: { mode: 'rolling', days: 365 } },
    'PUT /api/admin/tiers': { body: { tiers: [{ code: 'bronze', name: '铜卡', minGrowth: 0 }] } },
    'GET /api/staff/me': {},
    'POST /api/staff/claims': { body: { channel: 'alipay', outTradeNo: ids.paidOrder } },
    'GET /api/staff/claims/{ticket}/wxacode': {},
    'POST /api/staff/vouchers/verify': { body: { code: ids.voucherCode } },
    'POST /api/staff/checkout/scan': { body: { code: ids.scannedCode } },
    'POST /api/staff/checkout/capture': { body: { code: ids.scannedCode, orderNo: 'INV-X', amountFen: 100_000 } },
    'POST /api/staff/checkout/void': { body: { code: ids.scannedCode } },
    'POST /api/staff/checkout/refund': { body: { orderNo: 'INV-CAP' } },
  };
});
afterAll(() => t?.close());

const PARAMS: Record<string, () => string> = {
  memberId: () => ids.memberId!,
  staffId: () => ids.homeCashier!,
  rewardId: () => ids.rewardId!,
  voucherId: () => ids.reviewVoucherId!,
  linkId: () => ids.linkId!,
  alertId: () => ids.alertId!,
  ruleId: () => ids.ruleId!,
  ticket: () => ids.ticket!,
  operatorId: () => ids.spareOperator!,
  batchId: () => ids.batchId!,
  keyId: () => ids.keyId!,
  entryId: () => ids.entryId!,
  webhookId: () => ids.webhookId!,
  requestId: () => ids.requestId!,
};

/** The concrete request for a route: its {params} filled, its fixture's query appended. */
const pathOf = (route: string) => {
  const template = route.split(' ')[1]!;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(PARAMS[name]!()));
  return path + (fixtures[route]?.query ?? '');
};

/** What staff of another store may do: read who they are. Everything else is another store's. */
const AWAY_ALLOWED = new Set(['GET /api/staff/me']);
/** Staff routes a cashier of the store itself may not use: reversing a points payment is a manager's. */
const MANAGER_ONLY = new Set(['POST /api/staff/checkout/refund']);

describe('every staff and HQ route, as callers who must not use it', () => {
  it('refuses nobody with 401, a member with 403, staff of another store with 403, and writes nothing', async () => {
    const doc = (await (await t.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => /^\/api\/(staff|admin)\//.test(path) || path === '/api/console/me')
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.length).toBeGreaterThan(25);
    expect(
      routes.filter((r) => !(r in fixtures)),
      'routes with no fixture here',
    ).toEqual([]);

    const before = await t.store.counts();
    const wrong: string[] = [];
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string];
      const path = pathOf(route);
      const body = fixtures[route]!.body;
      for (const [caller, token, want] of [
        ['nobody', undefined, 401],
        ['a member', tokens.member, 403],
        ['a cashier of another store', tokens.awayCashier, AWAY_ALLOWED.has(route) ? 200 : 403],
        // A manager may refund, but only their own store's points payments: another store's order is not
        // found under theirs (404, the same answer as an order that does not exist).
        [
          'a manager of another store',
          tokens.awayManager,
          AWAY_ALLOWED.has(route) ? 200 : MANAGER_ONLY.has(route) ? 404 : 403,
        ],
        // The store's own cashier: refused wherever the role (not the store) is what is missing.
        ...(template.startsWith('/api/admin/') || MANAGER_ONLY.has(route)
          ? ([['a cashier of this store', tokens.homeCashier, 403]] as const)
          : []),
      ] as const) {
        const r = await call(t.fetch, method, path, { token, body });
        if (r.status !== want) wrong.push(`${route} as ${caller}: ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await t.store.counts()).toEqual(before);
  });

  it('the fixtures are real: the home store (or HQ) gets past the same checks', async () => {
    const home = (route: string, token: string) =>
      call(t.fetch, route.split(' ')[0]!, pathOf(route), { token, body: fixtures[route]!.body });
    expect((await home('POST /api/staff/checkout/scan', tokens.homeCashier!)).status).toBe(200);
    expect((await home('POST /api/staff/vouchers/verify', tokens.homeCashier!)).status).toBe(200);
    expect((await home('POST /api/staff/checkout/refund', tokens.homeManager!)).body).toMatchObject({ points: 100 });
    expect((await home('POST /api/staff/checkout/void', tokens.homeCashier!)).body).toMatchObject({
      status: 'released',
    });
    // Past the store check, a sandbox has no WeChat to draw the code with.
    expect((await home('GET /api/staff/claims/{ticket}/wxacode', tokens.homeCashier!)).body.code).toBe(
      'NOT_CONFIGURED',
    );
    expect((await home('POST /api/staff/claims', tokens.homeCashier!)).body.code).toBe('ALREADY_CLAIMED');
    for (const route of Object.keys(fixtures).filter((r) => r.startsWith('GET /api/admin/'))) {
      expect((await home(route, TEST_ADMIN_TOKEN)).status, route).toBe(200);
    }
  });

  it('console roles: each role × each /api/admin/* route is allowed or refused exactly as the README matrix says', async () => {
    const doc = (await (await t.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/admin/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    // The README's matrix, written out here on its own: the server's table (role-matrix.ts) must agree.
    const MANAGER_MAY = new Set([
      'GET /api/admin/members',
      'GET /api/admin/members/{memberId}',
      'GET /api/admin/members/{memberId}/history',
      'GET /api/admin/stores',
      'GET /api/admin/staff',
      'GET /api/admin/reports/daily',
      'GET /api/admin/rewards',
      'GET /api/admin/rules',
      'GET /api/admin/tiers',
    ]);
    const CASHIER_MAY = new Set([
      'GET /api/admin/members',
      'GET /api/admin/members/{memberId}',
      'GET /api/admin/members/{memberId}/history',
    ]);
    expect(
      Object.keys(ROLE_MATRIX)
        .filter((r) => r.includes('/api/admin/'))
        .sort(),
    ).toEqual([...MANAGER_MAY].sort());

    const before = await t.store.counts();
    const wrong: string[] = [];
    for (const route of routes) {
      const method = route.split(' ')[0]!;
      for (const [role, token, may] of [
        ['manager', tokens.opManager, MANAGER_MAY.has(route)],
        ['cashier', tokens.opCashier, CASHIER_MAY.has(route)],
        // HQ may do everything; only its reads run here, so this loop writes nothing.
        ...(method === 'GET' ? ([['hq', tokens.opHq, true]] as const) : []),
      ] as const) {
        const r = await call(t.fetch, method, pathOf(route), { token, body: fixtures[route]!.body });
        const want = may ? 200 : 403;
        if (r.status !== want) wrong.push(`${route} as ${role}: ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await t.store.counts()).toEqual(before);

    // A manager's list of stores is their own; HQ's is every store.
    const stores = (token: string) =>
      call(t.fetch, 'GET', '/api/admin/stores', { token }).then((r) => r.body.items.map((x: { id: string }) => x.id));
    expect(await stores(tokens.opManager!)).toEqual([HOME]);
    expect(await stores(tokens.opHq!)).toEqual(expect.arrayContaining([HOME, AWAY]));
    // So is their list of staff, and no list carries a token or its hash.
    const staff = (token: string) =>
      call(t.fetch, 'GET', '/api/admin/staff', { token }).then((r) => r.body.items as Array<Record<string, unknown>>);
    const theirs = await staff(tokens.opManager!);
    expect(new Set(theirs.map((x) => x.storeId))).toEqual(new Set([HOME]));
    expect(theirs.map((x) => x.name)).toEqual(expect.arrayContaining(['homeCashier', 'homeManager']));
    const all = await staff(tokens.opHq!);
    expect(new Set(all.map((x) => x.storeId))).toEqual(new Set([HOME, AWAY]));
    expect(all.every((x) => !('token' in x) && !('tokenHash' in x))).toBe(true);

    // And an HQ operator's writes get past the matrix (whatever the route then answers).
    // Every one that changes something leaves an audit row saying who did it.
    const blocked: string[] = [];
    const unaudited: string[] = [];
    const done: string[] = [];
    const audits = async () => (await t.store.counts()).audit_log ?? 0;
    for (const route of routes.filter((r) => !r.startsWith('GET '))) {
      const before = await audits();
      const r = await call(t.fetch, route.split(' ')[0]!, pathOf(route), {
        token: tokens.opHq,
        body: fixtures[route]!.body,
      });
      if (r.status === 401 || r.status === 403) blocked.push(`${route}: ${r.status} ${JSON.stringify(r.body)}`);
      if (r.status >= 300) continue;
      done.push(route);
      if (!READ_ONLY_POSTS.includes(route) && (await audits()) === before) unaudited.push(route);
    }
    expect(blocked).toEqual([]);
    expect(unaudited).toEqual([]);
    expect(done.length, 'most writes succeed with these fixtures, so the audit check means something').toBeGreaterThan(
      24,
    );
  });

  it('every member route refuses nobody and a staff token (not a member session), and writes nothing', async () => {
    const doc = (await (await t.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/member/') && path !== '/api/member/login')
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path.replace(/\{\w+\}/g, 'x')] as const));
    expect(routes.length).toBeGreaterThan(15);
    const before = await t.store.counts();
    const wrong: string[] = [];
    for (const [method, path] of routes) {
      for (const [caller, token] of [
        ['nobody', undefined],
        ['a cashier', tokens.homeCashier],
        ['HQ', TEST_ADMIN_TOKEN],
      ] as const) {
        const r = await call(t.fetch, method, path, { token, body: method === 'GET' ? undefined : {} });
        if (r.status !== 401) wrong.push(`${method} ${path} as ${caller}: ${r.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await t.store.counts()).toEqual(before);
  });
});
