/**
 * The payment path on every backend, through the Accruals service: payments
 * and refunds exactly once, in any order, racing each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accruals, type PaymentFact } from '../../cloudfunctions/core/payments/accrual.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { testAudit } from '../support/test-audit.js';
import { ledgerFixture, spend, type LedgerFixture } from '../support/ledger-fixture.js';
import { balanceOf } from '../support/notify.js';

let seq = 0;
const audit = testAudit;

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `payments on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let f: LedgerFixture;
      let accruals: Accruals;

      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        f = ledgerFixture(store);
        accruals = new Accruals({
          store,
          clock: () => f.clock.now,
          expiry: { ttlDays: 365, timeZone: 'Asia/Shanghai' },
          linkClaims: 2,
        });
      });
      afterAll(() => store?.close());

      const payment = (openid: string, totalFen: number, tradeNo = `T${++seq}`): PaymentFact => ({
        channel: 'wechatpay',
        tradeNo,
        outTradeNo: `O${seq}`,
        appId: 'wxapp',
        payer: { kind: 'member', openid },
        totalFen,
        paidFen: totalFen,
        storeId: 'S001',
        paidAt: f.clock.now,
      });
      const refund = (tradeNo: string, amountFen: number, refundKey = `R${++seq}`) =>
        accruals.recordRefund(
          { channel: 'wechatpay', tradeNo, refundKey, amountFen, cumulative: false },
          audit(tradeNo),
        );

      it('a half refund takes back half the points', async () => {
        const openid = `half-${seq}`;
        const p = payment(openid, 10_000);
        expect(await accruals.recordPayment(p, audit(p.tradeNo))).toBe('accrued');
        expect(await balanceOf(store, openid)).toBe(100);
        expect(await refund(p.tradeNo, 5_000)).toBe('refund-applied');
        expect(await balanceOf(store, openid)).toBe(50);
      });

      it('a refund after the points were spent leaves a debt', async () => {
        const openid = `debt-${seq}`;
        const p = payment(openid, 6_000);
        await accruals.recordPayment(p, audit(p.tradeNo));
        const member = (await store.transaction((tx) => tx.findMemberByOpenid(openid)))!;
        await spend(f, member.id, 50, `spend-${openid}`);
        await refund(p.tradeNo, 6_000);
        expect(await balanceOf(store, openid)).toBe(-50);
      });

      it('a refund seen before its payment waits and applies when the payment lands', async () => {
        const openid = `early-${seq}`;
        const p = payment(openid, 3_000);
        expect(await refund(p.tradeNo, 1_000)).toBe('refund-pending');
        expect(await store.getPayment(`wechatpay:${p.tradeNo}`)).toMatchObject({
          status: 'pending',
          refundedFen: 1_000,
        });
        expect(await balanceOf(store, openid)).toBeNull();
        await accruals.recordPayment(p, audit(p.tradeNo));
        expect(await store.getPayment(`wechatpay:${p.tradeNo}`)).toMatchObject({ pointsEarned: 30, pointsClawed: 10 });
        expect(await balanceOf(store, openid)).toBe(20);
      });

      it('20 concurrent deliveries of one payment accrue once; a refund key counts once', async () => {
        const openid = `race-${seq}`;
        const p = payment(openid, 2_500);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => accruals.recordPayment(p, audit(p.tradeNo))),
        );
        expect(results.filter((r) => r === 'accrued')).toHaveLength(1);
        const refunds = await Promise.all(Array.from({ length: 20 }, () => refund(p.tradeNo, 1_000, 'same-refund')));
        expect(refunds.filter((r) => r === 'refund-applied')).toHaveLength(1);
        expect(await balanceOf(store, openid)).toBe(15);
      });

      it('payments racing their refunds end the same whatever the order', async () => {
        const orders = Array.from({ length: 15 }, (_, i) => payment(`order-race-${i}-${seq}`, 1_000 + i * 100));
        await Promise.all(
          orders.flatMap((p) => [
            refund(p.tradeNo, 500, `${p.tradeNo}-r1`),
            accruals.recordPayment(p, audit(p.tradeNo)),
            refund(p.tradeNo, 250, `${p.tradeNo}-r2`),
          ]),
        );
        for (const p of orders) {
          const earned = Math.floor(p.totalFen / 100);
          const clawed = Math.floor((earned * 750) / p.totalFen);
          expect(await store.getPayment(`wechatpay:${p.tradeNo}`)).toMatchObject({
            status: 'paid',
            refundedFen: 750,
            pointsClawed: clawed,
          });
          expect(await balanceOf(store, (p.payer as { openid: string }).openid)).toBe(earned - clawed);
        }
      });

      it('an unclaimed accrual shrinks with its refunds, touching no member', async () => {
        const p: PaymentFact = { ...payment('', 4_000), payer: { kind: 'alipay_buyer', id: '2088000000000077' } };
        expect(await accruals.recordPayment(p, audit(p.tradeNo))).toBe('accrued-unclaimed');
        await refund(p.tradeNo, 1_000);
        expect(await store.getPayment(`wechatpay:${p.tradeNo}`)).toMatchObject({
          memberId: null,
          pointsEarned: 40,
          pointsClawed: 10,
        });
      });

      it('the ledger verifies', async () => {
        expect((await f.verify()).problems).toEqual([]);
      });
    },
  );
}
