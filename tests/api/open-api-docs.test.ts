/**
 * docs/open-api.md's two examples, run as written against a real server on
 * 127.0.0.1: the curl one in bash (with the key, the secret and the address
 * filled in), the Node one with its environment variables. They must earn
 * the order's points, so a POS developer who pastes them gets a working
 * start.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

// Asynchronous: the server answering them runs in this process.
const run = promisify(execFile);
const doc = readFileSync(new URL('../../docs/open-api.md', import.meta.url), 'utf8');
const block = (lang: string) => {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(doc);
  if (!m) throw new Error(`docs/open-api.md has no ${lang} block`);
  return m[1]!;
};

let t: TestApp;
let key: { keyId: string; secret: string };
let base = '';
beforeAll(async () => {
  t = await testApp({}, { socket: true });
  const admin = (path: string, body: unknown) => call(t.fetch, 'POST', path, { token: TEST_ADMIN_TOKEN, body });
  expect((await admin('/api/admin/stores', { id: 'S001', name: '样例店', region: '华东' })).status).toBe(201);
  const made = await admin('/api/admin/integrations', { name: 'docs' });
  key = { keyId: made.body.keyId, secret: made.body.secret };
  base = (await t.fetch('/healthz')).url.replace(/\/healthz$/, '');
});
afterAll(() => t.close());

describe('docs/open-api.md', () => {
  it('the curl example earns the order’s points', async () => {
    const script = block('bash')
      .replace(/^KEY_ID=\S+/m, `KEY_ID=${key.keyId}`)
      .replace(/^SECRET=\S+/m, `SECRET=${key.secret}`)
      .replace(/^BASE=\S+/m, `BASE=${base}`);
    const { stdout: out } = await run('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ points: 128, balance: 128, memberId: expect.stringMatching(/^m_/) });
  });

  it('the Node example earns, refunds half and finds the member', async () => {
    const { stdout: out } = await run(process.execPath, ['--input-type=module', '-e', block('js')], {
      encoding: 'utf8',
      env: { ...process.env, JIFEN_KEY_ID: key.keyId, JIFEN_SECRET_KEY: key.secret, JIFEN_BASE: base },
    });
    // After the curl example's order: 128 more, then half of them back.
    expect(out).toContain('points: 128, balance: 256');
    expect(out).toMatch(/points: 64,\s+balance: 192/);
    expect(out).toContain('refundedFen: 6400');
    expect(out).toContain("phone: '138****1234'");
  });
});
