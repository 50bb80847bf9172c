/**
 * One-tap redemption on every backend, through Catalog and Redemptions: never overdrawn, never over stock, once
 * per requestId, limits and refusals that write nothing, the review queue and cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '../../cloudfunctions/core/domain/errors.js';
import { REFUSALS_ZH } from '../../cloudfunctions/core/domain/rewards.js';
import { Catalog, type RewardInput } from '../../cloudfunctions/core/services/catalog.js';
import { Redemptions, type RedemptionPolicy } from '../../cloudfunctions/core/services/redemption.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { grant, key, ledgerFixture, spend, type LedgerFixture } from '../support/ledger-fixture.js';
import { rawDb } from '../support/raw-db.js';

const DAY = 86_400_000;
const POLICY: RedemptionPolicy = { reviewThreshold: 0, dailyCap: 0, timeZone: 'Asia/Shanghai' };
const EXPIRY = { ttlDays: 365, timeZone: 'Asia/Shanghai' };
const GIFT: RewardInput = { name: '保温杯', kind: 'gift', pointsCost: 10, stock: null };

/** How many answers were each outcome: 'ok' or the refusal code. */
const tally = (outcomes: PromiseSettledResult<unknown>[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => {
    const k = o.status === 'fulfilled' ? 'ok' : ((o.reason as DomainError).code ?? String(o.reason));
    return { ...acc, [k]: (acc[k] ?? 0) + 1 };
  }, {});
const race = <T>(n: number, fn: (i: number) => Promise<T>) =>
  Promise.allSettled(Array.from({ length: n }, (_, i) => fn(i)));

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `redemption on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let url: string;
      let store: Store;
      let f: LedgerFixture;
      let catalog: Catalog;
      let redemptions: Redemptions;
      const clock = () => f.clock.now;
      const withPolicy = (p: Partial<RedemptionPolicy>) =>
        new Redemptions({ store, clock, expiry: EXPIRY, policy: { ...POLICY, ...p } });

      beforeAll(async () => {
        url = await backend.freshUrl();
        store = await openStore(url);
        f = ledgerFixture(store);
        catalog = new Catalog({ store, clock });
        redemptions = withPolicy({});
      });
      afterAll(() => store?.close());

      const reward = (input: Partial<RewardInput> = {}) => catalog.create('hq', { ...GIFT, ...input });
      const funded = async (points: number) => {
        const m = await f.member();
        if (points > 0) await grant(f, m, points, `fund-${m}`);
        return m;
      };
      const account = async (m: string) => (await store.getAccount(m))!;

      it('200 concurrent one-tap redemptions against a balance for 50: 50 vouchers, 150 refused, balance 0', async () => {
        const m = await funded(100);
        const r = await reward({ pointsCost: 2 });
        const outcomes = await race(200, (i) => redemptions.redeem(m, r.id, `many-${i}`));
        expect(tally(outcomes)).toEqual({ ok: 50, INSUFFICIENT_POINTS: 150 });
        expect(await account(m)).toMatchObject({ balance: 0, held: 0 });
        const vouchers = await store.memberVouchers(m, 500);
        expect(vouchers.length).toBe(50);
        expect(new Set(vouchers.map((v) => v.code)).size).toBe(50);
        expect(vouchers.every((v) => v.status === 'issued' && v.points === 2)).toBe(true);
        expect((await store.history(m, null, 100)).items.length).toBe(51); // the grant and 50 redemptions
        expect((await f.verify()).problems).toEqual([]);
      });

      it('100 members racing for a stock of 10: 10 vouchers, 90 OUT_OF_STOCK, the losers keep their points', async () => {
        const r = await reward({ pointsCost: 5, stock: 10 });
        const members = await Promise.all(Array.from({ length: 100 }, () => funded(20)));
        const outcomes = await race(100, (i) => redemptions.redeem(members[i]!, r.id, 'stock-race'));
        expect(tally(outcomes)).toEqual({ ok: 10, OUT_OF_STOCK: 90 });
        expect((await store.getReward(r.id))?.stock).toBe(0);
        const balances = await Promise.all(members.map(async (m) => (await account(m)).balance));
        expect(balances).toEqual(outcomes.map((o) => (o.status === 'fulfilled' ? 15 : 20)));
        expect((await f.verify()).problems).toEqual([]);
      });

      it('the same requestId ten times at once gives one voucher and takes the points once', async () => {
        const m = await funded(100);
        const [r, other] = [await reward({ pointsCost: 30 }), await reward({ pointsCost: 30 })];
        const answers = await Promise.all(Array.from({ length: 10 }, () => redemptions.redeem(m, r.id, 'tap-1')));
        expect(new Set(answers.map((a) => a.result.id)).size).toBe(1);
        expect(answers.filter((a) => !a.replayed).length).toBe(1);
        expect((await account(m)).balance).toBe(70);
        expect((await store.memberVouchers(m, 10)).length).toBe(1);
        await expect(redemptions.redeem(m, other.id, 'tap-1')).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
        expect((await account(m)).balance).toBe(70);
      });

      it('concurrent replays of a requestId whose first success took the last points all answer that voucher', async () => {
        const m = await funded(30);
        const r = await reward({ pointsCost: 30, stock: 1 });
        const outcomes = await race(10, () => redemptions.redeem(m, r.id, 'tap-last'));
        expect(tally(outcomes)).toEqual({ ok: 10 });
        const ids = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.result.id : null));
        expect(new Set(ids).size).toBe(1);
        expect([(await account(m)).balance, (await store.getReward(r.id))?.stock]).toEqual([0, 0]);
      });

      it('a per-member limit of 2 a day holds under 10 concurrent attempts', async () => {
        const m = await funded(100);
        const r = await reward({ pointsCost: 5, spec: { perMember: { count: 2, period: 'day' } } });
        const outcomes = await race(10, (i) => redemptions.redeem(m, r.id, `limit-${i}`));
        expect(tally(outcomes)).toEqual({ ok: 2, LIMIT_REACHED: 8 });
        expect((await account(m)).balance).toBe(90);
      });

      it('refuses with the right code, and writes nothing: debt, frozen, inactive, ended, not started, tier', async () => {
        const debtor = await funded(10);
        await spend(f, debtor, 8, `spend-${debtor}`);
        const claw = { key: key(`cb-${debtor}`), memberId: debtor, points: 10 };
        await f.ledger.clawback({ ...claw, kind: 'refund', counterparty: 'issued' });
        const frozen = await funded(100);
        const raw = await rawDb(url);
        await raw.update('members', frozen, { status: 'frozen' }).finally(() => raw.close());
        const m = await funded(100);
        const open = await reward();
        const cases: Array<[string, string, string, number]> = [
          [debtor, open.id, 'MEMBER_IN_DEBT', 409],
          [frozen, open.id, 'MEMBER_FROZEN', 403],
          [m, (await reward({ active: false })).id, 'REWARD_INACTIVE', 409],
          [m, (await reward({ spec: { validTo: f.clock.now - 1000 } })).id, 'REWARD_ENDED', 410],
          [m, (await reward({ spec: { validFrom: f.clock.now + DAY } })).id, 'REWARD_NOT_STARTED', 409],
          [m, (await reward({ spec: { tiers: ['gold', 'diamond'] } })).id, 'NOT_ELIGIBLE', 403],
        ];
        const before = await store.counts();
        for (const [member, rewardId, code, status] of cases) {
          const refusal = { code, status, details: { zh: REFUSALS_ZH[code] } };
          await expect(redemptions.redeem(member, rewardId, `refused-${code}`), code).rejects.toMatchObject(refusal);
        }
        expect(await store.counts()).toEqual(before);
        expect([(await account(debtor)).balance, (await account(frozen)).balance]).toEqual([-8, 100]);
        const bronze = await reward({ spec: { tiers: ['bronze'] } });
        expect((await redemptions.redeem(m, bronze.id, 'tier-ok')).result.status).toBe('issued');
      });

      it('the daily cap counts points per business day', async () => {
        const capped = withPolicy({ dailyCap: 25 });
        const m = await funded(100);
        const r = await reward({ pointsCost: 10 });
        await capped.redeem(m, r.id, 'cap-1');
        await capped.redeem(m, r.id, 'cap-2');
        await expect(capped.redeem(m, r.id, 'cap-3')).rejects.toMatchObject({ code: 'DAILY_CAP_REACHED', status: 409 });
        expect((await account(m)).balance).toBe(80);
        f.clock.now += DAY;
        await expect(capped.redeem(m, r.id, 'cap-4')).resolves.toMatchObject({ replayed: false });
        expect((await account(m)).balance).toBe(70);
      });

      it('review queue: held while pending, approve takes the points, reject gives points and stock back', async () => {
        const review = withPolicy({ reviewThreshold: 50 });
        const m = await funded(200);
        const r = await reward({ pointsCost: 60, stock: 5 });
        const v1 = (await review.redeem(m, r.id, 'rev-1')).result;
        expect(v1.status).toBe('pending_review');
        expect(await account(m)).toMatchObject({ balance: 200, held: 60 });
        expect((await store.vouchersInReview(100)).map((v) => v.id)).toContain(v1.id);
        expect((await review.review('hq', v1.id, true)).status).toBe('issued');
        expect(await account(m)).toMatchObject({ balance: 140, held: 0 });

        const v2 = (await review.redeem(m, r.id, 'rev-2')).result;
        expect([(await account(m)).held, (await store.getReward(r.id))?.stock]).toEqual([60, 3]);
        expect((await review.review('hq', v2.id, false)).status).toBe('rejected');
        expect(await account(m)).toMatchObject({ balance: 140, held: 0 });
        expect((await store.getReward(r.id))?.stock).toBe(4);
        const twice = { code: 'NOT_IN_REVIEW', status: 409 };
        await expect(review.review('hq', v1.id, true)).rejects.toMatchObject(twice);
        await expect(review.review('hq', v1.id, false)).rejects.toMatchObject(twice);
        await expect(review.review('hq', v2.id, true)).rejects.toMatchObject(twice);
        expect(await store.vouchersInReview(100)).toEqual([]);
        const cheap = await reward({ pointsCost: 49 });
        expect((await review.redeem(m, cheap.id, 'rev-cheap')).result.status).toBe('issued');
        expect((await f.verify()).problems).toEqual([]);
      });

      it('points in review stay held through the hold sweep; a hold released anyway can only be rejected', async () => {
        const g = ledgerFixture(store, 0); // its own clock, and lots that never expire
        const review = new Redemptions({
          store,
          clock: () => g.clock.now,
          expiry: { ...EXPIRY, ttlDays: 0 },
          policy: { ...POLICY, reviewThreshold: 50 },
        });
        const r = await reward({ pointsCost: 60, stock: 5 });
        const m = await g.member();
        await grant(g, m, 200, `fund-${m}`);
        const v1 = (await review.redeem(m, r.id, 'swept-1')).result;
        g.clock.now += 8 * DAY;
        expect(await g.ledger.expire(m)).toEqual([]);
        expect(await account(m)).toMatchObject({ balance: 200, held: 60 });
        expect((await review.review('hq', v1.id, true)).status).toBe('issued');
        const v2 = (await review.redeem(m, r.id, 'swept-2')).result;
        g.clock.now += 3651 * DAY; // past even a review hold: the sweep releases it
        expect((await g.ledger.expire(m)).map((e) => e.kind)).toEqual(['release']);
        await g.ledger.hold({ key: key(`till-${m}`), memberId: m, points: 140, ttlMs: DAY });
        await expect(review.review('hq', v2.id, true)).rejects.toMatchObject({ code: 'NOT_IN_REVIEW' });
        const stockBefore = (await store.getReward(r.id))!.stock!;
        expect((await review.review('hq', v2.id, false)).status).toBe('rejected');
        expect((await store.getReward(r.id))!.stock).toBe(stockBefore + 1);
        await expect(review.review('hq', v2.id, false)).rejects.toMatchObject({ code: 'NOT_IN_REVIEW' });
        expect(await account(m)).toMatchObject({ balance: 140, held: 140 });
        expect((await f.verify()).problems).toEqual([]);
      });

      it('cancelling an issued voucher gives the points and the stock back, once', async () => {
        const m = await funded(100);
        const r = await reward({ pointsCost: 30, stock: 3 });
        const v = (await redemptions.redeem(m, r.id, 'cancel-1')).result;
        expect([(await account(m)).balance, (await store.getReward(r.id))?.stock]).toEqual([70, 2]);
        await expect(redemptions.cancel(await funded(0), v.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        expect((await redemptions.cancel(m, v.id)).status).toBe('cancelled');
        expect([(await account(m)).balance, (await store.getReward(r.id))?.stock]).toEqual([100, 3]);
        const again = { code: 'VOUCHER_NOT_CANCELLABLE', status: 409 };
        await expect(redemptions.cancel(m, v.id)).rejects.toMatchObject(again);
        expect([(await account(m)).balance, (await store.getReward(r.id))?.stock]).toEqual([100, 3]);
        expect((await store.getVoucher(v.id))?.status).toBe('cancelled');
      });

      it('a cancelled voucher returns its points with the expiries they had, not as points that never expire', async () => {
        const m = await f.member();
        await grant(f, m, 40, `early-${m}`); // expires first
        f.clock.now += 10 * DAY;
        await grant(f, m, 40, `late-${m}`);
        const before = (await store.openLots(m)).map((l) => [l.remaining, l.expiresAt]);
        const r = await reward({ pointsCost: 60 });
        const v = (await redemptions.redeem(m, r.id, `launder-${m}`)).result;
        expect((await store.openLots(m)).map((l) => l.remaining)).toEqual([20]); // 40 early + 20 late taken
        await redemptions.cancel(m, v.id);
        const after = (await store.openLots(m)).map((l) => [l.remaining, l.expiresAt]);
        const byExpiry = (lots: Array<Array<number | null>>) =>
          Object.entries(
            lots.reduce<Record<string, number>>(
              (acc, [n, at]) => ({ ...acc, [String(at)]: (acc[String(at)] ?? 0) + n! }),
              {},
            ),
          ).sort();
        expect(byExpiry(after)).toEqual(byExpiry(before));
        expect(after.every(([, at]) => at !== null)).toBe(true);
        expect((await f.verify()).problems).toEqual([]);
      });

      it('an expired voucher cannot be returned: 410, nothing comes back, and it shows as expired', async () => {
        const m = await funded(50);
        const r = await reward({ pointsCost: 20, stock: 4, spec: { voucherDays: 3 } });
        const v = (await redemptions.redeem(m, r.id, `old-${m}`)).result;
        f.clock.now += 4 * DAY;
        await expect(redemptions.cancel(m, v.id)).rejects.toMatchObject({ code: 'VOUCHER_EXPIRED', status: 410 });
        expect([(await account(m)).balance, (await store.getReward(r.id))?.stock]).toEqual([30, 3]);
        expect((await store.getVoucher(v.id))?.status).toBe('expired');
      });

      it('the whole ledger verifies after all of the above', async () => {
        const report = await f.verify();
        expect(report.problems).toEqual([]);
        expect(report.totals.members + report.totals.system).toBe(0);
      });
    },
  );
}
