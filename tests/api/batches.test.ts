/**
 * Batch grants over HTTP: a preview that lists every malformed line and
 * writes nothing; a malformed file refused whole; a batch queued once per
 * Idempotency-Key, applied by the background step (a row per event, by
 * member id or phone, refused rows listed with their line), and rolled back
 * with reversing entries; the ledger verifies throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjust, call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const csv = (path: string, body: string, key?: string) =>
  t.fetch(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
      'content-type': 'text/csv',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body,
  });
const admin = (method: string, path: string) => call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN });
const balance = async (id: string) => (await admin('GET', `/api/admin/members/${id}`)).body.balance as number;
/** What the server's timer does: steps until nothing is left. */
const drain = async () => {
  while ((await t.services.batches.step()) > 0);
};

describe('batch grants', () => {
  it('previews a file line by line, and refuses a malformed one whole', async () => {
    const bad =
      'member,points,reason\nm_nobodyhere1,10,ok\n1380000,5,short phone\nm_abcdefgh,0,zero\nm_abcdefgh,x,letters\nm_abcdefgh,5,\n';
    const p = await csv('/api/admin/batches/preview', bad);
    expect(p.status).toBe(200);
    expect(((await p.json()) as { errors: { line: number }[] }).errors.map((e: { line: number }) => e.line)).toEqual([
      3, 4, 5, 6,
    ]);
    const refused = await csv('/api/admin/batches', bad, 'bad-1');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { code: string; details: { lines: unknown[] } };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.lines).toHaveLength(4);
    expect((await admin('GET', '/api/admin/batches')).body.items).toEqual([]);
    expect((await csv('/api/admin/batches/preview', 'name,points\nx,1')).status).toBe(200);
    const json = await t.fetch('/api/admin/batches', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': 'j',
      },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('applies each row once by id or phone, lists refused rows, and rolls back exactly', async () => {
    const a = await login(t.fetch, 'batch-a');
    const b = await login(t.fetch, 'batch-b');
    await call(t.fetch, 'POST', '/api/admin/members', { token: TEST_ADMIN_TOKEN, body: { phone: '13911112222' } });
    const byPhone = (await admin('GET', '/api/admin/members?phone=13911112222')).body.items[0].id as string;
    expect((await adjust(t.fetch, b.memberId, 20, 'batch-b-seed')).status).toBe(200);
    const file = [
      'member,points,reason',
      `${a.memberId},100,春节礼包`,
      `13911112222,50,老会员迁移`,
      `${b.memberId},-50,扣回多发`, // b has 20: refused, listed
      `13900000000,10,无此会员`, // nobody has this phone: refused, listed
      `${a.memberId},-30,修正`,
    ].join('\n');
    const first = await csv('/api/admin/batches', file, 'batch-1');
    expect(first.status).toBe(202);
    const queued = (await first.json()) as { id: string };
    expect(queued).toMatchObject({ status: 'queued', total: 5, done: 0 });
    const again = (await (await csv('/api/admin/batches', file, 'batch-1')).json()) as { id: string };
    expect(again.id).toBe(queued.id); // the same key is the same batch

    await drain();
    const done = (await admin('GET', `/api/admin/batches/${queued.id}`)).body;
    expect(done).toMatchObject({ status: 'done', done: 3, failed: 2 });
    expect(done.errors.map((e: { line: number }) => e.line)).toEqual([4, 5]);
    expect([await balance(a.memberId), await balance(byPhone), await balance(b.memberId)]).toEqual([70, 50, 20]);
    await drain(); // nothing more to do: nothing applied twice
    expect(await balance(a.memberId)).toBe(70);

    const rb = await admin('POST', `/api/admin/batches/${queued.id}/rollback`);
    expect(rb.body.status).toBe('rolling_back');
    await drain();
    expect((await admin('GET', `/api/admin/batches/${queued.id}`)).body).toMatchObject({
      status: 'rolled_back',
      reversed: 3,
    });
    expect([await balance(a.memberId), await balance(byPhone), await balance(b.memberId)]).toEqual([0, 0, 20]);
    const history = (await admin('GET', `/api/admin/members/${a.memberId}/history`)).body.items;
    expect(history.map((i: { delta: number }) => i.delta)).toEqual([30, -100, -30, 100]); // reversals added, nothing deleted
    expect((await admin('GET', '/api/admin/ledger/verify')).body.ok).toBe(true);
  });
});
