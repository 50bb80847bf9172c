/**
 * PIPL: phone numbers are masked in every response and log line, never sent
 * to WeChat, and encrypted at rest. The flows that touch a phone run first,
 * then everything the app said, logged, sent and stored is searched for the
 * number in clear.
 */
import { readFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SECRET, sessionKeyOf } from '../support/fake-wechat.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { identityEnv, openid, PHONE_PATH, type IdentityEnv, type Member } from './identity-fixture.js';

const PHONE = '13812345678';
const CLEAR = [PHONE, '8613812345678', '+8613812345678', '138 1234 5678', '138-1234-5678'];
const MASKED = '138****5678';
const OTHER = '13998765432'; // a second number: imported, never bound
const CLEAR_OTHER = [OTHER, '8613998765432'];

let env: IdentityEnv;
let member: Member;
let loginCodes: string[];
let dbPath: string;

beforeAll(async () => {
  env = await identityEnv();
  dbPath = env.t.config.databaseUrl.replace(/^sqlite:/, '');
  const { api, admin } = env;
  // import by phone: accepted, refused as a duplicate, refused in a wrong format
  const imported = await admin('POST', '/api/admin/members', { phone: PHONE, points: 300, reason: '导入' });
  expect(imported.status).toBe(201);
  expect((await admin('POST', '/api/admin/members', { phone: PHONE })).status).toBe(409);
  expect((await admin('POST', '/api/admin/members', { phone: '+8613812345678' })).status).toBe(400);
  expect((await admin('POST', '/api/admin/members', { phone: OTHER, points: 5 })).status).toBe(201);
  // login, a failed bind (WeChat down), a bind that merges, a conflicting bind
  const code = env.loginCode(openid('pipl'));
  const other = env.loginCode(openid('pipl-other'));
  loginCodes = [code, other];
  const login = await api('POST', '/api/member/login', { body: { code } });
  member = { token: login.body.token, memberId: login.body.member.id, openid: '' };
  env.fake.failNext(1, { errcode: -1 }, PHONE_PATH);
  expect((await env.bind(member.token, PHONE)).status).toBe(502);
  const bound = await api('POST', '/api/member/bind-phone', {
    token: member.token,
    body: { code: env.phoneCode(PHONE, '+8613812345678') },
  });
  expect(bound.body).toMatchObject({ phone: MASKED, merged: 300 });
  const rival = (await api('POST', '/api/member/login', { body: { code: other } })).body.token;
  expect((await env.bind(rival, PHONE)).body.code).toBe('PHONE_TAKEN');
  // a batch grant by phone: its rows are kept, as the upload gave them, until and after it runs
  const batch = await env.t.fetch('/api/admin/batches', {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv', 'idempotency-key': 'pipl' },
    body: `member,points,reason\n${OTHER},3,批量\n`,
  });
  expect(batch.status).toBe(202);
  // and every way of looking at the member
  await api('GET', '/api/member/me', { token: member.token });
  await api('GET', '/api/member/history', { token: member.token });
  await admin('GET', `/api/admin/members/${member.memberId}`);
  await admin('GET', `/api/admin/members/${imported.body.memberId}`);
  await admin('GET', '/api/admin/ledger/verify');
});
afterAll(() => env.close());

const leaks = (text: string, forms = [...CLEAR, ...CLEAR_OTHER]) => forms.filter((f) => text.includes(f));

describe('no phone number in clear', () => {
  it('in any response body or header, while the masked form is shown', () => {
    const all = env.responses.join('\n');
    expect(env.responses.length).toBeGreaterThanOrEqual(14);
    expect(all).toContain(MASKED); // the capture works: the masked number is there
    expect(all).toContain('139****5432');
    expect(leaks(all)).toEqual([]);
  });

  it('in any log line', () => {
    const logs = env.t.logs.join('');
    expect(logs).toContain('/api/member/bind-phone'); // the capture works
    expect(logs).toContain('wechat call failed');
    expect(leaks(logs)).toEqual([]);
  });

  it('nor the WeChat secret, session keys, login codes or session tokens in the logs', () => {
    const logs = env.t.logs.join('');
    const secrets = [FAKE_SECRET, member.token, ...loginCodes, ...loginCodes.map(sessionKeyOf)];
    expect(secrets.filter((s) => logs.includes(s))).toEqual([]);
  });

  it('in any request sent to WeChat (it only ever receives the code)', () => {
    const phoneCalls = env.fake.requestsTo(PHONE_PATH);
    expect(phoneCalls.length).toBeGreaterThanOrEqual(3);
    for (const r of phoneCalls) expect(Object.keys(r.body)).toEqual(['code']);
    expect(leaks(JSON.stringify(env.fake.requests))).toEqual([]);
  });
});

describe('at rest', () => {
  it('stores phone_enc as ciphertext and phone_hash as a keyed hash', () => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare('SELECT id, phone_enc, phone_hash FROM members WHERE phone_hash IS NOT NULL ORDER BY id')
        .all() as Array<{ id: string; phone_enc: string; phone_hash: string }>;
      expect(rows.map((r) => r.id).sort()).toContain(member.memberId);
      expect(rows).toHaveLength(2); // the bound member and the second import; the merged import was freed
      for (const row of rows) {
        expect(row.phone_enc).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
        expect(leaks(row.phone_enc + row.phone_hash, [...CLEAR, ...CLEAR_OTHER, '12345678', '98765432'])).toEqual([]);
      }
      const freed = db.prepare('SELECT phone_enc FROM members WHERE openid IS NULL AND phone_hash IS NULL').all();
      expect(freed).toEqual([{ phone_enc: null }]);
    } finally {
      db.close();
    }
  });

  it('in no table of the database, nor in the database or WAL files', () => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
        name: string;
      }>;
      expect(tables.map((t) => t.name)).toContain('members');
      for (const { name } of tables) {
        const dump = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
        expect(leaks(dump), name).toEqual([]);
      }
    } finally {
      db.close();
    }
    const files = [dbPath, `${dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
    expect(files.join('')).toContain(member.memberId); // the raw bytes are searchable
    for (const bytes of files) expect(leaks(bytes)).toEqual([]);
  });
});
