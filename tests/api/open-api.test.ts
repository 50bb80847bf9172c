/**
 * Open API v1 (DESIGN "Open API v1") over the real app and a real SQLite
 * file, signed as docs/open-api.md says. Must show: a bad signature, a stale
 * timestamp, a reused nonce (also after a restart), an unknown key and a
 * replayed idempotency key each get the right answer, and nothing is
 * doubled or written; a store-limited key cannot act on another store.
 * Also: orders earn through the rules with their line items, refunds take
 * back in proportion and never more than was paid, concurrent copies of
 * one order credit once, and the ledger verifies at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor } from '../../cloudfunctions/core/http/app.js';
import { createServices } from '../../cloudfunctions/core/wiring.js';
import { call, login, type Fetcher } from '../support/http.js';
import { newNonce, openCall, type OpenKey } from '../support/open-client.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let all: OpenKey;
let s1: OpenKey;
const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const PHONE = '13912345678';

/** Row counts but the nonces table: a refused request must write nothing else. */
const written = async () => {
  const { nonces: _n, ...rest } = await t.store.counts();
  return rest;
};

beforeAll(async () => {
  t = await testApp();
  for (const id of ['S1', 'S2'])
    expect((await admin('POST', '/api/admin/stores', { id, name: id, region: '华东' })).status).toBe(201);
  const key = async (body: unknown) => {
    const r = await admin('POST', '/api/admin/integrations', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { keyId: r.body.keyId as string, secret: r.body.secret as string };
  };
  all = await key({ name: 'ERP 总部' });
  s1 = await key({ name: '徐汇店 POS', storeIds: ['S1'] });
  // Tobacco earns nothing (a category exclusion): the order's line items reach the rules.
  const rule = await admin('POST', '/api/admin/rules', {
    name: '烟草不积分',
    when: { categories: ['tobacco'] },
    then: { exclude: true },
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  expect((await admin('POST', `/api/admin/rules/${rule.body.id}/publish`)).status).toBe(200);
});
afterAll(() => t.close());

const order = (k: OpenKey, body: Record<string, unknown>, o = {}) =>
  openCall(t.fetch, k, 'POST', '/open/v1/orders', body, o);
const ORDER = {
  orderNo: 'POS-0001',
  storeId: 'S1',
  member: { phone: PHONE },
  paidFen: 10_000,
  items: [
    { sku: 'T-1', category: 'tea', quantity: 2, amountFen: 6_000 },
    { sku: 'C-9', category: 'tobacco', quantity: 1, amountFen: 4_000 },
  ],
};

describe('orders', () => {
  it('earn through the rules, a new phone becomes a member, and a replay answers the same without a second credit', async () => {
    const first = await order(s1, ORDER);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ points: 60, balance: 60, memberId: expect.any(String) });
    const before = await written();
    const again = await order(s1, ORDER);
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(again.body).toEqual(first.body);
    expect(await written()).toEqual(before);
    // The same order number with another amount is a mistake, not a new order.
    const changed = await order(s1, { ...ORDER, paidFen: 20_000 });
    expect([changed.status, changed.body.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
    expect(await written()).toEqual(before);

    const found = await openCall(t.fetch, all, 'GET', `/open/v1/members?phone=${PHONE}`);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({ id: first.body.memberId, balance: 60, phone: '139****5678' });
    expect(JSON.stringify(found.body)).not.toContain(PHONE);
  });

  it('credit once when eight copies of one order race', async () => {
    const body = { ...ORDER, orderNo: 'POS-RACE', items: undefined };
    const answers = await Promise.all(Array.from({ length: 8 }, () => order(all, { ...body, storeId: 'S2' })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.body.points))).toEqual(new Set([100]));
    const history = await openCall(t.fetch, all, 'GET', `/open/v1/members/${answers[0]!.body.memberId}/history`);
    expect(history.body.items.filter((i: { kind: string }) => i.kind === 'earn')).toHaveLength(2);
  });
});

describe('refunds', () => {
  it('take back in proportion, once per refund number, and never more than was paid', async () => {
    const refund = (k: OpenKey, refundNo: string, amountFen: number) =>
      openCall(t.fetch, k, 'POST', '/open/v1/orders/POS-0001/refunds', { refundNo, amountFen });
    const half = await refund(s1, 'R-1', 5_000);
    expect(half.status, JSON.stringify(half.body)).toBe(200);
    expect(half.body).toMatchObject({ refundedFen: 5_000, points: 30 });
    const before = await written();
    const replay = await refund(s1, 'R-1', 5_000);
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.refundedFen]).toEqual([
      200,
      'true',
      5_000,
    ]);
    const tooMuch = await refund(s1, 'R-2', 5_001);
    expect([tooMuch.status, tooMuch.body.code]).toEqual([409, 'REFUND_EXCEEDS_ORDER']);
    // Another key's order of the same number is not this one.
    expect((await refund(all, 'R-3', 100)).status).toBe(404);
    expect(await written()).toEqual(before);
    const rest = await refund(s1, 'R-2', 5_000);
    expect(rest.body).toMatchObject({ refundedFen: 10_000, points: 30 });
  });
});

describe('the signature', () => {
  const refusals: Array<[string, () => Promise<{ status: number; body: { code: string } }>, number, string]> = [
    [
      'a forged signature',
      () => order(s1, { ...ORDER, orderNo: 'X-1' }, { secret: 'jfk_not-the-secret' }),
      401,
      'SIGNATURE_INVALID',
    ],
    [
      'a body changed after signing',
      () => order(s1, { ...ORDER, orderNo: 'X-2' }, { tamper: (b: string) => b.replace('10000', '99900') }),
      401,
      'SIGNATURE_INVALID',
    ],
    [
      'an unknown key',
      () => order({ keyId: 'ak_nobody', secret: s1.secret }, { ...ORDER, orderNo: 'X-3' }),
      401,
      'SIGNATURE_INVALID',
    ],
    [
      'a timestamp 301 s old',
      () => order(s1, { ...ORDER, orderNo: 'X-4' }, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      401,
      'TIMESTAMP_OUT_OF_WINDOW',
    ],
    [
      'a timestamp 301 s ahead',
      () => order(s1, { ...ORDER, orderNo: 'X-5' }, { timestamp: Math.floor(Date.now() / 1000) + 301 }),
      401,
      'TIMESTAMP_OUT_OF_WINDOW',
    ],
    ['no signature at all', () => call(t.fetch, 'POST', '/open/v1/orders', { body: ORDER }), 401, 'SIGNATURE_INVALID'],
    ['a short nonce', () => order(s1, { ...ORDER, orderNo: 'X-6' }, { nonce: 'short' }), 400, 'VALIDATION_FAILED'],
    [
      'an order at another store (a key limited to S1)',
      () => order(s1, { ...ORDER, orderNo: 'X-7', storeId: 'S2' }),
      403,
      'FORBIDDEN',
    ],
    [
      'an order paid tomorrow',
      () => order(all, { ...ORDER, orderNo: 'X-9', paidAt: new Date(Date.now() + 86_400_000).toISOString() }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an order at HQ (a key limited to S1)',
      () => order(s1, { ...ORDER, orderNo: 'X-8', storeId: 'HQ' }),
      403,
      'FORBIDDEN',
    ],
  ];
  for (const [what, send, status, code] of refusals) {
    it(`refuses ${what} (${status} ${code}) and writes nothing`, async () => {
      const before = await t.store.counts();
      const r = await send();
      expect([r.status, r.body.code], JSON.stringify(r.body)).toEqual([status, code]);
      const after = await t.store.counts();
      // Only a correctly signed request records its nonce (the checks of what it asks come after the signature).
      expect({ ...after, nonces: 0 }).toEqual({ ...before, nonces: 0 });
      if (status === 401 || (code === 'VALIDATION_FAILED' && what === 'a short nonce'))
        expect(after.nonces).toBe(before.nonces);
    });
  }

  it('guards every /open/v1 route in /openapi.json: unsigned or with any bearer token (HQ, member, cashier), 401 and nothing written', async () => {
    const doc = (await (await t.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/open/v1/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path.replace(/\{\w+\}/g, 'x')] as const));
    expect(routes.length).toBe(5);
    // Bearer tokens of every kind are not signatures: HQ's, a member's, another store's cashier's.
    const memberToken = (await login(t.fetch, 'open-guard-member')).token;
    const staffToken = (await admin('POST', '/api/admin/staff', { name: '邻店收银', storeId: 'S2', role: 'cashier' }))
      .body.token as string;
    const before = await t.store.counts();
    for (const [method, path] of routes) {
      for (const token of [undefined, TEST_ADMIN_TOKEN, memberToken, staffToken]) {
        const r = await call(t.fetch, method, path, { token, body: method === 'GET' ? undefined : {} });
        expect([r.status, r.body.code], `${method} ${path}`).toEqual([401, 'SIGNATURE_INVALID']);
      }
    }
    expect(await t.store.counts()).toEqual(before);
    expect(doc.paths['/open/v1/orders']!.post).toMatchObject({ security: [{ openSignature: [] }] });
  });

  it('refuses a nonce used before, also by a server restarted since', async () => {
    const nonce = newNonce();
    const path = `/open/v1/members?phone=${PHONE}`;
    expect((await openCall(t.fetch, all, 'GET', path, undefined, { nonce })).status).toBe(200);
    const again = await openCall(t.fetch, all, 'GET', path, undefined, { nonce });
    expect([again.status, again.body.code]).toEqual([401, 'NONCE_REUSED']);
    // A new process over the same database: the nonce is in the database, not in memory.
    const restarted = appFor(createServices({ config: t.config, store: t.store }));
    const fresh: Fetcher = async (p, init) => restarted.request(`http://localhost${p}`, init);
    const after = await openCall(fresh, all, 'GET', path, undefined, { nonce });
    expect([after.status, after.body.code]).toEqual([401, 'NONCE_REUSED']);
    // The same nonce under another key is that key's own.
    expect((await openCall(fresh, s1, 'GET', path, undefined, { nonce })).status).toBe(200);
  });

  it('stops a revoked key at once', async () => {
    const made = await admin('POST', '/api/admin/integrations', { name: '临时' });
    const temp = { keyId: made.body.keyId, secret: made.body.secret };
    expect((await openCall(t.fetch, temp, 'GET', `/open/v1/members?phone=${PHONE}`)).status).toBe(200);
    expect((await admin('POST', `/api/admin/integrations/${temp.keyId}/revoke`)).body.status).toBe('revoked');
    const r = await openCall(t.fetch, temp, 'GET', `/open/v1/members?phone=${PHONE}`);
    expect([r.status, r.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    const listed = (await admin('GET', '/api/admin/integrations')).body.items;
    expect(listed.find((k: { keyId: string }) => k.keyId === temp.keyId).status).toBe('revoked');
    expect(JSON.stringify(listed)).not.toContain(temp.secret);
  });
});

describe('adjustments', () => {
  it('once per idempotency key, attributed to the key’s store, audited as the key', async () => {
    const memberId = (await openCall(t.fetch, all, 'GET', `/open/v1/members?phone=${PHONE}`)).body.items[0].id;
    const adjust = (k: OpenKey, body: unknown) =>
      openCall(t.fetch, k, 'POST', `/open/v1/members/${memberId}/adjust`, body);
    const body = { points: 15, reason: '门店补偿', idempotencyKey: 'adj-1' };
    const first = await adjust(s1, body);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await adjust(s1, body);
    expect([again.headers.get('idempotent-replayed'), again.body.event.id]).toEqual(['true', first.body.event.id]);
    expect((await adjust(s1, { ...body, storeId: 'S2' })).status).toBe(403);
    const audit = await admin('GET', `/api/admin/audit?actor=open:${s1.keyId}`);
    expect(audit.body.items.map((i: { action: string }) => i.action)).toContain('member.adjust');
    const events = await openCall(t.fetch, all, 'GET', `/open/v1/members/${memberId}/history?limit=1`);
    expect(events.body.items[0]).toMatchObject({ kind: 'adjust', delta: 15 });
  });

  it('leaves a ledger that verifies', async () => {
    const r = await admin('GET', '/api/admin/ledger/verify');
    expect(r.body.ok, JSON.stringify(r.body)).toBe(true);
  });
});
