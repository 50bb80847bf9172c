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
