/**
 * POST /api/member/bind-phone in real mode: the button's code goes to WeChat
 * (getuserphonenumber on the fake server). One phone, one WeChat member; a
 * member imported by phone alone is merged into the member who binds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE_CODE_TTL_MS, type Failure } from '../support/fake-wechat.js';
import { adjust } from '../support/http.js';
import { identityEnv, openid, PHONE_PATH, type IdentityEnv } from './identity-fixture.js';

let env: IdentityEnv;
beforeAll(async () => {
  env = await identityEnv();
});
afterAll(() => env.close());

let n = 0;
/** A fresh mainland number masked as 138****1234. */
const phone = () => `138${String(++n).padStart(4, '0')}1234`;
const me = async (token: string) => (await env.api('GET', '/api/member/me', { token })).body;
const bindCode = (token: string, code: string) => env.api('POST', '/api/member/bind-phone', { token, body: { code } });
const verify = async () => (await env.admin('GET', '/api/admin/ledger/verify')).body;

describe('binding a phone', () => {
  it('answers the masked phone, shows it on /me, and asks WeChat with the code and an access token', async () => {
    const m = await env.loginAs(openid('happy'));
    const code = env.phoneCode(phone());
    env.fake.clearRequests();
    const r = await bindCode(m.token, code);
    expect(r).toMatchObject({ status: 200, body: { phone: '138****1234', merged: 0, balance: 0 } });
    expect((await me(m.token)).phone).toBe('138****1234');
    const sent = env.fake.requestsTo(PHONE_PATH);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', body: { code } });
    expect(sent[0]!.query.access_token).toBe(env.fake.currentToken);
  });

  it('is idempotent for the same member and phone', async () => {
    const m = await env.loginAs(openid('same'));
    await adjust(env.t.fetch, m.memberId, 40, `same-${m.memberId}`);
    const p = phone();
    const first = await env.bind(m.token, p);
    expect(first.body).toEqual({ phone: '138****1234', merged: 0, balance: 40 });
    const before = await env.t.store.counts();
    const again = await env.bind(m.token, p);
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(await env.t.store.counts()).toEqual(before);
  });
});

describe('phone codes WeChat refuses', () => {
  const refused = async (token: string, code: string) => {
    const before = await env.t.store.counts();
    const r = await bindCode(token, code);
    expect(r).toMatchObject({ status: 400, body: { code: 'PHONE_CODE_INVALID' } });
    expect(await env.t.store.counts()).toEqual(before);
    expect((await me(token)).phone).toBeNull();
  };

  it('refuses a used code with 400 PHONE_CODE_INVALID and writes nothing', async () => {
    const first = await env.loginAs(openid('used1'));
    const second = await env.loginAs(openid('used2'));
    const code = env.phoneCode(phone());
    expect((await bindCode(first.token, code)).status).toBe(200);
    await refused(second.token, code);
  });

  it('refuses a code older than 5 minutes and an unknown code', async () => {
    const m = await env.loginAs(openid('expired'));
    const code = env.phoneCode(phone());
    env.fakeClock.offset = PHONE_CODE_TTL_MS + 1000;
    try {
      await refused(m.token, code);
    } finally {
      env.fakeClock.offset = 0;
    }
    await refused(m.token, 'never-issued-phone-code');
  });

  it.each<[string, Failure]>([
    ['HTTP 500', { status: 500 }],
    ['errcode -1', { errcode: -1 }],
  ])('answers 502 when WeChat is down (%s) and writes nothing', async (_n, failure) => {
    const m = await env.loginAs(openid('down'));
    env.fake.failNext(1, failure, PHONE_PATH);
    const before = await env.t.store.counts();
    const r = await env.bind(m.token, phone());
    expect(r).toMatchObject({ status: 502, body: { code: 'WECHAT_UNAVAILABLE' } });
    expect(await env.t.store.counts()).toEqual(before);
    expect((await me(m.token)).phone).toBeNull();
  });
});

describe('one phone, one WeChat member', () => {
  it('refuses a phone bound by another member with 409 PHONE_TAKEN, changing nothing', async () => {
    const holder = await env.loginAs(openid('holder'));
    const other = await env.loginAs(openid('other'));
    await adjust(env.t.fetch, other.memberId, 25, `other-${other.memberId}`);
    const p = phone();
    expect((await env.bind(holder.token, p)).status).toBe(200);
    const before = await env.t.store.counts();
    const r = await env.bind(other.token, p);
    expect(r).toMatchObject({ status: 409, body: { code: 'PHONE_TAKEN' } });
    expect(await env.t.store.counts()).toEqual(before);
    expect(await me(other.token)).toMatchObject({ phone: null, balance: 25 });
    expect((await me(holder.token)).phone).toBe('138****1234');
  });

  it('lets exactly one of two members binding one phone at once win', async () => {
    const a = await env.loginAs(openid('raceA'));
    const b = await env.loginAs(openid('raceB'));
    const p = phone();
    const [ra, rb] = await Promise.all([env.bind(a.token, p), env.bind(b.token, p)]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    expect([ra, rb].find((r) => r.status === 409)!.body.code).toBe('PHONE_TAKEN');
    const phones = [(await me(a.token)).phone, (await me(b.token)).phone];
    expect(phones.filter((x) => x !== null)).toEqual(['138****1234']);
    expect(ra.status === 200 ? phones[0] : phones[1]).toBe('138****1234');
  });
});

describe('a member imported by phone', () => {
  const importPhone = (p: string, points = 300) =>
    env.admin('POST', '/api/admin/members', { phone: p, points, reason: '门店会员导入' });

  it('is merged into the member who binds that phone: points moved once, ledger verifies', async () => {
    const p = phone();
    const imported = await importPhone(p);
    expect(imported).toMatchObject({ status: 201, body: { phone: '138****1234', balance: 300 } });
    const importedId = imported.body.memberId;
    const m = await env.loginAs(openid('merge'));
    await adjust(env.t.fetch, m.memberId, 50, `merge-${m.memberId}`);

    const r = await env.bind(m.token, p);
    expect(r).toMatchObject({ status: 200, body: { phone: '138****1234', merged: 300, balance: 350 } });
    expect(await me(m.token)).toMatchObject({ balance: 350, phone: '138****1234' });
    const history = await env.api('GET', '/api/member/history', { token: m.token });
    expect(history.body.items[0]).toMatchObject({ kind: 'adjust', delta: 300, balanceAfter: 350 });
    const old = await env.admin('GET', `/api/admin/members/${importedId}`);
    expect(old).toMatchObject({ status: 200, body: { balance: 0, phone: null } });

    const again = await env.bind(m.token, p);
    expect(again.body).toEqual({ phone: '138****1234', merged: 0, balance: 350 });
    // The phone now belongs to the WeChat member: a second import of it is still refused.
    expect((await importPhone(p)).body.code).toBe('PHONE_TAKEN');
    expect(await verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('merges into exactly one of two members binding it at once', async () => {
    const p = phone();
    const importedId = (await importPhone(p, 120)).body.memberId;
    const a = await env.loginAs(openid('mergeA'));
    const b = await env.loginAs(openid('mergeB'));
    const results = await Promise.all([env.bind(a.token, p), env.bind(b.token, p)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 200)!.body.merged).toBe(120);
    const balances = [(await me(a.token)).balance, (await me(b.token)).balance].sort((x, y) => x - y);
    expect(balances).toEqual([0, 120]);
    expect((await env.admin('GET', `/api/admin/members/${importedId}`)).body.balance).toBe(0);
    expect(await verify()).toMatchObject({ ok: true, problems: [] });
  });
});
