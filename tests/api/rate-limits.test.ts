/**
 * Rate limits (DESIGN "Rate limits"): 429 RATE_LIMITED with Retry-After, per
 * address for logins, unauthenticated requests and refused credentials, per
 * member or staff token for the actions a script would hammer; never for
 * payment notifications; configurable; JIFEN_RATE_LIMIT=off turns them off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cloudfunctions/core/config.js';
import { memberCall } from '../../cloudfunctions/core/functions/member-call.js';
import { SANDBOX_WECHAT_APPID, sandboxProviders } from '../../cloudfunctions/local/sandbox-secrets.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { openCall } from '../support/open-client.js';
import { call, login, urlFetcher } from '../support/http.js';
import { postWechat } from '../support/notify.js';
import { MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { startServer, TEST_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

let t: TestApp;
let keys: PaymentKeys;
beforeAll(async () => {
  keys = await paymentKeys();
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, ...env } = keys.env;
  t = await testApp({ ...env, JIFEN_RATE_LIMIT: 'on' });
});
afterAll(() => t.close());

describe('per member and per token', () => {
  it('300 rapid claims of unknown tickets by one member meet 429s with Retry-After; another member is unaffected', async () => {
    const m = await login(t.fetch, 'rl-claimer');
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 300; i++) {
      const r = await call(t.fetch, 'POST', '/api/member/claim', { token: m.token, body: { ticket: `NOPE${i}` } });
      statuses.push(r.status);
      if (r.status === 429) limited ??= r;
    }
    expect(tally(statuses)).toEqual({ 404: 20, 429: 280 });
    expect(limited?.body).toMatchObject({ code: 'RATE_LIMITED', details: { zh: '操作太频繁，请稍后再试' } });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = await login(t.fetch, 'rl-other');
    expect(
      (await call(t.fetch, 'POST', '/api/member/claim', { token: other.token, body: { ticket: 'NOPE' } })).status,
    ).toBe(404);
  });

  it('payment notifications are never limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 80; i++) {
      const paid = transactionResource({
        mchId: MCHID,
        appId: SANDBOX_WECHAT_APPID,
        openid: `rl-payer-${i}`,
        totalFen: 100,
      });
      statuses.push((await postWechat(t.fetch, wechatNotification('TRANSACTION.SUCCESS', paid, keys.wechat))).status);
    }
    expect(tally(statuses)).toEqual({ 204: 80 });
  });

  it("a busy till's pace passes: 60 voucher checks in a row by one cashier are never limited", async () => {
    await call(t.fetch, 'POST', '/api/admin/stores', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'RL1', name: '店', region: '华东' },
    });
    const staff = await call(t.fetch, 'POST', '/api/admin/staff', {
      token: TEST_ADMIN_TOKEN,
      body: { name: '收银', storeId: 'RL1', role: 'cashier' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      statuses.push(
        (
          await call(t.fetch, 'POST', '/api/staff/vouchers/verify', {
            token: staff.body.token,
            body: { code: `NONE${i}` },
          })
        ).status,
      );
    }
    expect(tally(statuses)).toEqual({ 404: 60 });
  });

  it('the member cloud function counts the same actions per member', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jifen-rl-'));
    const { createServices } = await import('../../cloudfunctions/core/wiring.js');
    const { openStore } = await import('../../cloudfunctions/core/store/open-store.js');
    const config = loadConfig(
      {
        DATABASE_URL: `sqlite:${join(dir, 'jifen.db')}`,
        LOG_LEVEL: 'silent',
        JIFEN_RATE_LIMITS: '{"claim":{"points":5,"seconds":60}}',
      },
      sandboxProviders(dir),
    );
    const s = createServices({ config, store: await openStore(config.databaseUrl) });
    try {
      const codes: string[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await memberCall(s, { action: 'claim', data: { ticket: `NOPE${i}` } }, { OPENID: 'o-fn' });
        codes.push(r.ok ? 'ok' : r.error.code);
      }
      expect(codes).toEqual([...Array(5).fill('NOT_FOUND'), ...Array(3).fill('RATE_LIMITED')]);
    } finally {
      await s.store.close();
    }
  });
});

describe('configuration', () => {
  it('JIFEN_RATE_LIMITS overrides a limit and is validated; JIFEN_RATE_LIMIT=off turns all off', () => {
    const base = { DATABASE_URL: 'sqlite::memory:', JIFEN_ADMIN_TOKEN: TEST_ADMIN_TOKEN, JIFEN_SECRET: 'x'.repeat(32) };
    const provide = sandboxProviders(mkdtempSync(join(tmpdir(), 'jifen-rl-cfg-')));
    const cfg = loadConfig({ ...base, JIFEN_RATE_LIMITS: '{"login":{"points":5,"seconds":10}}' }, provide);
    expect(cfg.rateLimits?.login).toEqual({ points: 5, seconds: 10 });
    expect(cfg.rateLimits?.claim).toEqual({ points: 20, seconds: 60 });
    expect(loadConfig({ ...base, JIFEN_RATE_LIMIT: 'off' }, provide).rateLimits).toBeNull();
    expect(() => loadConfig({ ...base, JIFEN_RATE_LIMITS: '{"nope":{"points":1,"seconds":1}}' }, provide)).toThrow(
      /JIFEN_RATE_LIMITS/,
    );
    expect(() => loadConfig({ ...base, JIFEN_RATE_LIMITS: '{"login":{"points":0,"seconds":1}}' }, provide)).toThrow(
      /login/,
    );
  });
});

describe('per address, over a real socket', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jifen-rl-srv-'));
    server = await startServer(`sqlite:${join(dir, 'jifen.db')}`, { JIFEN_RATE_LIMIT: 'on' });
  });
  afterAll(() => server?.stop());

  it("a POS's signed open API calls are credentialed: 350 from one address pass the anonymous limit (300 a minute)", async () => {
    const f = urlFetcher(server.url);
    const key = await call(f, 'POST', '/api/admin/integrations', {
      token: TEST_ADMIN_TOKEN,
      body: { name: 'busy POS' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 350; i++) {
      statuses.push((await openCall(f, key.body, 'GET', '/open/v1/members?phone=13800009999')).status);
    }
    expect(tally(statuses)).toEqual({ 200: 350 });
  });

  it('300 rapid logins from one address meet 429s with Retry-After', async () => {
    const f = urlFetcher(server.url);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 300; i++) {
      const r = await call(f, 'POST', '/api/member/login', { body: { code: i % 2 ? '' : `bot-${i}` } });
      statuses.push(r.status);
      if (r.status === 429) retryAfter ??= r.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 429).length).toBe(240);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('guessing tokens: after 30 refused credentials the address waits, whatever it sends next', async () => {
    const f = urlFetcher(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await call(f, 'GET', '/api/admin/metrics', { token: `guess-${i}-xxxxxxxxxxxx` })).status);
    expect(tally(statuses)).toEqual({ 401: 30, 429: 10 });
    expect((await call(f, 'GET', '/api/admin/metrics', { token: TEST_ADMIN_TOKEN })).status).toBe(429);
  });
});
