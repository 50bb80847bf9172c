/**
 * Earning rules and tiers on every backend, through the services a payment
 * uses: a rule's versions decide what new payments earn and never what old
 * ones earned; caps hold across payments; growth moves members up on the
 * payment that crosses a threshold, a redemption never moves them down, a
 * refund takes growth back, and a tier drops only when its period ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accruals, type PaymentFact } from '../../cloudfunctions/core/payments/accrual.js';
import { EarningRules } from '../../cloudfunctions/core/services/earning-rules.js';
import { OrderEarning } from '../../cloudfunctions/core/services/order-earning.js';
import { EVERY_TOPIC } from '../../cloudfunctions/core/services/outbox-writer.js';
import { Tiers } from '../../cloudfunctions/core/services/tiers.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { testAudit } from '../support/test-audit.js';
import { ledgerFixture, spend, type LedgerFixture } from '../support/ledger-fixture.js';
import { balanceOf, memberIdOf } from '../support/notify.js';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
let seq = 0;
const audit = testAudit;

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `rules and tiers on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let f: LedgerFixture;
      let rules: EarningRules;
      let tiers: Tiers;
      let accruals: Accruals;

      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        f = ledgerFixture(store);
        const clock = () => f.clock.now;
        rules = new EarningRules({ store, clock, timeZone: TZ, approval: false });
        tiers = new Tiers({ store, clock, timeZone: TZ, outbox: EVERY_TOPIC });
        accruals = new Accruals({
          store,
          clock,
          expiry: { ttlDays: 365, timeZone: TZ },
          linkClaims: 2,
          earning: new OrderEarning({ rules, tiers, timeZone: TZ }),
          tiers,
        });
      });
      afterAll(() => store?.close());

      const pay = async (openid: string, paidFen: number, storeId = 'S001') => {
        const fact: PaymentFact = {
          channel: 'wechatpay',
          tradeNo: `T${++seq}-${backend.name}`,
          outTradeNo: `O${seq}`,
          appId: 'wxapp',
          payer: { kind: 'member', openid },
          totalFen: paidFen,
          paidFen,
          storeId,
          paidAt: f.clock.now,
        };
        expect(await accruals.recordPayment(fact, audit(fact.tradeNo))).toMatch(/^accrued|paid-no-points$/);
        return fact;
      };
      const earnedBy = async (fact: PaymentFact) => store.transaction((tx) => tx.findEvent('wechatpay', fact.tradeNo));

      it('a rule’s versions decide what new payments earn; points already given never change', async () => {
        const openid = `rules-${backend.name}`;
        const r = await rules.create('hq', {
          name: '门店双倍',
          priority: 0,
          stacking: 'best',
          when: { storeIds: ['S-RULES'] },
          then: { multiplier: 2 },
          caps: {},
        });
        const draft = await pay(openid, 10_000, 'S-RULES');
        expect((await rules.publish('hq', r.id)).activeVersion).toBe(1);
        const v1 = await pay(openid, 10_000, 'S-RULES');
        await rules.update('hq', r.id, { then: { multiplier: 3 } });
        const stillV1 = await pay(openid, 10_000, 'S-RULES');
        await rules.publish('hq', r.id);
        const v2 = await pay(openid, 10_000, 'S-RULES');
        await rules.archive('hq', r.id);
        const archived = await pay(openid, 10_000, 'S-RULES');
        const other = await pay(openid, 10_000, 'S002');

        const deltas = await Promise.all(
          [draft, v1, stillV1, v2, archived, other].map(async (p) => (await earnedBy(p))!),
        );
        expect(deltas.map((e) => e.delta)).toEqual([100, 200, 200, 300, 100, 100]);
        expect(deltas.map((e) => (e.meta.rules as { id: string; version: number }[]).map((a) => a.version))).toEqual([
          [],
          [1],
          [1],
          [2],
          [],
          [],
        ]);
        expect((deltas[1]!.meta.rules as { id: string }[])[0]!.id).toBe(r.id);
        expect(await balanceOf(store, openid)).toBe(1000);
        expect((await rules.versions(r.id)).map((v) => v.version)).toEqual([1, 2]);
        expect((await f.verify()).ok).toBe(true);
      });

      it('a per-member daily cap holds across payments and resets at local midnight', async () => {
        const openid = `caps-${backend.name}`;
        const r = await rules.create('hq', {
          name: '每单送 50',
          priority: 0,
          stacking: 'best',
          when: { storeIds: ['S-CAPS'] },
          then: { bonus: 50 },
          caps: { perMemberPerDay: 80 },
        });
        await rules.publish('hq', r.id);
        f.clock.now = Date.parse('2026-12-05T23:00:00+08:00');
        for (let i = 0; i < 3; i++) await pay(openid, 1_000, 'S-CAPS');
        expect(await balanceOf(store, openid)).toBe(3 * 10 + 50 + 30 + 0);
        f.clock.now = Date.parse('2026-12-06T00:00:00+08:00');
        await pay(openid, 1_000, 'S-CAPS');
        expect(await balanceOf(store, openid)).toBe(110 + 10 + 50);
        await rules.archive('hq', r.id);
      });

      it('tiers: up on the payment that crosses the threshold, never down on redemption, down only at the period’s end', async () => {
        const openid = `tier-${backend.name}`;
        const start = Date.parse('2026-01-10T12:00:00+08:00');
        f.clock.now = start;
        const first = await pay(openid, 99_950); // 999 growth
        const m = await memberIdOf(store, openid);
        const tierOf = async () => (await store.transaction((tx) => tx.getMember(m)))!;
        expect((await tierOf()).tier).toBe('bronze');
        await pay(openid, 100); // 1,000 growth: silver now
        expect(await tierOf()).toMatchObject({ tier: 'silver', growth: 1000 });
        const until = (await tierOf()).tierUntil!;
        expect(until).toBeGreaterThan(start + 364 * DAY);

        await spend(f, m, 900, `tier-spend-${backend.name}`);
        expect((await tierOf()).tier).toBe('silver');

        // The first payment refunded in full: its growth goes, the tier stays for the period.
        await accruals.recordRefund(
          {
            channel: 'wechatpay',
            tradeNo: first.tradeNo,
            refundKey: `RF-${backend.name}`,
            amountFen: 99_950,
            cumulative: false,
          },
          audit(first.tradeNo),
        );
        expect((await tierOf()).tier).toBe('silver');
        expect((await tiers.view(await tierOf(), f.clock.now)).growth).toBe(1);
        f.clock.now = until - 1000;
        await tiers.sweepPeriods();
        expect((await tierOf()).tier).toBe('silver');
        f.clock.now = until + 1000;
        expect(await tiers.sweepPeriods()).toBeGreaterThanOrEqual(1);
        expect(await tierOf()).toMatchObject({ tier: 'bronze', tierUntil: null });

        const view = await tiers.view(await tierOf(), f.clock.now);
        expect(view).toMatchObject({ code: 'bronze', next: { code: 'silver' } });
        const topics = (await store.dueOutbox(Number.MAX_SAFE_INTEGER, 1000))
          .filter((o) => o.memberId === m && o.topic === 'tier.changed')
          .map((o) => `${String(o.payload.from)}→${String(o.payload.to)}`);
        expect(topics).toEqual(['bronze→silver', 'silver→bronze']);
        expect((await f.verify()).ok).toBe(true);
      });

      it('a tier earned again within the period is kept for another period', async () => {
        const openid = `keep-${backend.name}`;
        f.clock.now = Date.parse('2027-03-01T12:00:00+08:00');
        await pay(openid, 100_000);
        const m = await memberIdOf(store, openid);
        const until = (await store.transaction((tx) => tx.getMember(m)))!.tierUntil!;
        f.clock.now = until - 30 * DAY;
        await pay(openid, 100_000); // inside the next rolling window: 1,000 growth again
        f.clock.now = until + 1000;
        await tiers.sweepPeriods();
        const after = (await store.transaction((tx) => tx.getMember(m)))!;
        expect(after.tier).toBe('silver');
        expect(after.tierUntil).toBeGreaterThan(until + 300 * DAY);
      });
    },
  );
}
