/** Pay with points at the till on every backend: concurrent captures of one code, by one order or by many. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HQ_CALLER } from '../../cloudfunctions/core/services/staff.js';
import { Till } from '../../cloudfunctions/core/services/till.js';
import { ExpirySweep } from '../../cloudfunctions/core/services/expiry-sweep.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { grant, ledgerFixture, type LedgerFixture } from '../support/ledger-fixture.js';

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`till on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`, () => {
    let store: Store;
    let f: LedgerFixture;
    let till: Till;
    beforeAll(async () => {
      store = await openStore(await backend.freshUrl());
      f = ledgerFixture(store);
      till = new Till({
        store,
        clock: () => f.clock.now,
        ledger: f.ledger,
        cash: { pointsPerYuan: 100, maxShareBps: 5000 },
        refundWindowDays: 30,
      });
    });
    afterAll(() => store?.close());

    it('10 concurrent captures of one order deduct once; every answer is the same', async () => {
      const m = await f.member();
      await grant(f, m, 1000, `till-fund-${m}`);
      const { code } = await till.createCode(m, 600);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => till.capture(HQ_CALLER, { code, orderNo: `O-${m}`, amountFen: 100_000 })),
      );
      expect(new Set(answers.map((a) => a.points))).toEqual(new Set([600]));
      expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
      expect(await store.getAccount(m)).toMatchObject({ balance: 400, held: 0 });
    });

    it('10 different orders racing for one code: one captures, the rest are refused', async () => {
      const m = await f.member();
      await grant(f, m, 500, `till-fund-${m}`);
      const { code } = await till.createCode(m, null);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          till.capture(HQ_CALLER, { code, orderNo: `R-${m}-${i}`, amountFen: 100_000 }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o.reason as { code: string }).code);
      expect(new Set(refused)).toEqual(new Set(['HOLD_CLOSED']));
      expect(await store.getAccount(m)).toMatchObject({ balance: 0, held: 0 });
      expect((await f.verify()).problems).toEqual([]);
    });

    it('a refunded till payment returns the points with the expiries they had, not a fresh one', async () => {
      const m = await f.member();
      await grant(f, m, 300, `till-old-${m}`);
      const lotsBefore = (await store.openLots(m)).map((l) => [l.remaining, l.expiresAt]);
      f.clock.now += 100 * 24 * 3600_000; // a fresh lot today would expire 100 days later than these
      const { code } = await till.createCode(m, 300);
      await till.capture(HQ_CALLER, { code, orderNo: `E-${m}`, amountFen: 100_000 });
      expect(await store.openLots(m)).toEqual([]);
      await till.refundOrder(HQ_CALLER, { orderNo: `E-${m}` });
      expect((await store.openLots(m)).map((l) => [l.remaining, l.expiresAt])).toEqual(lotsBefore);
      expect((await f.verify()).problems).toEqual([]);
    });

    it('the expiry sweep always makes progress: 150 members whose due points are all held, then one it can expire', async () => {
      const DAY = 86_400_000;
      const g = ledgerFixture(store); // its own clock: these lots expire in 365 days
      const sweep = new ExpirySweep({ store, clock: () => g.clock.now, ledger: g.ledger });
      const make = async (id: string, held: boolean) => {
        await store.transaction(async (tx) => {
          await tx.insertMember({
            id,
            openid: `o-${id}`,
            unionid: null,
            status: 'active',
            growth: 0,
            createdAt: g.clock.now,
          });
          await tx.insertAccount(id, 'member', g.clock.now);
        });
        await grant(g, id, 10, `wedge-fund-${id}`);
        // A redemption in review holds points for years: they never expire while held.
        if (held)
          await g.ledger.hold({
            key: { source: 'test', externalId: `wedge-hold-${id}` },
            memberId: id,
            points: 10,
            ttlMs: 3650 * DAY,
          });
      };
      const prefix = `m_wedge_${backend.name.slice(0, 4)}_`;
      for (let i = 0; i < 150; i++) await make(`${prefix}a${String(i).padStart(3, '0')}`, true);
      const last = `${prefix}z999`;
      await make(last, false);
      g.clock.now += 400 * DAY;
      expect(await sweep.run()).toBeGreaterThanOrEqual(1);
      expect(await store.getAccount(last)).toMatchObject({ balance: 0 });
      expect(await store.getAccount(`${prefix}a000`)).toMatchObject({ balance: 10, held: 10 });
      expect((await g.verify()).problems).toEqual([]);
    });

    it('pay codes of long-closed holds are pruned; a live one is kept', async () => {
      const m = await f.member();
      await grant(f, m, 100, `prune-${m}`);
      const sweep = new ExpirySweep({ store, clock: () => f.clock.now, ledger: f.ledger });
      const old = await till.createCode(m, 10);
      f.clock.now += 2 * 86_400_000;
      const live = await till.createCode(m, 10);
      expect(await sweep.prunePayCodes(1000)).toBeGreaterThanOrEqual(1);
      expect(await store.transaction((tx) => tx.holdOfPayCode(old.code))).toBeNull();
      expect(await store.transaction((tx) => tx.holdOfPayCode(live.code))).toBe(live.holdId);
    });
  });
}
