/**
 * Each deployable bundle (dist/functions/<name>/index.js, built here by the
 * real build) loaded with require() and answering a sample event of its
 * trigger type: callFunction with the mini-program caller context (member,
 * staff), an HTTP access event carrying a WeChat Pay notification signed with
 * real RSA + AES-GCM test keys (notify), and a timer event (cron). The store
 * is the one DATABASE_URL names; every check goes through the functions
 * themselves, as a deployment would see them. One file per backend runs it
 * (each file is its own process: a function reads its environment once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { FAKE_APPID, FAKE_SECRET, startFakeWechat, type FakeWechat } from '../support/fake-wechat.js';
import { MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN, TEST_SECRET } from '../support/server-process.js';
import { Sessions } from '../../cloudfunctions/core/services/sessions.js';
import { asMiniProgramUser, buildAndLoad, httpEvent, type Bundles } from './bundles.js';

const T_EARNED = 'tmpl-earned-fn-01';

/** Every function bundle against one database: the functions of one environment meet in it. */
export function bundleSuite(databaseUrl: (dir: string) => string): void {
  let fn: Bundles;
  let keys: PaymentKeys;
  let fake: FakeWechat;
  const saved = { ...process.env };

  beforeAll(async () => {
    // Only Date is faked (the hold-expiry test jumps ahead); timers stay real.
    // It is faked before the bundles start, so their clock is this one.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    keys = await paymentKeys();
    fake = await startFakeWechat();
    Object.assign(process.env, {
      ...keys.env,
      WECHAT_APPID: FAKE_APPID,
      WECHAT_SECRET: FAKE_SECRET,
      WECHAT_API_BASE: fake.url,
      DATABASE_URL: databaseUrl(mkdtempSync(join(tmpdir(), 'jifen-fn-'))),
      JIFEN_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      JIFEN_SECRET: TEST_SECRET,
      JIFEN_SUBSCRIBE_TEMPLATES: JSON.stringify({
        'points.earned': { templateId: T_EARNED, data: { number1: 'points' } },
      }),
      LOG_LEVEL: 'error',
    });
    fn = await buildAndLoad(databaseUrl('x').split(':')[0]!);
  }, 120_000);

  afterAll(async () => {
    vi.useRealTimers();
    fn.remove();
    await fake.close();
    process.env = saved;
  });

  let seq = 0;
  const newOpenid = () => `o-fn-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

  /** A callFunction('member') as that mini-program user. */
  async function asMember(openid: string, action: string, data: unknown = {}) {
    const undo = asMiniProgramUser(openid, FAKE_APPID);
    try {
      return await fn.member({ action, data, userInfo: { appId: FAKE_APPID, openId: openid } }, {});
    } finally {
      undo();
    }
  }
  const meOf = async (openid: string) => (await asMember(openid, 'me')).data;

  /** An HTTP request through the notify function's HTTP access service. */
  async function http(method: string, path: string, body?: unknown, token = TEST_ADMIN_TOKEN) {
    const res = await fn.notify(
      httpEvent(method, path, {
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      }),
    );
    return { status: res.statusCode as number, json: res.body ? JSON.parse(res.body as string) : null };
  }

  const payment = (openid: string, totalFen: number, extra: Partial<Parameters<typeof transactionResource>[0]> = {}) =>
    wechatNotification(
      'TRANSACTION.SUCCESS',
      transactionResource({ mchId: MCHID, appId: FAKE_APPID, openid, totalFen, ...extra }),
      keys.wechat,
    );

  const postPayment = (n: { body: string; headers: Record<string, string> }, base64 = false) =>
    fn.notify(httpEvent('POST', '/notify/wechatpay', { body: n.body, headers: n.headers, base64 }));

  describe('the build', () => {
    it('loads where no SQL driver can be found: the drivers are required only when DATABASE_URL names them', async () => {
      const { cpSync, readFileSync } = await import('node:fs');
      const { createRequire } = await import('node:module');
      const away = mkdtempSync(join(tmpdir(), 'jifen-fn-alone-'));
      for (const b of fn.built) cpSync(b.dir, join(away, b.name), { recursive: true });
      const load = createRequire(join(away, 'x.js'));
      for (const b of fn.built) expect(typeof load(`./${b.name}/index.js`).main).toBe('function');
      expect(() => load.resolve('better-sqlite3')).toThrow();
      expect(readFileSync(join(away, 'member/index.js'), 'utf8')).toContain('require("better-sqlite3")');
      rmSync(away, { recursive: true, force: true });
    });

    it('writes index.js, package.json (no SQL drivers) and config.json for each function; cron has a timer', async () => {
      const { readFileSync } = await import('node:fs');
      expect(fn.built.map((b) => b.name)).toEqual(['member', 'staff', 'notify', 'cron']);
      for (const b of fn.built) {
        const pkg = JSON.parse(readFileSync(join(b.dir, 'package.json'), 'utf8'));
        expect(pkg.main).toBe('index.js');
        expect(Object.keys(pkg.dependencies)).not.toContain('better-sqlite3');
        expect(Object.keys(pkg.dependencies)).not.toContain('pg');
        const config = JSON.parse(readFileSync(join(b.dir, 'config.json'), 'utf8'));
        expect(config.permissions).toBeDefined();
        if (b.name === 'cron')
          expect(config.triggers).toEqual([{ name: 'everyMinute', type: 'timer', config: '0 * * * * * *' }]);
        else expect(config.triggers).toBeUndefined();
      }
    });
  });

  describe('member (callFunction, identity from the injected OPENID)', () => {
    it('answers me and history for the caller WeChat names', async () => {
      const openid = newOpenid();
      const me = await asMember(openid, 'me');
      expect(me).toMatchObject({ ok: true, data: { balance: 0, held: 0 } });
      expect(await asMember(openid, 'history', { limit: 5 })).toEqual({
        ok: true,
        data: { items: [], nextCursor: null },
      });
    });

    it('refuses a call without a WeChat identity, and an openid smuggled in the data', async () => {
      expect(await fn.member({ action: 'me', data: {} }, {})).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED', status: 401 },
      });
      expect(await asMember(newOpenid(), 'me', { openid: 'o-someone-else' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', status: 400 },
      });
    });
  });

  describe('notify (HTTP access service) with a signed WeChat Pay notification', () => {
    it('credits the payer once; the replay is acknowledged and credits nothing more', async () => {
      const openid = newOpenid();
      const n = payment(openid, 8850);
      const first = await postPayment(n);
      expect(first).toMatchObject({ statusCode: 204, body: '', isBase64Encoded: false });
      const replay = await postPayment(n, true); // the gateway may hand the body over base64-encoded
      expect(replay.statusCode).toBe(204);
      expect(await meOf(openid)).toMatchObject({ balance: 88 });
      const history = (await asMember(openid, 'history')).data;
      expect(history.items).toHaveLength(1);
      expect(history.items[0]).toMatchObject({ delta: 88, kind: 'earn' });
    });

    it('keeps non-ASCII bodies byte-exact: a signed body with Chinese text verifies', async () => {
      const openid = newOpenid();
      const r = await postPayment(payment(openid, 1999, { attach: JSON.stringify({ note: '会员积分 测试' }) }));
      expect(r.statusCode).toBe(204);
      expect(await meOf(openid)).toMatchObject({ balance: 19 });
    });

    it('a forged body (one byte changed after signing) is 401 and writes nothing', async () => {
      const openid = newOpenid();
      const n = payment(openid, 5000);
      const forged = { ...n, body: n.body.replace('"event_type"', ' "event_type"') };
      const r = await postPayment(forged);
      expect(r.statusCode).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ code: 'FAIL' });
      expect(await meOf(openid)).toMatchObject({ balance: 0 });
      expect((await asMember(openid, 'history')).data.items).toHaveLength(0);
    });

    it('serves the rest of the app too: healthz, and 404 for unknown paths', async () => {
      expect(await http('GET', '/healthz')).toEqual({ status: 200, json: { ok: true } });
      expect((await http('GET', '/nope')).status).toBe(404);
      expect((await fn.notify({ action: 'me' })).statusCode).toBe(400); // a callFunction is not an HTTP event
    });

    it('holds no live balance stream open (a function answers once): 503 STREAM_UNAVAILABLE; the app polls', async () => {
      const m = (await meOf('o-fn-stream')) as { id: string };
      const { token } = await new Sessions(TEST_SECRET, Date.now).issue(m.id);
      expect(await http('GET', '/api/member/events', undefined, token)).toMatchObject({
        status: 503,
        json: { code: 'STREAM_UNAVAILABLE' },
      });
    });

    it('refuses a callFunction dressed as an HTTP event: it cannot reach the routes', async () => {
      const shaped = httpEvent('GET', '/healthz');
      const undo = asMiniProgramUser(newOpenid(), FAKE_APPID);
      try {
        expect(await fn.notify(shaped)).toMatchObject({ statusCode: 400 });
      } finally {
        undo();
      }
      const web = { environment: JSON.stringify({ TCB_CONTEXT_KEYS: 'TCB_UUID', TCB_UUID: 'web-user-1' }) };
      expect(await fn.notify(shaped, web)).toMatchObject({ statusCode: 400 });
      expect(await fn.notify({ ...shaped, userInfo: { appId: FAKE_APPID, openId: 'o-x' } })).toMatchObject({
        statusCode: 400,
      });
      expect((await fn.notify(shaped)).statusCode).toBe(200);
    });
  });

  describe('staff (callFunction with the staff token in the data)', () => {
    let token: string;
    beforeAll(async () => {
      expect((await http('POST', '/api/admin/stores', { id: 'S901', name: '测试门店', region: '华东' })).status).toBe(
        201,
      );
      const staff = await http('POST', '/api/admin/staff', { name: '收银员', storeId: 'S901', role: 'cashier' });
      token = staff.json.token;
    });

    it('issues a claim ticket for an order', async () => {
      const r = await fn.staff({
        action: 'createClaim',
        token,
        data: { channel: 'wechatpay', outTradeNo: 'S901-0001' },
      });
      expect(r).toMatchObject({ ok: true, data: { ticket: expect.stringMatching(/^[A-Z2-9]{16}$/) } });
      expect((await fn.staff({ action: 'me', token })).data).toMatchObject({ storeId: 'S901' });
    });

    it('captures a member pay code at the till, once per order', async () => {
      const openid = newOpenid();
      await postPayment(payment(openid, 30000)); // 300 points
      const code = (await asMember(openid, 'createPayCode', { points: 200 })).data;
      const capture = { action: 'capture', token, data: { code: code.code, orderNo: 'S901-0002', amountFen: 10000 } };
      const r = await fn.staff(capture);
      expect(r).toMatchObject({ ok: true, data: { orderNo: 'S901-0002', points: 200 } });
      expect(await fn.staff(capture)).toEqual(r); // the replay answers the same, takes nothing more
      expect(await meOf(openid)).toMatchObject({ balance: 100, held: 0 });
    });

    it('refuses a wrong token, a missing token and an unknown action, as { ok: false, error }', async () => {
      expect(await fn.staff({ action: 'createClaim', token: 'nope-nope-nope', data: {} })).toMatchObject({
        ok: false,
        error: { status: 401 },
      });
      expect(await fn.staff({ action: 'void', data: { code: '1' } })).toMatchObject({
        error: { code: 'UNAUTHORIZED' },
      });
      expect(await fn.staff({ action: 'drop-tables', token })).toMatchObject({ error: { code: 'UNKNOWN_ACTION' } });
    });
  });

  describe('cron (timer trigger)', () => {
    const timer = { Type: 'Timer', TriggerName: 'everyMinute', Time: new Date().toISOString() };

    it('sends the subscribe message an accrual queued, once', async () => {
      await fn.cron(timer); // drain whatever earlier tests queued
      const openid = newOpenid();
      fake.addLoginCode('code-cron', { openid });
      fake.grantSubscribe(openid, T_EARNED);
      const { json: session } = await http('POST', '/api/member/login', { code: 'code-cron' }, '');
      expect((await http('POST', '/api/member/subscriptions', { accepted: [T_EARNED] }, session.token)).status).toBe(
        200,
      );
      await postPayment(payment(openid, 1200));
      fake.clearRequests();

      const r = await fn.cron(timer);
      expect(r).toMatchObject({ ok: true, jobs: { outbox: { handled: 1 }, expiry: { handled: 0 } } });
      const sent = fake.requestsTo('/cgi-bin/message/subscribe/send');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body).toMatchObject({
        touser: openid,
        template_id: T_EARNED,
        data: { number1: { value: '12' } },
      });
      expect((await fn.cron(timer)).jobs.outbox.handled).toBe(0);
      expect(fake.requestsTo('/cgi-bin/message/subscribe/send')).toHaveLength(1);
    });

    it('releases a pay-with-points hold once it has expired', async () => {
      const openid = newOpenid();
      await postPayment(payment(openid, 5000));
      const code = (await asMember(openid, 'createPayCode', {})).data;
      expect(await meOf(openid)).toMatchObject({ balance: 50, available: 0, held: 50 });
      expect((await fn.cron(timer)).jobs.expiry.handled).toBe(0); // not yet

      vi.setSystemTime(Date.now() + 10 * 60_000);
      const r = await fn.cron(timer);
      expect(r.jobs.expiry).toMatchObject({ handled: 1 });
      expect(await meOf(openid)).toMatchObject({ balance: 50, available: 50, held: 0 });
      expect((await asMember(openid, 'payCodeStatus', { holdId: code.holdId })).data.status).toBe('released');
    });

    it('runs nothing for a client, even one that sends a timer-shaped event', async () => {
      const forbidden = { ok: false, error: { code: 'FORBIDDEN' } };
      const undo = asMiniProgramUser(newOpenid(), FAKE_APPID);
      try {
        expect(await fn.cron({})).toMatchObject(forbidden);
        expect(await fn.cron(timer)).toMatchObject(forbidden);
      } finally {
        undo();
      }
      // An anonymous web user (the runtime passes its context): refused too.
      const anonymous = {
        environment: JSON.stringify({
          TCB_CONTEXT_KEYS: 'TCB_UUID,TCB_ISANONYMOUS_USER',
          TCB_UUID: 'anon-1',
          TCB_ISANONYMOUS_USER: 'true',
        }),
      };
      expect(await fn.cron(timer, anonymous)).toMatchObject(forbidden);
      // Nobody behind it, but not the timer either: refused.
      expect(await fn.cron({ Type: 'Timer', TriggerName: 'another' })).toMatchObject(forbidden);
      expect(await fn.cron({ jobs: ['outbox'] })).toMatchObject(forbidden);
      expect((await fn.cron(timer)).ok).toBe(true);
    });
  });
}
