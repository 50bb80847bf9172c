/**
 * Must show: report totals equal the ledger's sums — a property test over
 * random event streams (earnings, bonuses, redemptions, clawbacks, manual
 * adjustments, across days and stores), on every backend. For each stream:
 * every column's total equals the sum of the events of its kinds as the
 * ledger recorded them, issued − redeemed − expired + adjusted equals the
 * liability, the last day's liability equals the member balances the ledger
 * verifies, grouping by store splits the same totals, and the same report
 * asked again (its closed days now read from their daily rollups) is equal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reports } from '../../cloudfunctions/core/services/reports.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { EventRow } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { key, ledgerFixture, T0 } from '../support/ledger-fixture.js';

type Op =
  | { t: 'earn' | 'bonus' | 'adjust' | 'redeem' | 'clawback' | 'deduct'; m: number; n: number; store: number }
  | { t: 'later'; hours: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constantFrom('earn', 'bonus', 'adjust', 'redeem', 'clawback', 'deduct'),
    m: fc.nat(2),
    n: fc.integer({ min: 1, max: 500 }),
    store: fc.nat(2),
  }),
  fc.record({ t: fc.constant('later' as const), hours: fc.integer({ min: 1, max: 40 }) }),
);
const STORES = ['S1', 'S2', null];
const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `reports on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      it('totals equal the ledger’s sums over random event streams', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
            const store = await openStore(await backend.freshUrl());
            try {
              const f = ledgerFixture(store);
              const members = [await f.member(), await f.member(), await f.member()];
              const events: EventRow[] = [];
              let seq = 0;
              for (const o of ops) {
                if (o.t === 'later') {
                  f.clock.now += o.hours * 3_600_000;
                  continue;
                }
                const m = {
                  key: key(`r-${seq++}`),
                  memberId: members[o.m]!,
                  points: o.n,
                  storeId: STORES[o.store],
                };
                const posted =
                  o.t === 'earn'
                    ? f.ledger.credit({ ...m, kind: 'earn', counterparty: 'issued' })
                    : o.t === 'bonus'
                      ? f.ledger.credit({ ...m, kind: 'bonus', counterparty: 'issued' })
                      : o.t === 'adjust'
                        ? f.ledger.credit({ ...m, kind: 'adjust', counterparty: 'adjusted' })
                        : o.t === 'deduct'
                          ? f.ledger.debit({ ...m, kind: 'adjust', counterparty: 'adjusted' })
                          : o.t === 'redeem'
                            ? f.ledger.debit({ ...m, kind: 'redeem', counterparty: 'redeemed' })
                            : f.ledger.clawback({ ...m, kind: 'refund', counterparty: 'issued' });
                // A debit beyond the balance is refused and records nothing.
                const r = await posted.catch(() => null);
                if (r) events.push(r.result);
              }
              const sumOf = (kinds: string[]) =>
                events.filter((e) => kinds.includes(e.kind)).reduce((n, e) => n + e.delta, 0);
              const reports = new Reports({ store, timeZone: 'Asia/Shanghai', pointValueFen: 3, clock: Date.now });
              const report = await reports.daily(day(T0), day(f.clock.now), null);
              const t = report.totals;
              expect(t.issued).toBe(sumOf(['earn', 'bonus', 'refund']));
              expect(t.redeemed).toBe(0 - sumOf(['redeem']));
              expect(t.adjusted).toBe(sumOf(['adjust']));
              expect(t.expired).toBe(0);
              const verified = await f.verify();
              expect(verified.ok).toBe(true);
              expect(t.liabilityPoints).toBe(verified.totals.members);
              expect(t.issued - t.redeemed - t.expired + t.adjusted).toBe(t.liabilityPoints);
              expect(t.liabilityFen).toBe(3 * t.liabilityPoints!);
              expect(report.rows.at(-1)!.liabilityPoints).toBe(t.liabilityPoints);
              const active = new Set(
                events.filter((e) => ['earn', 'bonus', 'redeem'].includes(e.kind)).map((e) => e.memberId),
              );
              expect(t.activeMembers).toBe(active.size);
              // Asked again, the closed days come from their rollups (T0's day closed long ago): the same report.
              expect(await reports.daily(day(T0), day(f.clock.now), null)).toEqual(report);
              expect((await store.configDocs('report_days')).length).toBeGreaterThan(0);

              const byStore = await reports.daily(day(T0), day(f.clock.now), 'store');
              expect(await reports.daily(day(T0), day(f.clock.now), 'store')).toEqual(byStore);
              for (const k of ['issued', 'redeemed', 'adjusted'] as const) {
                expect(byStore.rows.reduce((n, r) => n + r[k], 0)).toBe(t[k]);
              }
              for (const s of ['S1', 'S2']) {
                expect(byStore.rows.filter((r) => r.group === s).reduce((n, r) => n + r.issued, 0)).toBe(
                  events
                    .filter((e) => e.storeId === s && ['earn', 'bonus', 'refund'].includes(e.kind))
                    .reduce((n, e) => n + e.delta, 0),
                );
              }
            } finally {
              await store.close();
            }
          }),
          { numRuns: 12 },
        );
      }, 120_000);
    },
  );
}
