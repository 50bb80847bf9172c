/** The checkout can show a real mini-program code for a claim ticket (scene = ticket). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_APPID, FAKE_SECRET, startFakeWechat, type FakeWechat } from '../support/fake-wechat.js';
import { call } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let fake: FakeWechat;
let t: TestApp;
let sandbox: TestApp;
const admin = (app: TestApp, method: string, path: string, body?: unknown) =>
  call(app.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });

beforeAll(async () => {
  fake = await startFakeWechat();
  t = await testApp({ WECHAT_APPID: FAKE_APPID, WECHAT_SECRET: FAKE_SECRET, WECHAT_API_BASE: fake.url });
  sandbox = await testApp();
});
afterAll(async () => {
  await t.close();
  await sandbox.close();
  await fake.close();
});

describe('GET /api/staff/claims/:ticket/wxacode', () => {
  it('returns the PNG WeChat made for scene = ticket, to the staff of that store only', async () => {
    await admin(t, 'POST', '/api/admin/stores', { id: 'S001', name: '一店', region: '上海' });
    await admin(t, 'POST', '/api/admin/stores', { id: 'S002', name: '二店', region: '上海' });
    const a = (await admin(t, 'POST', '/api/admin/staff', { name: 'a', storeId: 'S001', role: 'cashier' })).body.token;
    const b = (await admin(t, 'POST', '/api/admin/staff', { name: 'b', storeId: 'S002', role: 'cashier' })).body.token;
    const ticket = (
      await call(t.fetch, 'POST', '/api/staff/claims', { token: a, body: { channel: 'wechatpay', outTradeNo: 'O-1' } })
    ).body.ticket as string;
    const res = await t.fetch(`/api/staff/claims/${ticket}/wxacode`, { headers: { authorization: `Bearer ${a}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    const sent = fake.requestsTo('/wxa/getwxacodeunlimit').at(-1)!.body as { scene: string; page: string };
    expect(sent).toMatchObject({ scene: ticket, page: 'pages/claim/index' });
    const other = await call(t.fetch, 'GET', `/api/staff/claims/${ticket}/wxacode`, { token: b });
    expect(other.status).toBe(403);
    expect((await call(t.fetch, 'GET', '/api/staff/claims/ABCDEFGHJKLMNPQR/wxacode', { token: a })).status).toBe(404);
  });

  it('is unavailable in sandbox mode, which talks to nobody', async () => {
    const ticket = (
      await call(sandbox.fetch, 'POST', '/api/staff/claims', {
        token: TEST_ADMIN_TOKEN,
        body: { channel: 'alipay', outTradeNo: 'O-2' },
      })
    ).body.ticket as string;
    const r = await admin(sandbox, 'GET', `/api/staff/claims/${ticket}/wxacode`);
    expect(r).toMatchObject({ status: 503, body: { code: 'NOT_CONFIGURED' } });
  });
});
