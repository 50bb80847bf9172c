/**
 * The expiry job over a million lots on SQLite: 10,000 members holding 100
 * lots each, every one past its date. Members come through the real
 * service; their credits and lots are written straight into the file (a
 * million credits through the ledger would take minutes and measure the
 * credit path, not the sweep). Then ExpirySweep.run() repeats, as the
 * server's timer calls it, until a run changes nobody, printing progress.
 * Afterwards every lot is spent, every balance is zero, each member has
 * exactly one expiry event and the ledger verifies.
 */
import { verifyLedger } from '../../cloudfunctions/core/domain/verify.js';
import { ExpirySweep } from '../../cloudfunctions/core/services/expiry-sweep.js';
import { Ledger } from '../../cloudfunctions/core/services/ledger.js';
import { Members } from '../../cloudfunctions/core/services/members.js';
import { PhoneVault } from '../../cloudfunctions/core/services/phones.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Checks } from './checks.js';
import type { Row } from './stats.js';
import { seedDueLots } from '../support/due-lots.js';

export interface ExpirySizes {
  members: number;
  lotsPerMember: number;
  pointsPerLot: number;
}

const TIME_ZONE = 'Asia/Shanghai';
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

export async function benchExpiry(
  path: string,
  sizes: ExpirySizes,
  checks: Checks,
  progress: (msg: string) => void,
): Promise<Row[]> {
  const url = `sqlite:${path}`;
  const lots = sizes.members * sizes.lotsPerMember;
  progress(`expiry: seeding ${sizes.members} members with ${lots.toLocaleString('en')} lots…`);
  let store = await openStore(url);
  const members = new Members({
    store,
    clock: () => T0,
    timeZone: TIME_ZONE,
    vault: new PhoneVault('bench-secret-for-the-expiry-sweep-0123'),
  });
  const ids: string[] = [];
  for (let i = 0; i < sizes.members; i++) ids.push((await members.findOrCreateByOpenid(`o-expiry-${i}`)).id);
  await store.close();
  const seedStarted = performance.now();
  seedDueLots(path, ids, { ...sizes, createdAt: T0, expiresAt: T0 + 365 * DAY });
  const seedMs = performance.now() - seedStarted;

  store = await openStore(url);
  try {
    const now = T0 + 400 * DAY; // every lot expired at T0 + 365 days
    const ledger = new Ledger({ store, clock: () => now, expiry: { ttlDays: 365, timeZone: TIME_ZONE } });
    const sweep = new ExpirySweep({ store, clock: () => now, ledger });
    progress(`expiry: ${lots.toLocaleString('en')} lots seeded in ${(seedMs / 1000).toFixed(1)} s; sweeping…`);
    const latencies: number[] = [];
    let changed = 0;
    const started = performance.now();
    for (;;) {
      const t0 = performance.now();
      const n = await sweep.run();
      latencies.push(performance.now() - t0);
      if (n === 0) break;
      changed += n;
      progress(
        `expiry: ${changed}/${sizes.members} members (${Math.round((100 * changed) / sizes.members)}%), ${Math.round((changed * sizes.lotsPerMember) / ((performance.now() - started) / 1000)).toLocaleString('en')} lots/s`,
      );
    }
    const elapsedMs = performance.now() - started;

    const summary = await store.ledgerSummary();
    const report = verifyLedger(summary);
    const memberPoints = summary.accounts.filter((a) => a.kind === 'member').reduce((s, a) => s + a.balance, 0);
    const counts = await store.counts();
    checks.add('expiry verifyLedger', report.ok, report.ok ? 'ok' : report.problems.slice(0, 5).join('; '));
    checks.add('expiry every point expired', memberPoints === 0, `members hold ${memberPoints} points after the sweep`);
    checks.add(
      'expiry one event per member',
      changed === sizes.members,
      `${changed} members changed of ${sizes.members}; ${counts.events} events in all`,
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    return [
      {
        name: 'expiry sweep: lots expired',
        ops: lots,
        ok: memberPoints === 0 ? lots : 0,
        opsPerSec: (lots / elapsedMs) * 1000,
        p50: NaN,
        p95: NaN,
        p99: NaN,
        max: NaN,
        note: `${sizes.members} members × ${sizes.lotsPerMember} lots; ${latencies.length} runs of ExpirySweep.run(), longest ${(sorted[sorted.length - 1]! / 1000).toFixed(1)} s`,
      },
      {
        name: 'expiry sweep: members',
        ops: changed,
        ok: changed,
        opsPerSec: (changed / elapsedMs) * 1000,
        p50: NaN,
        p95: NaN,
        p99: NaN,
        max: NaN,
        note: 'one transaction per member: its lots, one expire event, two entries',
      },
    ];
  } finally {
    await store.close();
  }
}
