/**
 * GET /api/admin/reports/daily over HTTP: every day of the range listed
 * (empty days as zeros, so a chart has no gaps), liability day by day valued
 * at JIFEN_POINT_VALUE_FEN, groups by store, a CSV with a header row, and
 * clear refusals for a bad range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjust, call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ JIFEN_POINT_VALUE_FEN: '2' });
});
afterAll(() => t.close());

const admin = (path: string) => call(t.fetch, 'GET', path, { token: TEST_ADMIN_TOKEN });
const DAY = 86_400_000;
const today = (offsetDays = 0) => new Date(Date.now() + offsetDays * DAY + 8 * 3_600_000).toISOString().slice(0, 10);

describe('the daily report', () => {
  it('lists each day with zeros where nothing happened, and the liability at each day’s end', async () => {
    const m = await login(t.fetch, 'report-member');
    t.clock.offset = -2 * DAY;
    expect((await adjust(t.fetch, m.memberId, 100, 'rep-1')).status).toBe(200);
    t.clock.offset = 0;
    expect((await adjust(t.fetch, m.memberId, -30, 'rep-2')).status).toBe(200);

    const r = await admin(`/api/admin/reports/daily?from=${today(-3)}&to=${today()}`);
    expect(r.status).toBe(200);
    expect(
      r.body.rows.map((x: { date: string; adjusted: number; liabilityPoints: number }) => [
        x.date,
        x.adjusted,
        x.liabilityPoints,
      ]),
    ).toEqual([
      [today(-3), 0, 0],
      [today(-2), 100, 100],
      [today(-1), 0, 100],
      [today(), -30, 70],
    ]);
    expect(r.body.totals).toMatchObject({ adjusted: 70, liabilityPoints: 70, liabilityFen: 140 });
  });

  it('exports CSV and refuses a backwards or too long range', async () => {
    const res = await t.fetch(`/api/admin/reports/daily?from=${today(-1)}&to=${today()}&format=csv`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = Buffer.from(await res.arrayBuffer())
      .subarray(3)
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('日期,分组,发放积分,兑换积分,过期积分,调整积分,活跃会员,负债积分,负债金额（元）');
    expect(lines[2]).toBe(`${today()},,0,0,0,-30,0,70,1.40`);
    expect((await admin(`/api/admin/reports/daily?from=${today()}&to=${today(-1)}`)).status).toBe(400);
    expect((await admin('/api/admin/reports/daily?from=2024-01-01&to=2026-01-01')).body.code).toBe('VALIDATION_FAILED');
    expect((await admin('/api/admin/reports/daily?from=2026-02-30&to=2026-03-01')).status).toBe(400);
  });
});

describe('daily rollups', () => {
  it('sums a closed day once and reads it back; today stays live', async () => {
    const m = await login(t.fetch, 'rollup-member');
    t.clock.offset = -5 * DAY;
    expect((await adjust(t.fetch, m.memberId, 500, 'roll-1')).status).toBe(200);
    t.clock.offset = 0;
    const path = `/api/admin/reports/daily?from=${today(-5)}&to=${today()}`;
    const first = await admin(path);
    const docs = await t.store.configDocs('report_days');
    expect(docs.length).toBeGreaterThan(0);
    // The job finds those days summed already; later ticks of the same day read nothing.
    let steps = 0;
    while ((await t.services.reports.rollUp()) > 0) steps++;
    expect(steps).toBeGreaterThan(3); // the other groupings, and the days of the year before, a month a step
    expect(await t.services.reports.rollUp()).toBe(0);

    // A closed day is read from its rollup, not summed again: a row slipped into it behind the ledger's back
    // (no real write can stamp a closed day) does not show; what lands today does.
    t.clock.offset = -5 * DAY;
    expect((await adjust(t.fetch, m.memberId, 3, 'roll-behind')).status).toBe(200);
    t.clock.offset = 0;
    expect((await adjust(t.fetch, m.memberId, 7, 'roll-2')).status).toBe(200);
    const again = await admin(path);
    const row = (r: typeof first, date: string) => r.body.rows.find((x: { date: string }) => x.date === date);
    expect(row(again, today(-5))).toEqual(row(first, today(-5)));
    expect(row(again, today()).adjusted - row(first, today()).adjusted).toBe(7);
    expect(again.body.totals.adjusted - first.body.totals.adjusted).toBe(7);
    // Summed from the events, that day does have the 3 points: the rollup, not the events, answered above.
    const live = await t.store.reportDaily([{ date: today(-5), start: Date.now() - 6 * DAY, end: Date.now() }], null);
    expect(live.rows[0]!.adjusted).toBeGreaterThanOrEqual(503);
  });
});

describe('a store manager’s report', () => {
  it('is their stores only, by store, without the chain’s liability', async () => {
    for (const id of ['RPA', 'RPB'])
      await call(t.fetch, 'POST', '/api/admin/stores', {
        token: TEST_ADMIN_TOKEN,
        body: { id, name: id, region: '华东' },
      });
    await call(t.fetch, 'POST', '/api/admin/operators', {
      token: TEST_ADMIN_TOKEN,
      body: { username: 'rp-manager', password: 'report-pass-77', role: 'manager', storeIds: ['RPA'] },
    });
    const session = await call(t.fetch, 'POST', '/api/console/login', {
      body: { username: 'rp-manager', password: 'report-pass-77' },
    });
    const token = session.body.token as string;
    const m = await login(t.fetch, 'rp-member');
    // Earnings at each store, as a till or a payment notification posts them.
    for (const [storeId, points] of [
      ['RPA', 40],
      ['RPB', 60],
    ] as const) {
      await t.services.ledger.credit({
        key: { source: 'test', externalId: `rp-${storeId}` },
        memberId: m.memberId,
        points,
        kind: 'earn',
        counterparty: 'issued',
        storeId,
      });
    }
    const mine = await call(t.fetch, 'GET', `/api/admin/reports/daily?from=${today(-1)}&to=${today()}`, { token });
    expect(mine.status).toBe(200);
    expect(mine.body.rows.map((r: { group: string }) => r.group)).toEqual(['RPA']);
    expect(mine.body.rows[0]).toMatchObject({ date: today(), issued: 40, activeMembers: 1, liabilityPoints: null });
    expect(mine.body.totals).toMatchObject({ issued: 40, activeMembers: 1, liabilityPoints: null, liabilityFen: null });
    const hq = await admin(`/api/admin/reports/daily?from=${today()}&to=${today()}&groupBy=store`);
    expect(hq.body.rows.filter((r: { group: string }) => r.group?.startsWith('RP')).length).toBe(2);
    const byRegion = await call(
      t.fetch,
      'GET',
      `/api/admin/reports/daily?from=${today()}&to=${today()}&groupBy=region`,
      {
        token,
      },
    );
    expect(byRegion.status).toBe(403);
  });
});
