/**
 * The mini-program's callFunction entry: identity from the injected OPENID
 * only. Nothing in the data can choose another member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cloudfunctions/core/config.js';
import { memberCall } from '../../cloudfunctions/core/functions/member-call.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { createServices } from '../../cloudfunctions/core/wiring.js';
import { sandboxProviders } from '../../cloudfunctions/local/sandbox-secrets.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key } from '../support/ledger-fixture.js';
import type { Services } from '../../cloudfunctions/core/http/context.js';

let s: Services;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jifen-call-'));
  const config = loadConfig(
    {
      DATABASE_URL: `sqlite:${join(dir, 'jifen.db')}`,
      LOG_LEVEL: 'silent',
      JIFEN_SUBSCRIBE_TEMPLATES: JSON.stringify({
        'points.earned': { templateId: 'tmpl-earned', data: { number1: 'points' } },
      }),
    },
    sandboxProviders(dir),
  );
  s = createServices({ config, store: await openStore(config.databaseUrl) });
});
afterAll(() => s.store.close());

const call = (openid: string | undefined, action: string, data?: unknown) =>
  memberCall(s, { action, data }, { OPENID: openid });

describe('member callFunction', () => {
  it('answers for the member WeChat injected, created on first call', async () => {
    const r = await call('o-alice', 'me');
    expect(r.ok).toBe(true);
    const alice = (r as { data: { id: string; balance: number } }).data;
    await s.ledger.credit({
      key: key('call-grant'),
      memberId: alice.id,
      points: 42,
      kind: 'adjust',
      counterparty: 'adjusted',
    });
    expect(await call('o-alice', 'me')).toMatchObject({ ok: true, data: { id: alice.id, balance: 42 } });
    const history = await call('o-alice', 'history', { limit: 5 });
    expect(history).toMatchObject({ ok: true, data: { items: [{ kind: 'adjust', delta: 42 }], nextCursor: null } });
  });

  it('refuses data that tries to name a member or an openid', async () => {
    const bob = await call('o-bob', 'me');
    const bobId = (bob as { data: { id: string } }).data.id;
    for (const data of [{ memberId: bobId }, { openid: 'o-bob' }]) {
      const r = await call('o-mallory', 'me', data);
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', status: 400 } });
    }
    const r = await call('o-mallory', 'history', { limit: 5, memberId: bobId });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('without an injected OPENID it is 401, an unknown action 404, bad data 400', async () => {
    expect(await call(undefined, 'me')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', status: 401 } });
    expect(await call('o-x', 'transfer')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION', status: 404 } });
    expect(await call('o-x', 'claim', { ticket: '' })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await call('o-x', 'claim', { ticket: 'NOSUCHTICKET2345' })).toMatchObject({
      ok: false,
      error: { status: 404 },
    });
  });

  it('reads subscribe templates and records accepted ones; an unknown id buys nothing', async () => {
    expect(await call('o-sub', 'subscriptions', {})).toEqual({
      ok: true,
      data: { templates: [{ topic: 'points.earned', templateId: 'tmpl-earned' }], credits: {} },
    });
    const bad = await call('o-sub', 'reportSubscriptions', { accepted: ['tmpl-earned', 'made-up'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', status: 400 } });
    const good = await call('o-sub', 'reportSubscriptions', { accepted: ['tmpl-earned', 'tmpl-earned'] });
    expect(good).toMatchObject({ ok: true, data: { credits: { 'tmpl-earned': 1 } } });
  });

  it('binds a phone the same way the HTTP route does (sandbox: the code is the number)', async () => {
    const r = await call('o-phone', 'bindPhone', { code: '13900001111' });
    expect(r).toMatchObject({ ok: true, data: { phone: '139****1111', merged: 0, balance: 0 } });
    const taken = await call('o-phone-2', 'bindPhone', { code: '13900001111' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'PHONE_TAKEN', status: 409 } });
  });

  it("exports the member's data and takes a deletion request, for the member WeChat injected only", async () => {
    expect(await call('o-phone', 'deletionRequest')).toEqual({ ok: true, data: { request: null } });
    const exported = await call('o-phone', 'dataExport');
    expect(exported).toMatchObject({
      ok: true,
      data: { member: { openid: 'o-phone', phone: '13900001111' }, consents: [{ purpose: 'phone' }] },
    });
    const asked = await call('o-phone', 'requestDeletion');
    expect(asked).toMatchObject({ ok: true, data: { status: 'pending' } });
    expect(await call('o-phone', 'deletionRequest')).toEqual({
      ok: true,
      data: { request: (asked as { data: unknown }).data },
    });
    expect(await call('o-phone', 'dataExport', { memberId: 'm_other' })).toMatchObject({
      ok: false,
      error: { status: 400 },
    });
  });

  it('spends the same way as HTTP: rewards, redeem (replayed), vouchers, pay codes', async () => {
    const me = (await call('o-spender', 'me')) as { data: { id: string } };
    await s.ledger.credit({
      key: key('spender'),
      memberId: me.data.id,
      points: 500,
      kind: 'adjust',
      counterparty: 'adjusted',
    });
    const reward = await s.catalog.create('hq', { name: '咖啡', kind: 'gift', pointsCost: 100, stock: null });
    expect(await call('o-spender', 'rewards')).toMatchObject({
      ok: true,
      data: { items: [{ id: reward.id, name: '咖啡' }] },
    });
    const first = await call('o-spender', 'redeem', { rewardId: reward.id, requestId: 'tap-1' });
    const again = await call('o-spender', 'redeem', { rewardId: reward.id, requestId: 'tap-1' });
    expect(first).toMatchObject({ ok: true, data: { voucher: { status: 'issued', points: 100 }, balance: 400 } });
    expect((again as { data: unknown }).data).toEqual((first as { data: unknown }).data);
    expect(await call('o-spender', 'vouchers')).toMatchObject({ ok: true, data: { items: [{ rewardId: reward.id }] } });
    const code = (await call('o-spender', 'createPayCode', { points: 50 })) as {
      data: { holdId: string; code: string; expiresAt: string };
    };
    expect(code.data.code).toMatch(/^66\d{16}$/);
    expect(code.data.expiresAt).toMatch(/\+08:00$/);
    expect(await call('o-spender', 'payCodeStatus', { holdId: code.data.holdId })).toMatchObject({
      ok: true,
      data: { status: 'open' },
    });
    expect(await call('o-other', 'payCodeStatus', { holdId: code.data.holdId })).toMatchObject({
      ok: false,
      error: { status: 404 },
    });
  });
});
