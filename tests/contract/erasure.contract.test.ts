/**
 * Erasing a member (data rights) on every backend: the identity goes from
 * every place it was kept (member, the unique openid and phone keys, payer
 * links, payments, notification payloads, subscriptions, messages), the
 * balance goes to `forfeited` by a normal posting, the books still balance,
 * and the same openid and phone are free for a new member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accruals } from '../../cloudfunctions/core/payments/accrual.js';
import { DataRights } from '../../cloudfunctions/core/services/data-rights.js';
import { PhoneVault } from '../../cloudfunctions/core/services/phones.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { rawDb } from '../support/raw-db.js';
import { grant, ledgerFixture, type LedgerFixture } from '../support/ledger-fixture.js';

const expiry = { ttlDays: 365, timeZone: 'Asia/Shanghai' };
const vault = new PhoneVault('test-secret-for-the-erasure-contract-01');

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `erasure on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let f: LedgerFixture;
      let rights: DataRights;
      let accruals: Accruals;
      let url: string;
      beforeAll(async () => {
        url = await backend.freshUrl();
        store = await openStore(url);
        f = ledgerFixture(store);
        const clock = () => f.clock.now;
        accruals = new Accruals({ store, clock, expiry, linkClaims: 2 });
        rights = new DataRights({
          store,
          clock,
          timeZone: 'Asia/Shanghai',
          vault,
          holidays: async () => new Set(),
          workingDays: 15,
        });
      });
      afterAll(() => store?.close());

      const paid = (tradeNo: string, payer: Parameters<Accruals['recordPayment']>[0]['payer'], payload: object) =>
        accruals.recordPayment(
          {
            channel: 'wechatpay',
            tradeNo,
            outTradeNo: `O-${tradeNo}`,
            appId: 'wx-app',
            payer,
            totalFen: 2_000,
            paidFen: 2_000,
            storeId: null,
            paidAt: f.clock.now,
          },
          {
            channel: 'wechatpay',
            notifyId: `n-${tradeNo}`,
            eventType: 'TRANSACTION.SUCCESS',
            tradeNo,
            refundKey: null,
            amountFen: 2_000,
            payload,
          },
        );

      it('removes the identity everywhere, keeps the facts, and frees the openid and phone', async () => {
        const openid = `o-erase-${backend.name.length}-${Date.now()}`;
        const other = `o-otherapp-${Date.now()}`;
        const phone = '13900001111';
        const memberId = await f.member(openid);
        await store.transaction((tx) => tx.setMemberPhone(memberId, vault.encrypt(phone), vault.hash(phone)));
        await paid('T-OWN', { kind: 'member', openid }, { payer: { openid }, note: 'own app' });
        // A payment from another appid of the merchant, linked to the member by an earlier claim.
        await paid('T-OTHER', { kind: 'openid', id: `wx-other:${other}` }, { payer: { openid: other } });
        await store.transaction(async (tx) => {
          const link = await tx.lockPayerLink('openid', `wx-other:${other}`, { id: 'pl_erase', memberId, at: 1 });
          await tx.savePayerLink({ ...link, status: 'active', claims: 2 });
          await tx.addSubscribeCredits(memberId, 'tmpl', 2, 1);
          await tx.insertOutbox({ topic: 'points.earned', memberId, payload: { touser: openid }, createdAt: 1 });
        });
        await grant(f, memberId, 300, `erase-grant-${backend.name}`);
        const balance = (await store.getAccount(memberId))!.balance;
        expect(balance).toBeGreaterThan(300);

        const asked = await rights.requestDeletion(memberId);
        const done = await rights.complete(asked.id, 'hq');
        expect(done).toMatchObject({ status: 'done', forfeited: balance });

        const m = (await store.getMember(memberId))!;
        expect(m).toMatchObject({ openid: null, unionid: null, phoneEnc: null, phoneHash: null, status: 'frozen' });
        expect(m.erasedAt).toBe(f.clock.now);
        expect(await store.memberPayerLinks(memberId, 10)).toEqual([]);
        expect(await store.subscribeCredits(memberId)).toEqual({});
        for (const tradeNo of ['T-OWN', 'T-OTHER']) {
          const heard = await store.notifications('wechatpay', tradeNo);
          expect(heard).toHaveLength(1);
          const text = JSON.stringify(heard[0]!.payload);
          expect(text).not.toContain(openid);
          expect(text).not.toContain(other);
          expect(text).toContain('erased');
          expect(await store.getPayment(`wechatpay:${tradeNo}`)).toMatchObject({ payerId: null, payerKind: null });
        }
        expect(await store.getAccount(memberId)).toMatchObject({ balance: 0, held: 0 });
        expect((await f.verify()).ok).toBe(true);

        // The same openid and phone make a new member; the old one keeps its events.
        const fresh = await f.members.findOrCreateByOpenid(openid);
        expect(fresh.id).not.toBe(memberId);
        await store.transaction((tx) => tx.setMemberPhone(fresh.id, vault.encrypt(phone), vault.hash(phone)));
        expect((await store.history(memberId, null, 100)).items.map((e) => e.kind)).toContain('adjust');
        // Completing again changes nothing.
        const counts = await store.counts();
        expect((await rights.complete(asked.id, 'hq')).forfeited).toBe(balance);
        expect(await store.counts()).toEqual(counts);
      });

      it.skipIf(backend.documentStore)(
        'leaves every other column of a notification immutable, and rows undeletable',
        async () => {
          const raw = await rawDb(url);
          try {
            await expect(raw.run("UPDATE notifications SET amount_fen = 1 WHERE trade_no = 'T-OWN'")).rejects.toThrow(
              /immutable/,
            );
            await expect(raw.run("UPDATE notifications SET result = 'x'")).rejects.toThrow(/immutable/);
            await expect(raw.run('DELETE FROM notifications')).rejects.toThrow(/immutable/);
          } finally {
            await raw.close();
          }
          expect((await store.notifications('wechatpay', 'T-OWN'))[0]!.amountFen).toBe(2_000);
        },
      );

      it('is refused while points are held for a till payment, and then writes nothing', async () => {
        const memberId = await f.member();
        await grant(f, memberId, 100, `held-${backend.name}`);
        await f.ledger.hold({
          key: { source: 'test', externalId: `h-${backend.name}` },
          memberId,
          points: 40,
          ttlMs: 60_000,
        });
        const asked = await rights.requestDeletion(memberId);
        const counts = await store.counts();
        await expect(rights.complete(asked.id, 'hq')).rejects.toMatchObject({ code: 'POINTS_HELD', status: 409 });
        expect(await store.counts()).toEqual(counts);
        expect((await store.getMember(memberId))!.erasedAt ?? null).toBeNull();
      });
    },
  );
}
