/**
 * What the member app shows of the programme, over HTTP on a real socket:
 * the tier page driven by the ladder HQ sets and the member's own payments,
 * the "how to earn" guide driven by published rules and bonuses only, the
 * birthday in `me`, and the live balance stream (Server-Sent Events) that
 * tells an open app of a payment without a reload — and only its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { call, login } from '../support/http.js';
import { postWechat } from '../support/notify.js';
import { MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { SANDBOX_WECHAT_APPID } from '../../cloudfunctions/local/sandbox-secrets.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let keys: PaymentKeys;
beforeAll(async () => {
  keys = await paymentKeys();
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, ...env } = keys.env; // sandbox logins (code = openid), real payment keys
  t = await testApp(env, { socket: true });
});
afterAll(() => t.close());

const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
const as = (token: string, method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token, body });
const pay = async (openid: string, totalFen: number) => {
  const n = wechatNotification(
    'TRANSACTION.SUCCESS',
    transactionResource({ mchId: MCHID, appId: SANDBOX_WECHAT_APPID, openid, totalFen }),
    keys.wechat,
  );
  expect((await postWechat(t.fetch, n)).status).toBe(204);
};
let seq = 0;

describe('the tier page', () => {
  it('shows the ladder HQ set with its benefits, my progress and this month’s growth from my payment', async () => {
    const put = await admin('PUT', '/api/admin/tiers', {
      periodMonths: 6,
      tiers: [
        { code: 'bronze', name: '铜卡', minGrowth: 0 },
        { code: 'silver', name: '银卡', minGrowth: 100, multiplier: 1.5, benefits: ['积分 1.5 倍', '生日礼'] },
      ],
    });
    expect(put.status).toBe(200);
    const openid = `o-tier-${++seq}`;
    const m = await login(t.fetch, openid);
    await pay(openid, 40_00);

    const r = await as(m.token, 'GET', '/api/member/tier');
    expect(r.status).toBe(200);
    expect(r.body.current).toEqual({
      code: 'bronze',
      name: '铜卡',
      growth: 40,
      next: { code: 'silver', name: '银卡', growthNeeded: 60 },
    });
    expect(r.body.heldUntil).toBeNull();
    expect(r.body.periodMonths).toBe(6);
    expect(r.body.ladder.map((x: { benefits: string[] }) => x.benefits)).toEqual([[], ['积分 1.5 倍', '生日礼']]);
    expect(r.body.months).toHaveLength(6);
    const months = r.body.months as { month: string; growth: number }[];
    expect(months.map((x) => x.month)).toEqual([...months.map((x) => x.month)].sort()); // oldest first
    expect(months.at(-1)!.growth).toBe(40);
    expect(months.slice(0, -1).every((x) => x.growth === 0)).toBe(true);

    await pay(openid, 70_00); // 110 growth: silver, held for a period
    const up = await as(m.token, 'GET', '/api/member/tier');
    expect(up.body.current).toMatchObject({ code: 'silver', growth: 110, next: null });
    expect(up.body.heldUntil).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\.999\+08:00$/);
  });
});

describe('the earning guide', () => {
  it('lists published, unended rules only (with store names), the bonuses HQ set, my tier multiplier and the expiry policy', async () => {
    const m = await login(t.fetch, `o-guide-${++seq}`);
    const before = await as(m.token, 'GET', '/api/member/earning');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ basePointsPerYuan: 1, rules: [], bonuses: { checkin: { points: 0 } } });

    expect((await admin('POST', '/api/admin/stores', { id: 'S901', name: '徐汇店', region: '华东' })).status).toBe(201);
    const rule = async (body: object, publish = true) => {
      const r = await admin('POST', '/api/admin/rules', body);
      expect(r.status).toBe(201);
      if (publish) expect((await admin('POST', `/api/admin/rules/${r.body.id}/publish`)).status).toBe(200);
      return r.body.id as string;
    };
    const live = await rule({
      name: '徐汇店周六双倍',
      priority: 5,
      when: { storeIds: ['S901'], weekdays: [6] },
      then: { multiplier: 2 },
    });
    const bonus = await rule({ name: '满百送十', priority: 9, when: { minPaidFen: 100_00 }, then: { bonus: 10 } });
    await rule({ name: '草稿', then: { multiplier: 3 } }, false);
    await rule({ name: '已结束', when: { dateFrom: '2020-01-01', dateTo: '2020-01-31' }, then: { multiplier: 3 } });
    expect(
      (await admin('PUT', '/api/admin/bonuses', { checkin: { points: 5, streaks: [{ days: 7, bonus: 20 }] } })).status,
    ).toBe(200);
    expect((await admin('PUT', '/api/admin/expiry', { mode: 'yearly', clearOn: '12-31', afterYears: 1 })).status).toBe(
      200,
    );

    const r = await as(m.token, 'GET', '/api/member/earning');
    expect(r.body.rules.map((x: { id: string }) => x.id)).toEqual([bonus, live]); // by priority
    expect(r.body.rules[1]).toMatchObject({
      name: '徐汇店周六双倍',
      when: { storeIds: ['S901'], storeNames: ['徐汇店'], weekdays: [6] },
      then: { multiplier: 2 },
    });
    expect(r.body.bonuses.checkin).toEqual({ points: 5, streaks: [{ days: 7, bonus: 20 }] });
    expect(r.body.expiry).toEqual({ mode: 'yearly', days: 0, clearOn: '12-31', afterYears: 1 });
    expect(r.body.tier).toMatchObject({ code: 'bronze', multiplier: 1 });

    await admin('POST', `/api/admin/rules/${bonus}/archive`);
    const after = await as(m.token, 'GET', '/api/member/earning');
    expect(after.body.rules.map((x: { id: string }) => x.id)).toEqual([live]);
  });

  it('needs a member session', async () => {
    expect((await call(t.fetch, 'GET', '/api/member/earning')).status).toBe(401);
    expect((await call(t.fetch, 'GET', '/api/member/tier', { token: TEST_ADMIN_TOKEN })).status).toBe(401);
  });
});

describe('the birthday in me', () => {
  it('is null until set, then what the member gave', async () => {
    const m = await login(t.fetch, `o-bday-${++seq}`);
    expect((await as(m.token, 'GET', '/api/member/me')).body.birthday).toBeNull();
    expect((await as(m.token, 'PUT', '/api/member/profile', { birthday: '03-15' })).status).toBe(200);
    expect((await as(m.token, 'GET', '/api/member/me')).body.birthday).toBe('03-15');
  });
});

/** Reads `balance` events from an open stream. */
function listen(token: string) {
  const ctl = new AbortController();
  const events: { balance: number; available: number; held: number }[] = [];
  let waiters: (() => void)[] = [];
  const opened = t.fetch('/api/member/events', { headers: { authorization: `Bearer ${token}` }, signal: ctl.signal });
  const done = opened.then(async (res) => {
    if (res.status !== 200) return res.status;
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buf += value;
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data:'));
          if (block.includes('event: balance') && data) events.push(JSON.parse(data.slice(5)));
          waiters.forEach((w) => w());
          waiters = [];
        }
      }
    } catch {
      // aborted by the test
    }
    return 200;
  });
  const until = async (n: number) => {
    const deadline = Date.now() + 5_000;
    while (events.length < n && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return events;
  };
  return { opened, events, until, close: () => ctl.abort(), done };
}

describe('the live balance stream', () => {
  it('tells the open app its balance at once and again after a payment; another member’s payment says nothing', async () => {
    const openid = `o-live-${++seq}`;
    const other = `o-live-other-${++seq}`;
    const m = await login(t.fetch, openid);
    await login(t.fetch, other);
    const res = await t.fetch('/api/member/events', { method: 'HEAD' });
    expect(res.status).toBe(401);

    const s = listen(m.token);
    const opened = await s.opened;
    expect(opened.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await s.until(1))[0]).toEqual({ balance: 0, available: 0, held: 0 });

    await pay(other, 50_00);
    await new Promise((r) => setTimeout(r, 700)); // more than two polling rounds
    expect(s.events).toHaveLength(1);

    const paid = Date.now();
    await pay(openid, 12_00);
    const seen = await s.until(2);
    expect(seen[1]).toEqual({ balance: 12, available: 12, held: 0 });
    expect(Date.now() - paid).toBeLessThan(5_000); // heard within the wait, not after a reload
    s.close();
  });

  it('refuses a fourth stream for one member with 429, and a stream without a session with 401', async () => {
    const m = await login(t.fetch, `o-live-many-${++seq}`);
    const streams = [listen(m.token), listen(m.token), listen(m.token)];
    for (const x of streams) expect((await x.opened).status).toBe(200);
    await Promise.all(streams.map((x) => x.until(1)));
    const fourth = await t.fetch('/api/member/events', { headers: { authorization: `Bearer ${m.token}` } });
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get('retry-after')).toBe('30');
    expect(await fourth.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await t.fetch('/api/member/events')).status).toBe(401);
    streams.forEach((x) => x.close());
    await Promise.all(streams.map((x) => x.done));
    // A closed stream frees its place.
    await new Promise((r) => setTimeout(r, 50));
    const again = listen(m.token);
    expect((await again.opened).status).toBe(200);
    again.close();
  });
});
