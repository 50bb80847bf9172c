import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../cloudfunctions/core/config.js';
import { sandboxProviders } from '../../cloudfunctions/local/sandbox-secrets.js';
import { call } from '../support/http.js';
import { testApp } from '../support/test-app.js';

describe('GET /healthz', () => {
  it('is ok while the store answers and 503 once it does not', async () => {
    const t = await testApp();
    expect(await call(t.fetch, 'GET', '/healthz')).toMatchObject({ status: 200, body: { ok: true } });
    await t.close();
    const down = await call(t.fetch, 'GET', '/healthz');
    expect(down.status).toBe(503);
    expect(down.body.code).toBe('STORE_UNAVAILABLE');
  });
});

describe('GET /openapi.json', () => {
  it('documents every route with its schemas', async () => {
    const t = await testApp();
    const r = await call(t.fetch, 'GET', '/openapi.json');
    await t.close();
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.paths).sort()).toEqual([
      '/api/admin/alerts',
      '/api/admin/alerts/{alertId}/resolve',
      '/api/admin/audit',
      '/api/admin/batches',
      '/api/admin/batches/preview',
      '/api/admin/batches/{batchId}',
      '/api/admin/batches/{batchId}/rollback',
      '/api/admin/blacklist',
      '/api/admin/blacklist/{entryId}',
      '/api/admin/bonuses',
      '/api/admin/deletion-requests',
      '/api/admin/deletion-requests/{requestId}/complete',
      '/api/admin/expiry',
      '/api/admin/holds/sweep',
      '/api/admin/holidays',
      '/api/admin/integrations',
      '/api/admin/integrations/{keyId}/revoke',
      '/api/admin/ledger/verify',
      '/api/admin/members',
      '/api/admin/members/{memberId}',
      '/api/admin/members/{memberId}/adjust',
      '/api/admin/members/{memberId}/freeze',
      '/api/admin/members/{memberId}/history',
      '/api/admin/members/{memberId}/payer-links',
      '/api/admin/members/{memberId}/unfreeze',
      '/api/admin/metrics',
      '/api/admin/operators',
      '/api/admin/operators/{operatorId}',
      '/api/admin/outbox/dispatch',
      '/api/admin/payer-links/{linkId}',
      '/api/admin/reconciliation',
      '/api/admin/reconciliation/orders',
      '/api/admin/reconciliation/runs',
      '/api/admin/redemptions/review',
      '/api/admin/redemptions/{voucherId}/approve',
      '/api/admin/redemptions/{voucherId}/reject',
      '/api/admin/reports/daily',
      '/api/admin/rewards',
      '/api/admin/rewards/{rewardId}',
      '/api/admin/risk',
      '/api/admin/rules',
      '/api/admin/rules/dry-run',
      '/api/admin/rules/templates',
      '/api/admin/rules/{ruleId}',
      '/api/admin/rules/{ruleId}/approve',
      '/api/admin/rules/{ruleId}/archive',
      '/api/admin/rules/{ruleId}/publish',
      '/api/admin/rules/{ruleId}/versions',
      '/api/admin/staff',
      '/api/admin/staff/{staffId}',
      '/api/admin/stores',
      '/api/admin/tiers',
      '/api/admin/webhooks',
      '/api/admin/webhooks/{webhookId}/deliveries',
      '/api/admin/webhooks/{webhookId}/revoke',
      '/api/console/login',
      '/api/console/me',
      '/api/member/bind-phone',
      '/api/member/check-in',
      '/api/member/claim',
      '/api/member/data-export',
      '/api/member/deletion-request',
      '/api/member/earning',
      '/api/member/events',
      '/api/member/history',
      '/api/member/login',
      '/api/member/me',
      '/api/member/pay-codes',
      '/api/member/pay-codes/{holdId}',
      '/api/member/pay-codes/{holdId}/refresh',
      '/api/member/pay-codes/{holdId}/void',
      '/api/member/payer-links',
      '/api/member/payer-links/{linkId}',
      '/api/member/profile',
      '/api/member/redeem',
      '/api/member/referral',
      '/api/member/subscriptions',
      '/api/member/tier',
      '/api/member/vouchers',
      '/api/member/vouchers/{voucherId}',
      '/api/member/vouchers/{voucherId}/cancel',
      '/api/rewards',
      '/api/staff/checkout/capture',
      '/api/staff/checkout/refund',
      '/api/staff/checkout/scan',
      '/api/staff/checkout/void',
      '/api/staff/claims',
      '/api/staff/claims/{ticket}/wxacode',
      '/api/staff/me',
      '/api/staff/vouchers/verify',
      '/healthz',
      '/metrics',
      '/notify/alipay',
      '/notify/wechatpay',
      '/open/v1/members',
      '/open/v1/members/{memberId}/adjust',
      '/open/v1/members/{memberId}/history',
      '/open/v1/orders',
      '/open/v1/orders/{orderNo}/refunds',
    ]);
    const adjust = r.body.paths['/api/admin/members/{memberId}/adjust'].post;
    expect(Object.keys(adjust.requestBody.content['application/json'].schema.properties)).toEqual([
      'points',
      'reason',
      'idempotencyKey',
    ]);
    expect(r.body.components.schemas.Error.properties.code.type).toBe('string');
  });
});

describe('unknown routes', () => {
  it('answer 404 in the error shape', async () => {
    const t = await testApp();
    const r = await call(t.fetch, 'GET', '/api/nope');
    await t.close();
    expect(r).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });
});

describe('configuration', () => {
  const sandbox = sandboxProviders(mkdtempSync(join(tmpdir(), 'jifen-config-')));

  it('outside sandbox refuses to start without the admin token and secret, naming them', () => {
    expect(() => loadConfig({ WECHAT_APPID: 'wx123', WECHAT_SECRET: 's' })).toThrow(/JIFEN_ADMIN_TOKEN is required/);
    expect(() => loadConfig({ WECHAT_APPID: 'wx123', WECHAT_SECRET: 's', JIFEN_ADMIN_TOKEN: 'a'.repeat(20) })).toThrow(
      /JIFEN_SECRET is required/,
    );
  });

  it('is sandbox exactly when WECHAT_APPID is unset, with generated secrets', () => {
    const c = loadConfig({}, sandbox);
    expect(c).toMatchObject({ sandbox: true, timeZone: 'Asia/Shanghai', port: 3000 });
    expect(c.adminToken).toMatch(/^sandbox-admin-/);
    expect(c.wechatpay?.keys.size).toBe(1);
    expect(c.alipay?.appId).toBe('2021000000000000');
    // Generated once, then kept: a second load sees the same secrets.
    expect(loadConfig({}, sandbox).adminToken).toBe(c.adminToken);
    expect(c.databaseUrl).toBe('sqlite:data/jifen.db');
  });

  it('names a bad time zone or port', () => {
    expect(() => loadConfig({ JIFEN_TIMEZONE: 'Mars/Base' }, sandbox)).toThrow(/JIFEN_TIMEZONE/);
    expect(() => loadConfig({ PORT: 'eighty' }, sandbox)).toThrow(/PORT/);
  });
});

describe('security headers', () => {
  it('API answers (errors too) say nosniff, no framing, and a policy that loads nothing', async () => {
    const t = await testApp();
    try {
      for (const [method, path] of [
        ['GET', '/healthz'],
        ['GET', '/openapi.json'],
        ['GET', '/api/member/me'],
        ['POST', '/api/member/login'],
        ['GET', '/api/nope'],
      ] as const) {
        const r = await call(t.fetch, method, path, method === 'POST' ? { body: { code: 'h' } } : {});
        expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(r.headers.get('x-frame-options'), path).toBe('DENY');
        expect(r.headers.get('content-security-policy'), path).toBe(
          "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        );
      }
    } finally {
      await t.close();
    }
  });
});
