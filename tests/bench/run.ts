/**
 * `npm run bench`: ledger throughput and latency on SQLite and PostgreSQL,
 * in-process and over HTTP, verified WeChat Pay notifications over HTTP,
 * then a verification of each ledger. Prints a table per backend and a
 * one-line JSON summary. Timing is never asserted; the exit code is 1 only
 * when a ledger fails verification or a run breaks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLedger } from '../../cloudfunctions/core/domain/verify.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { createDatabase, startPostgres, type PgServer } from '../support/postgres.js';
import { Checks } from './checks.js';
import { benchHttp, type HttpSizes } from './http-bench.js';
import { benchDirect, type DirectSizes } from './ledger-bench.js';
import { benchNotify, type NotifySizes } from './notify-bench.js';
import { benchRedeem, type RedeemSizes } from './redeem-bench.js';
import { benchExpiry, type ExpirySizes } from './expiry-bench.js';
import { benchRules } from './rules-bench.js';
import { bareSqliteAccruals, barePostgresAccruals, ratio } from './baseline-bench.js';
import { buildServer } from '../../cloudfunctions/local/build-server.js';
import { budget, formatTable, type Row } from './stats.js';

// Sized for about two and a half minutes on 2 cores; per-phase bounds, BACKEND_BUDGET_MS (direct and
// http) and NOTIFY_BUDGET_MS (payment notifications) cap a slow machine.
const BACKEND_BUDGET_MS = 75_000;
const NOTIFY_BUDGET_MS = 35_000;
const HTTP: HttpSizes = {
  members: 200,
  grants: 3000,
  reads: 5000,
  concurrency: 32,
  writeMaxMs: 20_000,
  readMaxMs: 10_000,
};
// Every notification is signed before its phase starts and must arrive within WeChat's 300 s window.
const NOTIFY: NotifySizes = {
  members: 200,
  payments: 2000,
  busyPayments: 1000,
  warmUp: 200,
  concurrency: 32,
  writeMaxMs: 12_000,
  replayMaxMs: 6000,
};
const DIRECT: Record<'sqlite' | 'postgres', DirectSizes> = {
  sqlite: {
    members: 1000,
    credits: 5000,
    reads: 10_000,
    debits: 1000,
    concurrency: 16,
    writeMaxMs: 12_000,
    readMaxMs: 6000,
  },
  postgres: {
    members: 1000,
    credits: 3000,
    reads: 5000,
    debits: 500,
    concurrency: 16,
    writeMaxMs: 12_000,
    readMaxMs: 6000,
  },
};

const REDEEM: Record<'sqlite' | 'postgres', RedeemSizes> = {
  sqlite: { contended: 1000, spreadMembers: 200, spread: 2000, concurrency: 16, maxMs: 10_000 },
  postgres: { contended: 500, spreadMembers: 200, spread: 1000, concurrency: 16, maxMs: 10_000 },
};

const started = performance.now();
const progress = (msg: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

interface BackendSummary {
  verified?: boolean;
  skipped?: string;
  failed?: string;
  ops?: Record<string, { opsPerSec: number; p50: number; p99: number; ok: number; ops: number }>;
  /** Notifications end to end ÷ the bare accrual transaction of the same engine, in this run. */
  notifyRatio?: number;
  rssMb?: { idle: number; peak: number };
}

/** The expiry job over a million due lots (SQLite). */
const EXPIRY: ExpirySizes = { members: 10_000, lotsPerMember: 100, pointsPerLot: 5 };

/** How many bare accrual transactions each baseline runs (bounded by time too). */
const BARE = { count: 20_000, maxMs: 8000 };

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const round = (v: number, digits: number) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

async function benchBackend(label: 'sqlite' | 'postgres', url: string): Promise<BackendSummary> {
  const checks = new Checks();
  const rows: Row[] = [];
  budget.until = performance.now() + BACKEND_BUDGET_MS;

  const store = await openStore(url);
  let directLiability: number;
  try {
    const direct = await benchDirect(label, store, DIRECT[label], checks, progress);
    rows.push(...direct.rows);
    const redeem = await benchRedeem(label, store, REDEEM[label], checks, progress);
    rows.push(...redeem.rows);
    directLiability = direct.liability + redeem.liability;
  } finally {
    // Closed before the server opens the same database: one writer process at a time, as in production.
    await store.close();
  }

  const http = await benchHttp(label, url, HTTP, checks, progress);
  rows.push(...http.rows);

  // Its own budget: the notification phases are not squeezed by however long the phases above took.
  budget.until = performance.now() + NOTIFY_BUDGET_MS;
  const notify = await benchNotify(label, url, NOTIFY, checks, progress);
  rows.push(...notify.rows);

  // The yardstick, right after: the engine's bare accrual transaction on this machine, now.
  progress(`${label}: the bare accrual transaction (the yardstick)…`);
  const bare =
    label === 'sqlite'
      ? bareSqliteAccruals(BARE.count, BARE.maxMs)
      : await barePostgresAccruals(url, BARE.count, BARE.maxMs);
  rows.push(bare);
  const fresh = notify.rows.find((r) => r.name.includes('(new)'))!;
  const comparison = ratio(`${label} notifications end to end ÷ bare accrual`, fresh, bare);

  progress(`${label}: verifying the ledger…`);
  const check = await openStore(url);
  try {
    const report = verifyLedger(await check.ledgerSummary());
    const counts = await check.counts();
    const expected = directLiability + http.liability + notify.liability;
    checks.add(
      `${label} verifyLedger`,
      report.ok,
      report.ok
        ? `ok over ${report.totals.accounts} accounts, ${counts.events} events, ${counts.entries} entries`
        : report.problems.slice(0, 10).join('; '),
    );
    checks.add(
      `${label} member points = acknowledged writes`,
      report.totals.members === expected,
      `members hold ${report.totals.members}, acknowledged ${expected}`,
    );
  } finally {
    await check.close();
  }

  console.log(
    `\n${formatTable(`== ${label} (direct: ${DIRECT[label].concurrency} in flight; http: ${HTTP.concurrency} in flight; notify: ${NOTIFY.concurrency} in flight) ==`, rows)}`,
  );
  console.log(`${comparison}`);
  console.log(
    `${label} server memory: ${notify.rssMb.idle.toFixed(0)} MB idle, ${notify.rssMb.peak.toFixed(0)} MB at the notification peak`,
  );
  console.log(`${label} checks:\n${checks.format()}`);
  console.log(checks.allOk ? `${label}: LEDGER VERIFIED\n` : `${label}: CHECKS FAILED — see the FAIL lines above\n`);
  const ops: BackendSummary['ops'] = {};
  for (const r of rows)
    ops[slug(r.name)] = {
      opsPerSec: Math.round(r.opsPerSec),
      p50: round(r.p50, 3)!,
      p99: round(r.p99, 3)!,
      ok: r.ok,
      ops: r.ops,
    };
  const notifyRatio = round(fresh.opsPerSec / bare.opsPerSec, 3) ?? undefined;
  const rssMb = { idle: Math.round(notify.rssMb.idle), peak: Math.round(notify.rssMb.peak) };
  return { verified: checks.allOk, ops, notifyRatio, rssMb };
}

async function guarded(label: 'sqlite' | 'postgres', url: () => Promise<string>): Promise<BackendSummary> {
  try {
    return await benchBackend(label, await url());
  } catch (e) {
    console.log(`${label}: FAILED: ${(e as Error).stack ?? e}\n`);
    return { failed: (e as Error).message.split('\n')[0] };
  }
}

async function benchExpiryPhase(path: string): Promise<BackendSummary> {
  try {
    const checks = new Checks();
    const rows = await benchExpiry(path, EXPIRY, checks, progress);
    console.log(`\n${formatTable('== expiry job (sqlite, 8 members in flight) ==', rows)}`);
    console.log(`expiry checks:\n${checks.format()}\n`);
    const ops: BackendSummary['ops'] = {};
    for (const r of rows)
      ops[slug(r.name)] = { opsPerSec: Math.round(r.opsPerSec), p50: 0, p99: 0, ok: r.ok, ops: r.ops };
    return { verified: checks.allOk, ops };
  } catch (e) {
    console.log(`expiry: FAILED: ${(e as Error).stack ?? e}\n`);
    return { failed: (e as Error).message.split('\n')[0] };
  }
}

async function main(): Promise<void> {
  // Load average matters here: other work on the machine moves every number below.
  const loadBefore = load();
  console.log(
    `jifen bench: node ${process.version}, ${availableParallelism()} cores, load ${loadBefore}, ${new Date().toISOString()}\n`,
  );
  const summary: Record<string, BackendSummary> = {};
  await buildServer(); // the servers below run what `npm start` runs, built from the source as it is now

  progress('rules: evaluating 100,000 orders with no rules, then with 50…');
  const rules = benchRules();
  console.log(`\n${formatTable('== earning-rule evaluation (pure CPU; the ms columns are per order) ==', rules.rows)}`);
  console.log(`${rules.summary}\n`);
  summary.rules = {
    verified: true,
    ops: Object.fromEntries(
      rules.rows.map((r) => [
        slug(r.name),
        { opsPerSec: Math.round(r.opsPerSec), p50: round(r.p50, 4)!, p99: round(r.p99, 4)!, ok: r.ok, ops: r.ops },
      ]),
    ),
  };

  const dir = mkdtempSync(join(tmpdir(), 'jifen-bench-'));
  try {
    summary.sqlite = await guarded('sqlite', async () => `sqlite:${join(dir, 'jifen.db')}`);
    summary.expiry = await benchExpiryPhase(join(dir, 'expiry.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  progress('postgres: starting a server…');
  let pg: PgServer | undefined;
  try {
    pg = await startPostgres();
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0] ?? 'unknown';
    console.log(`PostgreSQL skipped: ${reason}\n`);
    summary.postgres = { skipped: reason };
  }
  if (pg) {
    const server = pg;
    // Ctrl-C must not leave a PostgreSQL server and its data directory behind.
    const onSignal = () => {
      server.stop();
      process.exit(130);
    };
    process.once('SIGINT', onSignal);
    try {
      summary.postgres = await guarded('postgres', () => createDatabase(server.url, 'jifen_bench'));
    } finally {
      process.off('SIGINT', onSignal);
      server.stop();
    }
  }

  const ok = Object.values(summary).every((s) => s.verified || s.skipped);
  if (!ok) process.exitCode = 1;
  const seconds = round((performance.now() - started) / 1000, 1);
  const loadAfter = load();
  console.log(`load average before ${loadBefore}, after ${loadAfter}`);
  const machine = { node: process.version, cores: availableParallelism(), loadBefore, loadAfter };
  console.log(JSON.stringify({ bench: 'jifen', ...machine, seconds, ok, backends: summary }));
}

await main();
