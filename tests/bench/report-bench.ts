/**
 * `npm run bench:report`: the daily report over a year of ledger on SQLite.
 * A year of events (REPORT_EVENTS, default 730,000: 2,000 a business day,
 * members, stores and kinds mixed) is written straight into a migrated file
 * (through the ledger it would take many minutes; the report reads only
 * events and accounts). Then the report for the whole year, ungrouped and by
 * store, region and tier: once cold (no day rolled up: the report sums the
 * events and saves each day's sums), then the rollup job for the other
 * groupings, then each five times warm. Printed as p50 and max, beside a
 * baseline measured in the same run: one plain full scan of the events
 * (SELECT SUM(delta) FROM events). A warm report still reads the events
 * once for the distinct active members of the year and the change since
 * its first day. Fails only if a report's totals disagree with a direct sum.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { Reports } from '../../cloudfunctions/core/services/reports.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';

const EVENTS = Number(process.env.REPORT_EVENTS ?? 730_000);
const MEMBERS = 10_000;
const STORES = 20;
const TZ = 'Asia/Shanghai';
const path = join(mkdtempSync(join(tmpdir(), 'jifen-report-bench-')), 'jifen.db');

const store = await openStore(`sqlite:${path}`); // migrates
await store.close();

const first = DateTime.fromISO('2025-12-01', { zone: TZ });
const last = first.plus({ days: 364 });
const seeded = Date.now();
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF'); // seeding only; the report reads
const kinds = ['earn', 'earn', 'earn', 'claim', 'bonus', 'redeem', 'capture', 'expire', 'adjust', 'refund'];
db.transaction(() => {
  const member = db.prepare("INSERT INTO members (id, status, growth, tier, created_at) VALUES (?, 'active', 0, ?, 0)");
  const account = db.prepare(
    "INSERT INTO accounts (id, kind, balance, held, version, created_at) VALUES (?, 'member', ?, 0, 0, 0)",
  );
  const shop = db.prepare('INSERT INTO stores (id, name, region, created_at) VALUES (?, ?, ?, 0)');
  for (let s = 0; s < STORES; s++) shop.run(`S${s}`, `店${s}`, ['华东', '华南', '华北'][s % 3]);
  const balance = new Map<string, number>();
  const memberId = (i: number) => `m_bench${String(i).padStart(6, '0')}`;
  for (let i = 0; i < MEMBERS; i++) {
    member.run(memberId(i), ['bronze', 'silver', 'gold'][i % 3]);
    account.run(memberId(i), 0);
  }
  const event = db.prepare(
    `INSERT INTO events (source, external_id, kind, member_id, delta, balance_after, held_after, store_id, meta, created_at)
     VALUES ('bench', ?, ?, ?, ?, 0, 0, ?, '{}', ?)`,
  );
  const span = last.endOf('day').toMillis() - first.toMillis();
  for (let i = 0; i < EVENTS; i++) {
    const kind = kinds[i % kinds.length]!;
    const m = memberId(i % MEMBERS);
    const n = 1 + ((i * 7919) % 300);
    const delta = ['redeem', 'capture', 'expire'].includes(kind) || (kind === 'refund' && i % 2) ? -n : n;
    balance.set(m, (balance.get(m) ?? 0) + delta);
    event.run(
      `e${i}`,
      kind,
      m,
      delta,
      i % 4 ? `S${i % STORES}` : null,
      first.toMillis() + Math.floor((i / EVENTS) * span),
    );
  }
  const setBalance = db.prepare('UPDATE accounts SET balance = ? WHERE id = ?');
  for (const [m, b] of balance) setBalance.run(b, m);
})();
const direct = (db.prepare('SELECT SUM(delta) AS s FROM events').get() as { s: number }).s;
db.close();
console.log(
  `seeded ${EVENTS.toLocaleString('en-US')} events over 365 days in ${((Date.now() - seeded) / 1000).toFixed(1)} s`,
);

const reader = await openStore(`sqlite:${path}`);
// The year ends before today, so every day of it is closed and can be rolled up.
const reports = new Reports({ store: reader, timeZone: TZ, pointValueFen: 1, clock: Date.now });
const baseline = new Database(path, { readonly: true });
const time = async (fn: () => unknown) => {
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[2]!, max: ms[4]! };
};
const scan = await time(() => baseline.prepare('SELECT SUM(delta) FROM events').get());
console.log(`baseline, one full scan of the events: p50 ${scan.p50.toFixed(0)} ms, max ${scan.max.toFixed(0)} ms`);
let ok = true;
const check = (r: Awaited<ReturnType<Reports['daily']>>) => {
  const net = r.totals.issued - r.totals.redeemed - r.totals.expired + r.totals.adjusted;
  ok &&= net === direct && r.totals.liabilityPoints === direct;
  return net === direct;
};
// Cold: no day rolled up yet, as on the first report after an upgrade; this report sums the events and saves them.
// Then the cron job rolls up the other groupings, as it does each night, and every report after is warm.
const from = first.toISODate()!;
const to = last.toISODate()!;
const cold = performance.now();
check(await reports.daily(from, to, null));
console.log(
  `report, 365 days, by day, cold (sums the events, saves the rollups): ${(performance.now() - cold).toFixed(0)} ms`,
);
const job = performance.now();
let rolled = 0;
let steps = 0;
let longest = 0;
for (let n = -1; n !== 0; steps++) {
  const step = performance.now();
  n = await reports.rollUp();
  longest = Math.max(longest, performance.now() - step);
  rolled += n;
}
console.log(
  `rollup job, the other groupings: ${rolled} day-sums in ${steps} steps, ${(performance.now() - job).toFixed(0)} ms ` +
    `(longest step ${longest.toFixed(0)} ms)`,
);
for (const groupBy of [null, 'store', 'region', 'tier'] as const) {
  let report: Awaited<ReturnType<Reports['daily']>> | null = null;
  const t = await time(async () => {
    report = await reports.daily(from, to, groupBy);
  });
  const agree = check(report!);
  console.log(
    `report, 365 days, ${groupBy ?? 'by day'}, warm: p50 ${t.p50.toFixed(0)} ms, max ${t.max.toFixed(0)} ms ` +
      `(${(t.p50 / scan.p50).toFixed(1)} × the scan), ${report!.rows.length} rows, totals agree: ${agree}`,
  );
}
baseline.close();
await reader.close();
if (!ok) process.exit(1);
