/**
 * Must show: the expiry job killed half-way, then run again. 2,000 members
 * with 20 due lots each (seeded straight into SQLite), then the real server,
 * whose background timer runs the sweep; SIGKILL once some but not all
 * members have expired; a restart finishes the job. Every member then has
 * exactly one expiry event, every lot is spent, every balance is zero and
 * the ledger verifies. SQLite only: the seeding writes its file directly.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { Members } from '../../cloudfunctions/core/services/members.js';
import { PhoneVault } from '../../cloudfunctions/core/services/phones.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { seedDueLots } from '../support/due-lots.js';
import { call } from '../support/http.js';
import { startServer, TEST_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';
import { fetcherOf, ledgerReport } from './ledger-probe.js';

const MEMBERS = 2000;
const LOTS = 20;
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'jifen-expiry-crash-'));
const path = join(dir, 'jifen.db');
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Members with an expiry event, and expiry events in all, read through a connection of our own. */
function progress(): { members: number; events: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db
      .prepare("SELECT COUNT(DISTINCT member_id) AS members, COUNT(*) AS events FROM events WHERE kind = 'expire'")
      .get() as { members: number; events: number };
  } finally {
    db.close();
  }
}

async function until(what: string, done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}: ${JSON.stringify(progress())}`);
    await sleep(25);
  }
}

it('killed half-way through the expiry job and restarted: each lot expires exactly once and the ledger verifies', async () => {
  const store = await openStore(`sqlite:${path}`);
  const now = Date.now();
  const members = new Members({
    store,
    clock: () => now - 400 * DAY,
    timeZone: 'Asia/Shanghai',
    vault: new PhoneVault('expiry-crash-secret-0123456789abcdef'),
  });
  const ids: string[] = [];
  for (let i = 0; i < MEMBERS; i++) ids.push((await members.findOrCreateByOpenid(`o-expiry-crash-${i}`)).id);
  await store.close();
  seedDueLots(path, ids, { lotsPerMember: LOTS, pointsPerLot: 3, createdAt: now - 400 * DAY, expiresAt: now - DAY });

  server = await startServer(`sqlite:${path}`);
  await until('some members expired', () => progress().members >= MEMBERS * 0.1, 60_000);
  await server.kill();
  const atKill = progress();
  expect(atKill.members).toBeGreaterThan(0);
  expect(atKill.members).toBeLessThan(MEMBERS); // the kill came half-way, not after the end

  server = await startServer(`sqlite:${path}`);
  await until('every member expired', () => progress().members === MEMBERS, 120_000);
  await sleep(3500); // one more timer round: a re-run that must change nothing
  const report = await ledgerReport(fetcherOf(server));
  // The job reports its progress: what the restarted server expired, by round.
  const jobs = (await call(fetcherOf(server), 'GET', '/api/admin/metrics', { token: TEST_ADMIN_TOKEN })).body.jobs;
  expect(jobs.expiry.handled).toBe(MEMBERS - atKill.members);
  expect(jobs.expiry.runs).toBeGreaterThan(1);
  await server.stop();
  server = undefined;

  expect(progress()).toEqual({ members: MEMBERS, events: MEMBERS });
  const db = new Database(path, { readonly: true });
  try {
    const open = db.prepare('SELECT COUNT(*) AS n FROM lots WHERE remaining > 0').get() as { n: number };
    const held = db.prepare("SELECT COALESCE(SUM(balance), 0) AS points FROM accounts WHERE kind = 'member'").get() as {
      points: number;
    };
    expect(open.n).toBe(0);
    expect(held.points).toBe(0);
  } finally {
    db.close();
  }
  expect(report).toMatchObject({ ok: true });
}, 240_000);
