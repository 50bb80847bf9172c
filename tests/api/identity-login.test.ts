/**
 * POST /api/member/login in real mode: the wx.login code goes to WeChat
 * (jscode2session on the fake server) and only the openid WeChat answers with
 * decides the member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_APPID, FAKE_SECRET, type Failure } from '../support/fake-wechat.js';
import { identityEnv, LOGIN_PATH, openid, type IdentityEnv } from './identity-fixture.js';

let env: IdentityEnv;
beforeAll(async () => {
  env = await identityEnv();
});
afterAll(() => env.close());

const login = (body: unknown) => env.api('POST', '/api/member/login', { body });
const stored = (id: string) => env.t.store.transaction((tx) => tx.findMemberByOpenid(id));

describe('login with a code WeChat knows', () => {
  it('answers 200 with a working token and the new member', async () => {
    const o = openid('new');
    const r = await login({ code: env.loginCode(o) });
    expect(r.status).toBe(200);
    expect(r.body.token).toEqual(expect.any(String));
    expect(r.body.member).toMatchObject({ id: expect.any(String), balance: 0, phone: null, status: 'active' });
    expect((await stored(o))?.id).toBe(r.body.member.id);
    const me = await env.api('GET', '/api/member/me', { token: r.body.token });
    expect(me).toMatchObject({ status: 200, body: { id: r.body.member.id } });
  });

  it('sends jscode2session the appid, secret, js_code and grant_type', async () => {
    const code = env.loginCode(openid('wire'));
    env.fake.clearRequests();
    expect((await login({ code })).status).toBe(200);
    const sent = env.fake.requestsTo(LOGIN_PATH);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', body: null });
    expect(sent[0]!.query).toEqual({
      appid: FAKE_APPID,
      secret: FAKE_SECRET,
      js_code: code,
      grant_type: 'authorization_code',
    });
  });

  it('finds the same member for the same openid with another code', async () => {
    const o = openid('again');
    const first = await env.loginAs(o);
    const second = await env.loginAs(o);
    expect(second.memberId).toBe(first.memberId);
    const me = await env.api('GET', '/api/member/me', { token: second.token });
    expect(me.body.id).toBe(first.memberId);
  });

  it('stores the unionid when WeChat sends one, null otherwise', async () => {
    const withUnion = openid('union');
    const without = openid('nounion');
    await env.loginAs(withUnion, 'u-union-1');
    await env.loginAs(without);
    expect(await stored(withUnion)).toMatchObject({ openid: withUnion, unionid: 'u-union-1' });
    expect(await stored(without)).toMatchObject({ openid: without, unionid: null });
  });

  it('stores a unionid WeChat reveals only at a later login, and never changes it after', async () => {
    const later = openid('later-union');
    const first = await env.loginAs(later);
    expect(await stored(later)).toMatchObject({ unionid: null });
    const second = await env.loginAs(later, 'u-later-1');
    expect(second.memberId).toBe(first.memberId);
    expect(await stored(later)).toMatchObject({ unionid: 'u-later-1' });
    await env.loginAs(later, 'u-other');
    expect(await stored(later)).toMatchObject({ unionid: 'u-later-1' });
  });
});

describe('the client cannot choose the member', () => {
  it('gives two codes mapped to two openids two members', async () => {
    const a = await env.loginAs(openid('a'));
    const b = await env.loginAs(openid('b'));
    expect(a.memberId).not.toBe(b.memberId);
    const meA = await env.api('GET', '/api/member/me', { token: a.token });
    expect(meA.body.id).toBe(a.memberId);
  });

  it('refuses an existing openid sent as the code (that is sandbox only)', async () => {
    const victim = await env.loginAs(openid('victim'));
    const before = await env.t.store.counts();
    const r = await login({ code: victim.openid });
    expect(r).toMatchObject({ status: 401, body: { code: 'LOGIN_CODE_INVALID' } });
    expect(JSON.stringify(r.body)).not.toContain(victim.memberId);
    expect(await env.t.store.counts()).toEqual(before);
  });

  it('ignores an openid or member id added to the body', async () => {
    const victim = await env.loginAs(openid('victim2'));
    const mine = openid('mine');
    const r = await login({ code: env.loginCode(mine), openid: victim.openid, memberId: victim.memberId });
    expect(r.status).toBe(200);
    expect(r.body.member.id).not.toBe(victim.memberId);
    expect((await stored(mine))?.id).toBe(r.body.member.id);
  });
});

describe('login codes WeChat refuses', () => {
  it('answers 401 LOGIN_CODE_INVALID to an unknown code and writes nothing', async () => {
    const before = await env.t.store.counts();
    const r = await login({ code: 'never-issued-by-wechat' });
    expect(r).toMatchObject({ status: 401, body: { code: 'LOGIN_CODE_INVALID' } });
    expect(r.body.token).toBeUndefined();
    expect(await env.t.store.counts()).toEqual(before);
  });

  it('answers 401 LOGIN_CODE_INVALID to a code already used', async () => {
    const o = openid('used');
    const code = env.loginCode(o);
    const first = await login({ code });
    expect(first.status).toBe(200);
    const before = await env.t.store.counts();
    const again = await login({ code });
    expect(again).toMatchObject({ status: 401, body: { code: 'LOGIN_CODE_INVALID' } });
    expect(await env.t.store.counts()).toEqual(before);
  });

  it('answers 403 LOGIN_BLOCKED to a login WeChat flags as high-risk, creating no member', async () => {
    const o = openid('blocked');
    env.fake.addLoginCode('blocked-code', { openid: o, blocked: true });
    const r = await login({ code: 'blocked-code' });
    expect(r).toMatchObject({ status: 403, body: { code: 'LOGIN_BLOCKED' } });
    expect(await stored(o)).toBeNull();
  });
});

describe('WeChat down', () => {
  it.each<[string, Failure]>([
    ['HTTP 500', { status: 500 }],
    ['HTTP 503', { status: 503 }],
    ['errcode -1 (busy)', { errcode: -1 }],
  ])('%s: answers 502 and writes nothing; the same code works once WeChat is back', async (_n, failure) => {
    const o = openid('down');
    const code = env.loginCode(o);
    env.fake.failNext(1, failure, LOGIN_PATH);
    const before = await env.t.store.counts();
    const r = await login({ code });
    expect(r.status).toBe(502);
    expect(r.body.code).toBe('WECHAT_UNAVAILABLE');
    expect(r.body.token).toBeUndefined();
    expect(await env.t.store.counts()).toEqual(before);
    expect(await stored(o)).toBeNull();
    const retry = await login({ code });
    expect(retry.status).toBe(200);
    expect((await stored(o))?.id).toBe(retry.body.member.id);
  });
});
