/**
 * The audit log's reader: who did what, when, before and after; filtered by
 * business day and actor; paged; and exported as CSV a spreadsheet opens
 * safely (a reason typed as a formula stays text).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeCell } from '../../cloudfunctions/core/http/csv.js';
import { call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let memberId: string;
let opToken: string;
beforeAll(async () => {
  t = await testApp();
  memberId = (await login(t.fetch, 'audit-member')).memberId;
  await admin('POST', '/api/admin/operators', { username: 'auditor', password: 'plum-blossom-42', role: 'hq' });
  opToken = (
    await call(t.fetch, 'POST', '/api/console/login', { body: { username: 'auditor', password: 'plum-blossom-42' } })
  ).body.token;
});
afterAll(() => t.close());

const admin = (method: string, path: string, body?: unknown, token = TEST_ADMIN_TOKEN) =>
  call(t.fetch, method, path, { token, body });
const DAY = 86_400_000;

describe('the audit log', () => {
  it('shows a freeze with who, what, before and after, newest first; filters by actor and by day; pages', async () => {
    t.clock.offset = -2 * DAY; // two days ago
    expect((await admin('POST', `/api/admin/members/${memberId}/freeze`, { reason: '核查' })).status).toBe(200);
    t.clock.offset = 0;
    expect(
      (await admin('POST', `/api/admin/members/${memberId}/unfreeze`, { reason: '=HYPERLINK("http://x")' }, opToken))
        .status,
    ).toBe(200);

    const all = await admin('GET', '/api/admin/audit');
    expect(all.status).toBe(200);
    const mine = all.body.items.filter((i: { target: string }) => i.target === memberId);
    expect(mine.map((i: { actor: string }) => i.actor)).toEqual(['op:auditor', 'hq']);
    expect(mine[0]).toMatchObject({
      at: expect.stringMatching(/\+08:00$/),
      before: expect.anything(),
      after: expect.anything(),
    });

    const byActor = await admin('GET', '/api/admin/audit?actor=op:auditor');
    expect(byActor.body.items.every((i: { actor: string }) => i.actor === 'op:auditor')).toBe(true);
    expect(byActor.body.items.some((i: { target: string }) => i.target === memberId)).toBe(true);

    const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    const twoDaysAgo = await admin(
      'GET',
      `/api/admin/audit?from=${day(Date.now() - 2 * DAY)}&to=${day(Date.now() - 2 * DAY)}`,
    );
    expect(twoDaysAgo.body.items.map((i: { actor: string; target: string }) => [i.actor, i.target])).toEqual([
      ['hq', memberId],
    ]);
    expect((await admin('GET', '/api/admin/audit?from=2026-12-05&to=2026-12-01')).status).toBe(400);

    const first = await admin('GET', '/api/admin/audit?limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await admin('GET', `/api/admin/audit?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).toBeLessThan(first.body.items[0].id);
  });

  it('exports CSV with a header and the BOM Excel needs', async () => {
    const res = await t.fetch('/api/admin/audit?format=csv', {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the UTF-8 BOM Excel needs
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('时间,操作人,操作,对象,变更前,变更后,详情');
    expect(text).toContain('=HYPERLINK'); // the reason is there, inside the JSON detail
  });

  it('never starts a cell with what a spreadsheet would run', () => {
    expect(['=1+1', '+86 138', '-2', '@SUM(A1)', '\tx', 'ok', 12, -3, null].map(safeCell)).toEqual([
      "'=1+1",
      "'+86 138",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      'ok',
      12,
      -3,
      '',
    ]);
  });

  it('is HQ’s: a cashier operator is refused', async () => {
    await admin('POST', '/api/admin/stores', { id: 'AU1', name: '店', region: '华东' });
    await admin('POST', '/api/admin/operators', {
      username: 'audit-cashier',
      password: 'plum-blossom-42',
      role: 'cashier',
      storeIds: ['AU1'],
    });
    const token = (
      await call(t.fetch, 'POST', '/api/console/login', {
        body: { username: 'audit-cashier', password: 'plum-blossom-42' },
      })
    ).body.token;
    expect((await admin('GET', '/api/admin/audit', undefined, token)).status).toBe(403);
  });
});
