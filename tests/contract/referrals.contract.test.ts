/**
 * Referrals on every backend, through the payment path: both sides are paid
 * on the referred member's first payment made with a bound phone, once per
 * referred phone (a second WeChat account with the same number earns
 * nothing), never to oneself, never after the first payment; the ledger
 * verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accruals } from '../../cloudfunctions/core/payments/accrual.js';
import { ActivityBonuses } from '../../cloudfunctions/core/services/activity-bonuses.js';
import { EVERY_TOPIC } from '../../cloudfunctions/core/services/outbox-writer.js';
import { Tiers } from '../../cloudfunctions/core/services/tiers.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { testAudit } from '../support/test-audit.js';
import { ledgerFixture, type LedgerFixture } from '../support/ledger-fixture.js';

const TZ = 'Asia/Shanghai';
let seq = 0;
const audit = testAudit;

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `referrals on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let f: LedgerFixture;
      let bonuses: ActivityBonuses;
      let accruals: Accruals;
      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        f = ledgerFixture(store);
        const clock = () => f.clock.now;
        const expiry = { ttlDays: 365, timeZone: TZ };
        const tiers = new Tiers({ store, clock, timeZone: TZ, outbox: EVERY_TOPIC });
        bonuses = new ActivityBonuses({
          store,
          clock,
          timeZone: TZ,
          ledger: f.ledger,
          tiers,
          expiry,
          secret: 'referral-test-secret-0123456789',
        });
        accruals = new Accruals({ store, clock, expiry, linkClaims: 2, tiers, bonuses });
        await bonuses.set('hq', {
          signup: 0,
          phone: 0,
          profile: 0,
          checkin: { points: 0, streaks: [] },
          referral: { referrer: 50, referred: 10, perReferrerMax: 0 },
          birthday: 0,
        });
      });
      afterAll(() => store?.close());

      const member = async (name: string) => {
        const openid = `${name}-${backend.name}-${++seq}`;
        return { openid, id: await f.member(openid) };
      };
      const pay = (openid: string, paidFen: number) => {
        const tradeNo = `REF${++seq}-${backend.name}`;
        return accruals.recordPayment(
          {
            channel: 'wechatpay',
            tradeNo,
            outTradeNo: `O${seq}`,
            appId: 'wxapp',
            payer: { kind: 'member', openid },
            totalFen: paidFen,
            paidFen,
            storeId: 'S001',
            paidAt: f.clock.now,
          },
          audit(tradeNo),
        );
      };
      const bindPhone = (id: string, hash: string | null) =>
        store.transaction((tx) => tx.setMemberPhone(id, hash ? `enc-${hash}` : null, hash));
      const balance = async (id: string) => (await store.getAccount(id))!.balance;

      it('pays both sides once, on the first payment with a bound phone, and once per phone', async () => {
        const a = await member('referrer');
        const b = await member('referred');
        const phone = `phone-hash-${backend.name}-${seq}`;
        await bonuses.acceptReferral(b.id, bonuses.referralCode(a.id));
        await pay(b.openid, 1_000); // no phone yet: nobody is paid
        expect([await balance(a.id), await balance(b.id)]).toEqual([0, 10]);
        await bindPhone(b.id, phone);
        await pay(b.openid, 1_000);
        expect([await balance(a.id), await balance(b.id)]).toEqual([50, 10 + 10 + 10]);
        await pay(b.openid, 1_000);
        expect([await balance(a.id), await balance(b.id)]).toEqual([50, 40]);

        // The same number on a second WeChat account, referred by A again: nothing more.
        await bindPhone(b.id, null);
        const c = await member('second-account');
        await bonuses.acceptReferral(c.id, bonuses.referralCode(a.id));
        await bindPhone(c.id, phone);
        await pay(c.openid, 1_000);
        expect([await balance(a.id), await balance(c.id)]).toEqual([50, 10]);
        expect((await f.verify()).ok).toBe(true);
      });

      it('pays for referrers sorting before and after the referred member (one lock order either way)', async () => {
        const orders = new Set<boolean>();
        for (let i = 0; orders.size < 2 && i < 40; i++) {
          const a = await member(`pair-a${i}`);
          const b = await member(`pair-b${i}`);
          orders.add(a.id < b.id);
          await bonuses.acceptReferral(b.id, bonuses.referralCode(a.id));
          await bindPhone(b.id, `pair-phone-${backend.name}-${i}`);
          expect(await pay(b.openid, 2_000)).toBe('accrued');
          expect([await balance(a.id), await balance(b.id)]).toEqual([50, 20 + 10]);
        }
        expect(orders.size).toBe(2);
        expect((await f.verify()).ok).toBe(true);
      });

      it('never to oneself, and not after the first payment', async () => {
        const a = await member('self');
        await expect(bonuses.acceptReferral(a.id, bonuses.referralCode(a.id))).rejects.toMatchObject({
          code: 'REFERRAL_SELF',
        });
        const d = await member('late');
        await pay(d.openid, 500);
        await expect(bonuses.acceptReferral(d.id, bonuses.referralCode(a.id))).rejects.toMatchObject({
          code: 'REFERRAL_TOO_LATE',
        });
      });
    },
  );
}
