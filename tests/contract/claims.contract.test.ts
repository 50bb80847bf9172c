/**
 * A member scanning the checkout QR while the payment notification arrives:
 * on every backend, each order ends credited exactly once, to the claimer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accruals } from '../../cloudfunctions/core/payments/accrual.js';
import { Claims } from '../../cloudfunctions/core/services/claims.js';
import { HQ_CALLER } from '../../cloudfunctions/core/services/staff.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { ledgerFixture, type LedgerFixture } from '../support/ledger-fixture.js';

const expiry = { ttlDays: 365, timeZone: 'Asia/Shanghai' };

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `claims racing payments on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let f: LedgerFixture;
      let claims: Claims;
      let accruals: Accruals;
      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        f = ledgerFixture(store);
        const clock = () => f.clock.now;
        claims = new Claims({ store, clock, expiry, publicUrl: 'http://127.0.0.1', linkClaims: 2 });
        accruals = new Accruals({ store, clock, expiry, linkClaims: 2 });
      });
      afterAll(() => store?.close());

      /** An Alipay payment of order `n` by `payerId`, as its notification records it. */
      const alipayPaid = (n: string, payerId: string, fen: number, storeId: string | null) =>
        accruals.recordPayment(
          {
            channel: 'alipay',
            tradeNo: `T-${n}`,
            outTradeNo: n,
            appId: 'app',
            payer: { kind: 'alipay_buyer', id: payerId },
            totalFen: fen,
            paidFen: fen,
            storeId,
            paidAt: f.clock.now,
          },
          {
            channel: 'alipay',
            notifyId: null,
            eventType: 'TRADE_SUCCESS',
            tradeNo: `T-${n}`,
            refundKey: null,
            amountFen: fen,
            payload: {},
          },
        );

      it('40 orders, each claimed at the moment its payment lands: every one credited once, to its claimer', async () => {
        const orders = await Promise.all(
          Array.from({ length: 40 }, async (_, i) => {
            const outTradeNo = `RACE-${backend.name}-${i}`;
            const { ticket } = await claims.createTicket(HQ_CALLER, { channel: 'alipay', outTradeNo });
            return { outTradeNo, ticket, memberId: await f.member(), totalFen: 1000 + i * 100 };
          }),
        );
        await Promise.all(
          orders.flatMap((o) => [
            claims.claim(o.memberId, o.ticket),
            accruals.recordPayment(
              {
                channel: 'alipay',
                tradeNo: `T-${o.outTradeNo}`,
                outTradeNo: o.outTradeNo,
                appId: 'app',
                payer: { kind: 'alipay_buyer', id: `2088-${o.outTradeNo}` },
                totalFen: o.totalFen,
                paidFen: o.totalFen,
                storeId: null,
                paidAt: f.clock.now,
              },
              {
                channel: 'alipay',
                notifyId: null,
                eventType: 'TRADE_SUCCESS',
                tradeNo: `T-${o.outTradeNo}`,
                refundKey: null,
                amountFen: o.totalFen,
                payload: {},
              },
            ),
          ]),
        );
        for (const o of orders) {
          const earned = Math.floor(o.totalFen / 100);
          expect((await store.getAccount(o.memberId))?.balance, o.outTradeNo).toBe(earned);
          expect((await store.getPayment(`alipay:T-${o.outTradeNo}`))?.memberId).toBe(o.memberId);
          expect((await store.getTicket(o.ticket))?.points).toBe(earned);
        }
        expect((await f.verify()).problems).toEqual([]);
      });

      it("a store's ticket for another store's order credits nobody, before or after the payment", async () => {
        const before = await f.member();
        const after = await f.member();
        const cashierA = { id: 'st_a', role: 'cashier' as const, storeId: 'S001' };
        const t1 = await claims.createTicket(cashierA, { channel: 'alipay', outTradeNo: 'CROSS-1' });
        await claims.claim(before, t1.ticket);
        const pay = (n: string) => alipayPaid(n, `b-${n}`, 5000, 'S002');
        expect(await pay('CROSS-1')).toBe('accrued-unclaimed');
        expect((await store.getAccount(before))?.balance).toBe(0);
        const t2 = await claims.createTicket({ ...cashierA }, { channel: 'alipay', outTradeNo: 'CROSS-2' });
        await pay('CROSS-2');
        await expect(claims.claim(after, t2.ticket)).rejects.toMatchObject({ status: 403 });
        expect((await store.getAccount(after))?.balance).toBe(0);
      });

      it("claims racing payments of a linked payer: every order ends with its claimer, once; the link's member keeps only their own", async () => {
        const owner = await f.member();
        const payer = `2088-linked-${backend.name}`;
        const pay = (n: string, fen: number) => alipayPaid(n, payer, fen, null);
        for (const n of [`LINK-${backend.name}-a`, `LINK-${backend.name}-b`]) {
          const { ticket } = await claims.createTicket(HQ_CALLER, { channel: 'alipay', outTradeNo: n });
          await claims.claim(owner, ticket);
          await pay(n, 1000);
        }
        expect((await store.getAccount(owner))?.balance).toBe(20); // linked now
        const orders = await Promise.all(
          Array.from({ length: 12 }, async (_, i) => {
            const outTradeNo = `LINKRACE-${backend.name}-${i}`;
            const { ticket } = await claims.createTicket(HQ_CALLER, { channel: 'alipay', outTradeNo });
            return { outTradeNo, ticket, claimer: await f.member(), fen: 1000 + i * 100 };
          }),
        );
        await Promise.all(orders.flatMap((o) => [claims.claim(o.claimer, o.ticket), pay(o.outTradeNo, o.fen)]));
        for (const o of orders) {
          expect((await store.getAccount(o.claimer))?.balance, o.outTradeNo).toBe(o.fen / 100);
          expect((await store.getPayment(`alipay:T-${o.outTradeNo}`))?.attribution).toBe('ticket');
        }
        expect((await store.getAccount(owner))?.balance).toBe(20);
        expect((await store.alerts('open', 100)).length).toBeGreaterThan(0);
        expect((await f.verify()).problems).toEqual([]);
      });
    },
  );
}
