/**
 * Binding a phone from the getPhoneNumber button. One phone, one member: a
 * phone held by another WeChat member is a 409. A member created earlier by
 * phone alone (imported, no openid) is merged into the binding member, points
 * and their expiry dates included; it is left empty and without the phone
 * (it has no openid, so nobody can log in as it).
 */
import { errors } from '../domain/errors.js';
import { planClawback, planCredit } from '../domain/postings.js';
import { UniqueViolation, type MemberRow, type Store, type Tx } from '../store/port.js';
import { maskPhone, type PhoneVault } from './phones.js';
import { postToMember } from './posting.js';
import { recordConsent } from './consents.js';

export interface PhoneInfo {
  purePhoneNumber: string;
  countryCode: string;
}

export class PhoneBinding {
  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      vault: PhoneVault;
      /** Exchanges the button's code for the number (WeChat getuserphonenumber). */
      phoneNumber: (code: string) => Promise<PhoneInfo>;
      /** After a bind: the phone-binding bonus (once per number, by its hash). */
      onBound?: (memberId: string, phoneHash: string) => Promise<unknown>;
    },
  ) {}

  async bind(memberId: string, code: string): Promise<{ phone: string; merged: number; balance: number }> {
    const info = await this.deps.phoneNumber(code); // network: before the transaction, never inside it
    const phone = info.countryCode === '86' ? info.purePhoneNumber : `+${info.countryCode}${info.purePhoneNumber}`;
    const { vault, clock } = this.deps;
    const hash = vault.hash(phone);
    try {
      const merged = await this.deps.store.transaction(async (tx) => {
        const holder = await tx.findMemberByPhoneHash(hash);
        if (holder?.id === memberId) return 0;
        if (holder?.openid) throw phoneTaken();
        const moved = holder ? await mergeInto(tx, holder, memberId, clock()) : 0;
        await tx.setMemberPhone(memberId, vault.encrypt(phone), hash);
        await recordConsent(tx, memberId, 'phone', clock());
        return moved;
      });
      await this.deps.onBound?.(memberId, hash);
      const balance = (await this.deps.store.getAccount(memberId))?.balance ?? 0;
      return { phone: maskPhone(phone), merged, balance };
    } catch (e) {
      // Two members binding one phone at once: the unique index decides.
      if (e instanceof UniqueViolation) throw phoneTaken();
      throw e;
    }
  }
}

const phoneTaken = () => errors.conflict('PHONE_TAKEN', 'This phone number is already bound to another member.');

/** Moves an imported member's points (lot by lot, keeping expiry) to `memberId` and frees their phone. */
async function mergeInto(tx: Tx, holder: MemberRow, memberId: string, now: number): Promise<number> {
  // Lock both accounts in id order, and post to one shard for both, so concurrent merges cannot deadlock.
  const accounts = [holder.id, memberId].sort();
  for (const id of accounts) await tx.lockAccount(id);
  const shardOf = accounts[0];
  const lots = await tx.openLots(holder.id);
  const total = lots.reduce((s, l) => s + l.remaining, 0);
  await tx.setMemberPhone(holder.id, null, null);
  if (total === 0) return 0;
  const meta = { reason: '合并手机号会员', from: holder.id, to: memberId };
  await postToMember(
    tx,
    now,
    {
      key: { source: 'merge', externalId: `${holder.id}:out` },
      kind: 'adjust',
      memberId: holder.id,
      counterparty: 'adjusted',
      meta,
      shardOf,
    },
    (a, l) => planClawback(a, l, total),
  );
  for (const lot of lots) {
    await postToMember(
      tx,
      now,
      {
        key: { source: 'merge', externalId: `${holder.id}:in:${lot.id}` },
        kind: 'adjust',
        memberId,
        counterparty: 'adjusted',
        meta,
        lotExpiresAt: lot.expiresAt,
        shardOf,
      },
      (a) => planCredit(a, lot.remaining),
    );
  }
  return total;
}
