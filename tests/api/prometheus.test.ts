/**
 * GET /metrics in the Prometheus format: read with the metrics token, the
 * admin token or an HQ operator, and by nobody else; notifications counted
 * by result (a forged one as refused), request latency labelled by route
 * template (never a member's id), the outbox depth and Node's own figures.
 * The metrics token opens nothing but /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { SANDBOX_WECHAT_APPID } from '../../cloudfunctions/local/sandbox-secrets.js';
import { call, login } from '../support/http.js';
import { postWechat } from '../support/notify.js';
import { MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'prometheus-scrape-token-0123';
let t: TestApp;
let keys: PaymentKeys;
beforeAll(async () => {
  keys = await paymentKeys();
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, ...env } = keys.env;
  t = await testApp({ ...env, JIFEN_METRICS_TOKEN: METRICS_TOKEN });
});
afterAll(() => t.close());

const scrape = async (token?: string) => {
  const res = await t.fetch('/metrics', token ? { headers: { authorization: `Bearer ${token}` } } : undefined);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
/** The value of one sample line, e.g. value(text, 'jifen_outbox_depth'). */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('answers the metrics token, the admin token and an HQ operator; refuses everyone else', async () => {
    await call(t.fetch, 'POST', '/api/admin/stores', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'PM1', name: '店', region: '华东' },
    });
    for (const [username, role] of [
      ['pm-hq', 'hq'],
      ['pm-mgr', 'manager'],
    ] as const) {
      await call(t.fetch, 'POST', '/api/admin/operators', {
        token: TEST_ADMIN_TOKEN,
        body: { username, password: 'plum-blossom-42', role, storeIds: role === 'hq' ? undefined : ['PM1'] },
      });
    }
    const op = async (username: string) =>
      (await call(t.fetch, 'POST', '/api/console/login', { body: { username, password: 'plum-blossom-42' } })).body
        .token as string;
    const member = (await login(t.fetch, 'pm-member')).token;

    for (const token of [METRICS_TOKEN, TEST_ADMIN_TOKEN, await op('pm-hq')]) {
      const r = await scrape(token);
      expect(r.status).toBe(200);
      expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
    }
    for (const token of [undefined, member, await op('pm-mgr'), 'prometheus-scrape-token-0124']) {
      expect((await scrape(token)).status).toBe(401);
    }
    // The scraper's token reads metrics and nothing else.
    expect((await call(t.fetch, 'GET', '/api/admin/metrics', { token: METRICS_TOKEN })).status).toBe(401);
  });

  it('counts notifications by result, labels latency by route template, and shows the outbox and the process', async () => {
    const before = await scrape(METRICS_TOKEN);
    const accrued = 'jifen_notifications_total{channel="wechatpay",result="accrued"}';
    const refused = 'jifen_notifications_total{channel="wechatpay",result="refused:SIGNATURE_INVALID"}';
    const n = wechatNotification(
      'TRANSACTION.SUCCESS',
      transactionResource({ mchId: MCHID, appId: SANDBOX_WECHAT_APPID, openid: 'pm-payer', totalFen: 1_000 }),
      keys.wechat,
    );
    expect((await postWechat(t.fetch, n)).status).toBe(204);
    const forged = { ...n, body: n.body.replace('"id":"', '"id":"X') };
    expect((await postWechat(t.fetch, forged)).status).toBe(401);
    const { memberId } = await login(t.fetch, 'pm-payer');
    expect((await call(t.fetch, 'GET', `/api/admin/members/${memberId}`, { token: TEST_ADMIN_TOKEN })).status).toBe(
      200,
    );

    const after = (await scrape(METRICS_TOKEN)).text;
    expect(value(after, accrued)).toBe((value(before.text, accrued) ?? 0) + 1);
    expect(value(after, refused)).toBe((value(before.text, refused) ?? 0) + 1);
    expect(after).toContain('jifen_refusals_total{channel="wechatpay",code="SIGNATURE_INVALID"}');
    expect(after).toMatch(
      /jifen_http_request_duration_seconds_count\{method="GET",route="\/api\/admin\/members\/\{memberId\}",status="200"\} 1/,
    );
    expect(after).not.toContain(memberId); // no series per member
    expect(value(after, 'jifen_outbox_depth')).toBeGreaterThanOrEqual(0);
    expect(after).toContain('jifen_node_process_resident_memory_bytes');
  });
});
