/**
 * `npm run backup [-- --out FILE]`: a consistent copy of the SQLite database
 * while the server runs (SQLite's online backup API, page by page, with
 * progress), then the copy is opened on its own and its ledger verified
 * (every balance equals its entries, every event balances). Exits 1 when the
 * copy does not verify.
 *
 * `npm run restore -- FILE`: verifies FILE the same way, refuses while the
 * database is in use (stop the server first), then puts FILE in its place
 * atomically and verifies the result.
 *
 * PostgreSQL and CloudBase have their own tools: docs/deploy.md.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { verifyLedger, type LedgerReport } from '../core/domain/verify.js';
import { openStore } from '../core/store/open-store.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const url = process.env.DATABASE_URL ?? 'sqlite:data/jifen.db';

function sqlitePath(): string {
  if (!url.startsWith('sqlite:') || url === 'sqlite::memory:') {
    fail(
      `npm run backup copies a SQLite file; DATABASE_URL is ${url.split(':')[0]}: see docs/deploy.md for its own tools.`,
    );
  }
  return url.slice('sqlite:'.length);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** Opens a copy as the server would and checks its ledger. */
async function verify(file: string): Promise<LedgerReport & { counts: Record<string, number> }> {
  const store = await openStore(`sqlite:${file}`);
  try {
    return { ...verifyLedger(await store.ledgerSummary()), counts: await store.counts() };
  } finally {
    await store.close();
  }
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');

async function backup(): Promise<void> {
  const source = sqlitePath();
  if (!existsSync(source)) fail(`No database at ${source}.`);
  const out = values.out ?? join(dirname(source), 'backups', `jifen-${stamp()}.db`);
  mkdirSync(dirname(out), { recursive: true });
  if (existsSync(out)) fail(`${out} exists already; choose another --out.`);
  // A reader on a WAL database: it copies one snapshot while the server keeps writing (WAL readers never
  // block writers). All pages in one step: copied in several, every write by the server between two steps
  // would restart the copy, which under a steady stream of payments might never end.
  const db = new Database(source, { readonly: true, fileMustExist: true });
  const started = Date.now();
  await db.backup(out, {
    progress({ totalPages, remainingPages }) {
      const done = totalPages - remainingPages;
      process.stdout.write(`\rcopying ${done}/${totalPages} pages (${Math.round((done / totalPages) * 100)}%)`);
      return Number.MAX_SAFE_INTEGER;
    },
  });
  db.close();
  process.stdout.write(`\ncopied ${source} → ${out} in ${Date.now() - started} ms\n`);
  const report = await verify(out);
  console.log(
    `ledger ${report.ok ? 'verifies' : 'DOES NOT VERIFY'}: ${report.totals.members} member accounts, liability ${report.totals.liability} points, ${report.counts.events ?? 0} events`,
  );
  if (!report.ok) fail(report.problems.join('\n'));
}

async function restore(file: string | undefined): Promise<void> {
  if (!file || !existsSync(file)) fail('usage: npm run restore -- <backup file>');
  const target = sqlitePath();
  const checked = await verify(file);
  if (!checked.ok) fail(`${file} does not verify; nothing restored:\n${checked.problems.join('\n')}`);
  if (existsSync(target)) {
    // In WAL mode BEGIN EXCLUSIVE alone succeeds beside an idle server; in exclusive locking mode it is
    // granted only when no other connection has the database open at all (measured: an idle holder in
    // another process makes it "database is locked").
    const db = new Database(target);
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('ROLLBACK');
    } catch {
      fail(`${target} is in use: stop the server, then restore.`);
    } finally {
      db.close();
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.restoring`;
  copyFileSync(file, temp);
  for (const side of ['-wal', '-shm']) rmSync(`${target}${side}`, { force: true });
  renameSync(temp, target); // atomic on one file system: the old file or the new one, never half
  const after = await verify(target);
  console.log(`restored ${file} → ${target}; ledger ${after.ok ? 'verifies' : 'DOES NOT VERIFY'}`);
  if (!after.ok) fail(after.problems.join('\n'));
}

const command = positionals[0] === 'restore' ? restore(positionals[1]) : backup();
command.catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
