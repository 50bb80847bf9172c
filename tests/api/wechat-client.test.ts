import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../cloudfunctions/core/domain/errors.js';
import { createLogger } from '../../cloudfunctions/core/logger.js';
import { createWechat, fit, type Wechat, type WechatOptions } from '../../cloudfunctions/core/wechat/index.js';
import { FAKE_APPID, FAKE_SECRET, sessionKeyOf, startFakeWechat, type FakeWechat } from '../support/fake-wechat.js';

const T0 = Date.UTC(2026, 10, 25, 2, 0); // 10:00 in Shanghai
const MINUTE = 60_000;
const TOKEN = '/cgi-bin/token';
const PHONE_PATH = '/wxa/business/getuserphonenumber';
const SEND = '/cgi-bin/message/subscribe/send';
const PHONE = { phoneNumber: '+86 13800138000', purePhoneNumber: '13800138000', countryCode: '86' };

let clock: { now: number };
let fake: FakeWechat;
let wechat: Wechat;
let logs: string[];

function connect(opts: Partial<WechatOptions> = {}): Wechat {
  const sink = new Writable({ write: (chunk, _enc, done) => done(void logs.push(String(chunk))) });
  const logger = createLogger('info', sink);
  return createWechat({
    appId: FAKE_APPID,
    secret: FAKE_SECRET,
    apiBase: fake.url,
    clock: () => clock.now,
    logger,
    ...opts,
  });
}

beforeEach(async () => {
  clock = { now: T0 };
  logs = [];
  fake = await startFakeWechat(() => clock.now);
  wechat = connect();
});
afterEach(() => fake.close());

/** The DomainError `p` rejects with. */
async function failure(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

const send = (touser = 'o-1', templateId = 'tpl-1') =>
  wechat.sendSubscribeMessage({ touser, templateId, data: { thing1: '到账' } });
const tokensUsed = (path: string) => fake.requestsTo(path).map((r) => r.query.access_token);

describe('code2session', () => {
  it('exchanges a login code for openid, session key and unionid, with the real query', async () => {
    fake.addLoginCode('c1', { openid: 'o-alice', unionid: 'u-alice' });
    expect(await wechat.code2session('c1')).toEqual({
      openid: 'o-alice',
      sessionKey: sessionKeyOf('c1'),
      unionid: 'u-alice',
    });
    expect(fake.requests).toEqual([
      {
        method: 'GET',
        path: '/sns/jscode2session',
        query: { appid: FAKE_APPID, secret: FAKE_SECRET, js_code: 'c1', grant_type: 'authorization_code' },
        body: null,
      },
    ]);
  });

  it('gives unionid null when WeChat sends none', async () => {
    fake.addLoginCode('c2', { openid: 'o-bob' });
    expect((await wechat.code2session('c2')).unionid).toBeNull();
  });

  it('answers 401 LOGIN_CODE_INVALID to an unknown code (40029) and a used one (40163)', async () => {
    fake.addLoginCode('once', { openid: 'o-carol' });
    await wechat.code2session('once');
    for (const code of ['never-issued', 'once']) {
      expect(await failure(wechat.code2session(code))).toMatchObject({
        status: 401,
        code: 'LOGIN_CODE_INVALID',
        message: 'The login code is invalid or already used; call wx.login again.',
      });
    }
  });

  it('answers 403 LOGIN_BLOCKED to a high-risk user (40226)', async () => {
    fake.addLoginCode('risky', { openid: 'o-risky', blocked: true });
    expect(await failure(wechat.code2session('risky'))).toMatchObject({ status: 403, code: 'LOGIN_BLOCKED' });
  });
});

describe('access token', () => {
  beforeEach(() => fake.grantSubscribe('o-1', 'tpl-1', 100));

  it('fetches one token and reuses it until 5 minutes before it expires', async () => {
    await send();
    clock.now += 2 * 60 * MINUTE - 5 * MINUTE - 1;
    await send();
    expect(fake.requestsTo(TOKEN)).toHaveLength(1);
    clock.now += 1;
    await send();
    expect(fake.requestsTo(TOKEN).map((r) => r.query)).toEqual([
      { grant_type: 'client_credential', appid: FAKE_APPID, secret: FAKE_SECRET },
      { grant_type: 'client_credential', appid: FAKE_APPID, secret: FAKE_SECRET },
    ]);
    expect(tokensUsed(SEND)).toEqual(['token-1', 'token-1', 'token-2']);
  });

  it.each([40001, 42001, 40014])('refreshes and retries once on errcode %i', async (errcode) => {
    await send();
    fake.failNext(1, { errcode }, SEND);
    expect(await send()).toBe('sent');
    expect(tokensUsed(SEND)).toEqual(['token-1', 'token-1', 'token-2']);
    expect(fake.creditsLeft('o-1', 'tpl-1')).toBe(98);
  });

  it('retries only once: a second invalid-token answer is an error', async () => {
    fake.failNext(2, { errcode: 40001 }, SEND);
    const e = await failure(send());
    expect(e).toMatchObject({ status: 502, code: 'WECHAT_ERROR', details: { errcode: 40001 } });
    expect(tokensUsed(SEND)).toEqual(['token-1', 'token-2']);
  });

  it('20 concurrent callers while the token is expired make exactly one /cgi-bin/token request', async () => {
    await send();
    clock.now += 3 * 60 * MINUTE;
    fake.clearRequests();
    const codes = Array.from({ length: 20 }, (_, i) => `p${i}`);
    for (const code of codes) fake.addPhoneCode(code, PHONE);
    const phones = await Promise.all(codes.map((code) => wechat.phoneNumber(code)));
    expect(phones).toEqual(codes.map(() => PHONE));
    expect(fake.requestsTo(TOKEN)).toHaveLength(1);
    expect(tokensUsed(PHONE_PATH)).toEqual(codes.map(() => 'token-2'));
  });

  it.each([
    ['revoked (40001)', (f: FakeWechat) => f.revokeToken()],
    ['expired early (42001)', (f: FakeWechat) => f.expireToken()],
  ])('20 concurrent callers holding a token WeChat %s share one refresh', async (_name, spoil) => {
    await send();
    spoil(fake);
    fake.clearRequests();
    const results = await Promise.all(Array.from({ length: 20 }, () => send()));
    expect(results).toEqual(Array(20).fill('sent'));
    expect(fake.requestsTo(TOKEN)).toHaveLength(1);
    // each caller tried token-1 once, then token-2; arrival order at the server varies
    expect(tokensUsed(SEND).sort()).toEqual([...Array(20).fill('token-1'), ...Array(20).fill('token-2')]);
  });

  it('a failed refresh fails its waiting callers; the next call fetches again', async () => {
    fake.failNext(1, { status: 500 }, TOKEN);
    const settled = await Promise.allSettled([send(), send(), send()]);
    expect(settled.map((s) => (s.status === 'rejected' ? s.reason.code : s.value))).toEqual(
      Array(3).fill('WECHAT_UNAVAILABLE'),
    );
    expect(fake.requestsTo(TOKEN)).toHaveLength(1);
    expect(await send()).toBe('sent');
    expect(fake.requestsTo(TOKEN)).toHaveLength(2);
  });

  it('names the setting to check when WeChat refuses the secret (40125)', async () => {
    wechat = connect({ secret: 'not-the-secret' });
    expect(await failure(send())).toMatchObject({
      status: 502,
      code: 'WECHAT_CONFIG_INVALID',
      message: /WECHAT_SECRET/,
    });
  });
});

describe('failures every call shares', () => {
  it.each([
    ['system busy (-1)', 502, 'WECHAT_UNAVAILABLE', { errcode: -1 }],
    ['HTTP 500', 502, 'WECHAT_UNAVAILABLE', { status: 500 }],
    ['rate limit 45009', 429, 'WECHAT_RATE_LIMITED', { errcode: 45009 }],
    ['rate limit 45011', 429, 'WECHAT_RATE_LIMITED', { errcode: 45011 }],
    ['an errcode no caller knows (40013)', 502, 'WECHAT_ERROR', { errcode: 40013 }],
  ])('maps %s to %i %s', async (_name, status, code, scripted) => {
    fake.addLoginCode('c', { openid: 'o-x' });
    fake.failNext(1, scripted);
    expect(await failure(wechat.code2session('c'))).toMatchObject({ status, code });
    expect(await wechat.code2session('c')).toMatchObject({ openid: 'o-x' }); // the failure was only the scripted one
  });

  it("never passes WeChat's errmsg on to whoever sees the error; the log keeps it for the operator", async () => {
    fake.addLoginCode('c', { openid: 'o-x' });
    fake.failNext(1, { errcode: 40013 });
    const e = await failure(wechat.code2session('c'));
    expect(
      JSON.stringify({ message: (e as Error).message, details: (e as { details?: unknown }).details }),
    ).not.toMatch(/scripted|rid/);
    expect(logs.join('')).toContain('"errmsg":"scripted rid: fake-40013"');
  });

  it('maps a timeout to 502 WECHAT_UNAVAILABLE', async () => {
    wechat = connect({ timeoutMs: 100 });
    fake.addLoginCode('slow', { openid: 'o-slow' });
    fake.failNext(1, { delayMs: 10_000 });
    expect(await failure(wechat.code2session('slow'))).toMatchObject({ status: 502, code: 'WECHAT_UNAVAILABLE' });
    expect(logs.join('')).toContain('"reason":"timeout"');
  });

  it('maps an unreachable server to 502 WECHAT_UNAVAILABLE', async () => {
    const gone = await startFakeWechat();
    await gone.close();
    wechat = connect({ apiBase: gone.url });
    expect(await failure(wechat.code2session('c'))).toMatchObject({ status: 502, code: 'WECHAT_UNAVAILABLE' });
    expect(logs.join('')).toContain('"reason":"network"');
  });

  it('logs the path and errcode, never the secret, tokens, codes, session keys or phone numbers', async () => {
    fake.addLoginCode('login-code-1', { openid: 'o-log' });
    fake.addPhoneCode('phone-code-1', PHONE);
    await wechat.code2session('login-code-1');
    await failure(wechat.code2session('login-code-1'));
    await wechat.phoneNumber('phone-code-1');
    await failure(wechat.phoneNumber('phone-code-1'));
    fake.failNext(1, { errcode: -1 });
    await failure(wechat.phoneNumber('phone-code-1'));
    const text = logs.join('');
    expect(text).toContain('"wechat":"/sns/jscode2session","errcode":40163');
    expect(text).toContain(`"wechat":"${PHONE_PATH}","errcode":40029`);
    expect(text).toContain(`"wechat":"${PHONE_PATH}","errcode":-1`);
    for (const secret of [
      FAKE_SECRET,
      'token-1',
      'login-code-1',
      'phone-code-1',
      sessionKeyOf('login-code-1'),
      '13800138000',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('phoneNumber', () => {
  it('exchanges a phone code with the access token', async () => {
    fake.addPhoneCode('p1', PHONE);
    expect(await wechat.phoneNumber('p1')).toEqual(PHONE); // countryCode arrives as the number 86
    expect(fake.requestsTo(PHONE_PATH)).toEqual([
      { method: 'POST', path: PHONE_PATH, query: { access_token: 'token-1' }, body: { code: 'p1' } },
    ]);
  });

  it('answers 400 PHONE_CODE_INVALID to a used, an expired or an unknown code', async () => {
    for (const code of ['used', 'edge', 'old']) fake.addPhoneCode(code, PHONE);
    await wechat.phoneNumber('used');
    clock.now += 5 * MINUTE - 1;
    expect(await wechat.phoneNumber('edge')).toEqual(PHONE);
    clock.now += 1;
    for (const code of ['used', 'old', 'unknown']) {
      expect(await failure(wechat.phoneNumber(code))).toMatchObject({
        status: 400,
        code: 'PHONE_CODE_INVALID',
        message: 'The phone number code is invalid or expired; tap the button again.',
      });
    }
  });

  it.each([
    [47001, 400, 'PHONE_CODE_INVALID'],
    [1400001, 503, 'PHONE_QUOTA_EXHAUSTED'],
  ])('maps errcode %i to %i %s', async (errcode, status, code) => {
    fake.failNext(1, { errcode }, PHONE_PATH);
    expect(await failure(wechat.phoneNumber('p'))).toMatchObject({ status, code });
  });
});

describe('sendSubscribeMessage', () => {
  it('sends the wire format and spends one credit', async () => {
    fake.grantSubscribe('o-1', 'tpl-1', 2);
    const data = { thing1: fit.thing('兑换成功'), amount2: fit.amount(1280) };
    const message = { touser: 'o-1', templateId: 'tpl-1', page: 'pages/history/index', data };
    expect(await wechat.sendSubscribeMessage(message)).toBe('sent');
    expect(await wechat.sendSubscribeMessage({ ...message, miniprogramState: 'trial' })).toBe('sent');
    const [first, second] = fake.requestsTo(SEND);
    expect(first!.body).toEqual({
      touser: 'o-1',
      template_id: 'tpl-1',
      page: 'pages/history/index',
      data: { thing1: { value: '兑换成功' }, amount2: { value: '¥12.80' } },
      miniprogram_state: 'formal',
      lang: 'zh_CN',
    });
    expect(second!.body.miniprogram_state).toBe('trial');
    expect(fake.creditsLeft('o-1', 'tpl-1')).toBe(0);
  });

  it("returns 'no-credit' (43101) once the member's credits are spent", async () => {
    fake.grantSubscribe('o-1', 'tpl-1', 1);
    expect(await send()).toBe('sent');
    expect(await send()).toBe('no-credit');
    expect(await send('o-1', 'tpl-other')).toBe('no-credit');
  });

  it('answers 400 SUBSCRIBE_REJECTED with the errcode to an unknown openid (40003) or data WeChat refuses (47003)', async () => {
    fake.grantSubscribe('o-1', 'tpl-1', 5);
    expect(await failure(send('o-nobody'))).toMatchObject({
      status: 400,
      code: 'SUBSCRIBE_REJECTED',
      details: { errcode: 40003 },
    });
    const name = '限量版新年礼盒装坚果大礼包一份含八种坚果'.repeat(2);
    const long = (thing1: string) =>
      wechat.sendSubscribeMessage({ touser: 'o-1', templateId: 'tpl-1', data: { thing1 } });
    expect(await failure(long(name))).toMatchObject({ code: 'SUBSCRIBE_REJECTED', details: { errcode: 47003 } });
    expect(await long(fit.thing(name))).toBe('sent');
  });
});

describe('unlimitedCode', () => {
  it('returns the PNG, sending scene, page without its leading slash, check_path and env_version', async () => {
    wechat = connect({ envVersion: 'trial' });
    const png = await wechat.unlimitedCode({ scene: 't=AB12cd', page: '/pages/claim/index', width: 430 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(fake.requestsTo('/wxa/getwxacodeunlimit')).toMatchObject([
      {
        query: { access_token: 'token-1' },
        body: { scene: 't=AB12cd', page: 'pages/claim/index', check_path: false, env_version: 'trial', width: 430 },
      },
    ]);
  });

  it('answers 400 WXACODE_PAGE_INVALID to a page WeChat refuses (41030)', async () => {
    const e = await failure(wechat.unlimitedCode({ scene: 't=1', page: 'pages/claim/index?t=1' }));
    expect(e).toMatchObject({ status: 400, code: 'WXACODE_PAGE_INVALID' });
  });

  it('refuses a bad scene or width before calling WeChat', async () => {
    for (const [scene, width] of [['x'.repeat(33)], [''], ['领取=1'], ['a b'], ['ok', 100]] as const) {
      const e = await failure(wechat.unlimitedCode({ scene, page: 'pages/claim/index', width }));
      expect(e).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(fake.requests).toEqual([]);
  });
});

describe('fit: values for subscribe-message fields', () => {
  it('thing keeps 20 characters and cuts longer text with an ellipsis, Chinese and emoji counting as one', () => {
    const twenty = '一二三四五六七八九十'.repeat(2);
    expect(fit.thing(twenty)).toBe(twenty);
    expect(fit.thing(`${twenty}多`)).toBe(`${twenty.slice(0, 19)}…`);
    expect(fit.thing('a'.repeat(18) + '😀😀😀')).toBe(`${'a'.repeat(18)}😀…`);
    expect(fit.thing('😀'.repeat(20))).toBe('😀'.repeat(20));
    expect(fit.thing(`${'a'.repeat(17)}👨‍👩‍👧`)).toBe(`${'a'.repeat(17)}👨…`);
    expect(fit.thing(' 兑换\n成功 ')).toBe('兑换 成功');
  });

  it('number takes digits . , - up to 32 and refuses anything else', () => {
    expect(fit.number(1234.5)).toBe('1234.5');
    expect(fit.number('-1,000')).toBe('-1,000');
    for (const bad of ['12a', '', '1'.repeat(33), 1e21]) expect(() => fit.number(bad)).toThrow(DomainError);
  });

  it('amount shows integer fen as yuan with two decimals', () => {
    expect([1280, 5, 0, 100_000].map(fit.amount)).toEqual(['¥12.80', '¥0.05', '¥0.00', '¥1000.00']);
    for (const bad of [1.5, -1, 1e10]) expect(() => fit.amount(bad)).toThrow(DomainError);
  });

  it('time is YYYY-MM-DD HH:mm in the given zone, across a DST change', () => {
    expect(fit.time(T0, 'Asia/Shanghai')).toBe('2026-11-25 10:00');
    expect(fit.time(new Date(T0), 'America/New_York')).toBe('2026-11-24 21:00');
    expect(fit.time(Date.UTC(2026, 2, 8, 6, 59), 'America/New_York')).toBe('2026-03-08 01:59');
    expect(fit.time(Date.UTC(2026, 2, 8, 7, 0), 'America/New_York')).toBe('2026-03-08 03:00');
    expect(() => fit.time(T0, 'Mars/Olympus')).toThrow(DomainError);
  });

  it('phrase keeps 5 characters and character_string 32', () => {
    expect(fit.phrase('积分已到账啦')).toBe('积分已到账');
    expect(fit.phrase('已到账')).toBe('已到账');
    expect(fit.characterString('A'.repeat(40))).toBe('A'.repeat(32));
  });
});
