/**
 * Must show: a backup taken during a stream of writes restores into a server
 * whose ledger verifies and whose balances match the moment of the backup.
 * The real server on SQLite takes adjustments from 16 writers; `npm run
 * backup` runs in the middle. The copy is one consistent moment: each
 * member's balance in it equals the sum of that member's entries among the
 * events the copy holds, and those events are exactly the live ledger's up to
 * the copy's newest. `npm run restore` refuses while the server runs, then,
 * with the server stopped, puts the copy in place; the restarted server
 * verifies and answers the copy's balances.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { adjust, call, login, urlFetcher } from '../support/http.js';
import { startServer, TEST_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'jifen-backup-'));
const dbUrl = `sqlite:${join(dir, 'jifen.db')}`;
const copy = join(dir, 'backups', 'during-writes.db');
let server: ServerProcess | undefined;
afterAll(() => server?.stop());

const script = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'cloudfunctions/local/backup.ts', ...args], {
    env: { ...process.env, DATABASE_URL: dbUrl },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

/** Member balances and, per member, the sum of entries of events up to `maxEvent`, from one SQLite file. */
function ledgerOf(file: string, maxEvent?: number) {
  const db = new Database(file, { readonly: true });
  try {
    const newest = (db.prepare('SELECT MAX(id) AS id FROM events').get() as { id: number }).id;
    const upTo = maxEvent ?? newest;
    const sums = db
      .prepare(
        `SELECT e.account_id AS id, SUM(e.amount) AS sum FROM entries e JOIN accounts a ON a.id = e.account_id
         WHERE a.kind = 'member' AND e.event_id <= ? GROUP BY e.account_id`,
      )
      .all(upTo) as { id: string; sum: number }[];
    const balances = db.prepare("SELECT id, balance FROM accounts WHERE kind = 'member'").all() as {
      id: string;
      balance: number;
    }[];
    const events = db.prepare('SELECT id, external_id FROM events WHERE id <= ? ORDER BY id').all(upTo) as {
      id: number;
      external_id: string;
    }[];
    return {
      newest,
      sums: Object.fromEntries(sums.map((r) => [r.id, r.sum])),
      balances: Object.fromEntries(balances.map((r) => [r.id, r.balance])),
      events,
    };
  } finally {
    db.close();
  }
}

it('backs up mid-stream a consistent moment, refuses to restore under a running server, and restores it', async () => {
  server = await startServer(dbUrl);
  const f = urlFetcher(server.url);
  const members = await Promise.all(Array.from({ length: 8 }, (_, i) => login(f, `backup-member-${i}`)));

  // 16 writers adjusting until told to stop; the backup runs once some writes are in.
  let stop = false;
  let written = 0;
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const m = members[(w + i) % members.length]!;
      const r = await adjust(f, m.memberId, 1 + (i % 7), `bk-${w}-${i}`);
      expect(r.status).toBe(200);
      written++;
    }
  };
  const writers = Array.from({ length: 16 }, (_, w) => writer(w));
  while (written < 300) await new Promise((r) => setTimeout(r, 20));
  const backedUp = await script('--out', copy);
  const writtenAtBackup = written;
  while (written < writtenAtBackup + 300) await new Promise((r) => setTimeout(r, 20));
  stop = true;
  await Promise.all(writers);
  expect(backedUp.code, backedUp.out).toBe(0);
  expect(backedUp.out).toMatch(/ledger verifies/);

  // The copy is one moment of the live ledger: a prefix of its events, balances equal to their entries.
  const inCopy = ledgerOf(copy);
  const live = ledgerOf(join(dir, 'jifen.db'), inCopy.newest);
  expect(inCopy.newest).toBeGreaterThan(100);
  expect(ledgerOf(join(dir, 'jifen.db')).newest).toBeGreaterThan(inCopy.newest); // writes went on after it
  expect(inCopy.events).toEqual(live.events);
  for (const m of members) {
    expect(inCopy.balances[m.memberId], m.memberId).toBe(live.sums[m.memberId] ?? 0);
  }

  // Restoring under the running server is refused and changes nothing.
  const refused = await script('restore', copy);
  expect(refused.code).toBe(1);
  expect(refused.out).toMatch(/in use: stop the server/);

  await server.stop();
  server = undefined;
  const restored = await script('restore', copy);
  expect(restored.code, restored.out).toBe(0);
  server = await startServer(dbUrl);
  const f2 = urlFetcher(server.url);
  const verify = await call(f2, 'GET', '/api/admin/ledger/verify', { token: TEST_ADMIN_TOKEN });
  expect(verify.body.ok).toBe(true);
  for (const m of members) {
    const seen = await call(f2, 'GET', `/api/admin/members/${m.memberId}`, { token: TEST_ADMIN_TOKEN });
    expect(seen.body.balance).toBe(inCopy.balances[m.memberId]);
  }
}, 120_000);
