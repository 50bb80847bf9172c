/**
 * Direct (in-process) benchmarks: the services called on a Store, no HTTP.
 * Each phase is bounded by count and time; what it wrote is tallied so the
 * final verification can compare the ledger with what was acknowledged.
 */
import { errors } from '../../cloudfunctions/core/domain/errors.js';
import { Ledger } from '../../cloudfunctions/core/services/ledger.js';
import { Members } from '../../cloudfunctions/core/services/members.js';
import { PhoneVault } from '../../cloudfunctions/core/services/phones.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import type { Checks } from './checks.js';
import { runPool, summarize, type Row } from './stats.js';

export interface DirectSizes {
  members: number;
  credits: number;
  reads: number;
  /** Guarded debits on one member. */
  debits: number;
  concurrency: number;
  writeMaxMs: number;
  readMaxMs: number;
}

export interface DirectResult {
  rows: Row[];
  /** Points the member accounts should hold, from acknowledged writes only. */
  liability: number;
}

const TIME_ZONE = 'Asia/Shanghai';

export async function benchDirect(
  label: string,
  store: Store,
  size: DirectSizes,
  checks: Checks,
  progress: (msg: string) => void,
): Promise<DirectResult> {
  const clock = Date.now;
  const ledger = new Ledger({ store, clock, expiry: { ttlDays: 365, timeZone: TIME_ZONE } });
  const members = new Members({
    store,
    clock,
    timeZone: TIME_ZONE,
    vault: new PhoneVault('bench-secret-0123456789abcdef0123456789'),
  });
  const writes = { count: 0, concurrency: size.concurrency, maxMs: size.writeMaxMs };
  const reads = { count: size.reads, concurrency: size.concurrency, maxMs: size.readMaxMs };
  const rows: Row[] = [];
  let liability = 0;

  progress(`${label}: direct members (${size.members}, ${size.concurrency} in flight)…`);
  const ids: string[] = [];
  const made = await runPool('create member', { ...writes, count: size.members }, async (i) => {
    ids.push((await members.findOrCreateByOpenid(`bench-direct-${i}`)).id);
  });
  rows.push(summarize(made));
  if (ids.length === 0) throw new Error(`${label}: no member could be created: ${JSON.stringify(made.errors)}`);

  // Unique keys over many members: the uncontended write path.
  const movement = (i: number) => ({
    key: { source: 'bench', externalId: `credit-${i}` },
    memberId: ids[i % ids.length]!,
    points: 10 + (i % 7),
    kind: 'earn' as const,
    counterparty: 'issued' as const,
  });
  progress(`${label}: direct credits (${size.credits}, ${size.concurrency} in flight)…`);
  const credited: boolean[] = [];
  const credits = await runPool('credit (unique key)', { ...writes, count: size.credits }, async (i) => {
    const m = movement(i);
    const posted = await ledger.credit(m);
    if (posted.replayed) throw errors.conflict('UNEXPECTED_REPLAY', 'a fresh key replayed');
    credited[i] = true;
    liability += m.points;
  });
  rows.push(summarize(credits));

  // The same keys again: exactly once means nothing is written.
  // Only keys that were acknowledged: a failed credit's key is still unused.
  const used = credited.flatMap((yes, i) => (yes ? [i] : []));
  progress(`${label}: direct replays (${used.length})…`);
  const before = await store.counts();
  const replays = await runPool('replay (same key)', { ...writes, count: used.length }, async (n) => {
    const posted = await ledger.credit(movement(used[n]!));
    if (!posted.replayed) throw errors.conflict('NOT_REPLAYED', 'a used key wrote again');
  });
  const after = await store.counts();
  rows.push(summarize(replays, 'reads only'));
  const same = JSON.stringify(before) === JSON.stringify(after);
  checks.add(
    `${label} direct replays wrote nothing`,
    same && replays.ok === replays.done,
    same
      ? `row counts unchanged (${after.events} events)`
      : `counts ${JSON.stringify(before)} → ${JSON.stringify(after)}`,
  );

  progress(`${label}: direct balance reads (${size.reads} × 2)…`);
  rows.push(summarize(await runPool('members.view', reads, (i) => members.view(ids[i % ids.length]!))));
  rows.push(summarize(await runPool('store.getAccount', reads, (i) => store.getAccount(ids[i % ids.length]!))));

  // One member, many writers: every debit waits for the member's lock.
  progress(`${label}: direct contended debits (${size.debits} on one member, ${size.concurrency} in flight)…`);
  const hot = await members.findOrCreateByOpenid('bench-direct-hot');
  await ledger.credit({
    ...movement(0),
    key: { source: 'bench', externalId: 'hot-funding' },
    memberId: hot.id,
    points: size.debits,
  });
  liability += size.debits;
  const debits = await runPool('debit (one member)', { ...writes, count: size.debits }, async (i) => {
    await ledger.debit({
      key: { source: 'bench', externalId: `debit-${i}` },
      memberId: hot.id,
      points: 1,
      kind: 'redeem',
      counterparty: 'redeemed',
    });
    liability -= 1;
  });
  rows.push(summarize(debits, '1 point each, guarded'));
  const left = (await store.getAccount(hot.id))?.balance;
  checks.add(
    `${label} contended debits`,
    left === size.debits - debits.ok,
    `${debits.ok} debits acknowledged, balance left ${left} (expected ${size.debits - debits.ok})`,
  );
  if (left === 0) {
    // The guard: one more point than there is must be refused, not overdrawn.
    const refused = await ledger
      .debit({
        key: { source: 'bench', externalId: 'debit-over' },
        memberId: hot.id,
        points: 1,
        kind: 'redeem',
        counterparty: 'redeemed',
      })
      .then(
        () => 'accepted',
        (e: unknown) => String((e as { code?: string }).code ?? e),
      );
    if (refused === 'accepted') liability -= 1;
    checks.add(
      `${label} overdraw refused`,
      refused === 'INSUFFICIENT_POINTS',
      `debit on an empty account → ${refused}`,
    );
  }
  return { rows, liability };
}
