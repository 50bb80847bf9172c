/**
 * Members created by phone alone (a POS or CRM import, before they ever open
 * the mini-program). Their points wait; binding the same phone in the app
 * merges them (phone-binding.ts).
 */
import { errors } from '../domain/errors.js';
import { lotExpiry, type ExpiryPolicy } from '../domain/expiry.js';
import { planCredit } from '../domain/postings.js';
import { UniqueViolation, type MemberRow, type Store } from '../store/port.js';
import { newId } from './ids.js';
import { maskPhone, type PhoneVault } from './phones.js';
import { findMemberByPhone } from './members.js';
import { postToMember } from './posting.js';

export interface ImportDeps {
  store: Store;
  clock: () => number;
  vault: PhoneVault;
  expiry: ExpiryPolicy;
}

export async function importMemberByPhone(
  deps: ImportDeps,
  input: { phone: string; points?: number; reason?: string; callerId: string },
): Promise<{ memberId: string; phone: string; balance: number }> {
  const { store, vault, clock } = deps;
  const hash = vault.hash(input.phone);
  const now = clock();
  const member: MemberRow = {
    id: newId('m'),
    openid: null,
    unionid: null,
    status: 'active',
    growth: 0,
    createdAt: now,
  };
  const points = input.points;
  try {
    // The member and their opening points in one transaction: no member without the points promised.
    await store.transaction(async (tx) => {
      if (await tx.findMemberByPhoneHash(hash)) throw phoneTaken();
      await tx.insertMember(member);
      await tx.insertAccount(member.id, 'member', now);
      await tx.setMemberPhone(member.id, vault.encrypt(input.phone), hash);
      await tx.insertAudit({
        actor: input.callerId,
        action: 'member.import',
        subject: member.id,
        detail: { after: { phone: maskPhone(input.phone), points: points ?? 0, reason: input.reason ?? null } },
        createdAt: now,
      });
      if (!points) return;
      await postToMember(
        tx,
        now,
        {
          key: { source: `admin:${input.callerId}`, externalId: `import:${member.id}` },
          kind: 'adjust',
          memberId: member.id,
          counterparty: 'adjusted',
          meta: { reason: input.reason ?? '导入会员积分', by: input.callerId },
          lotExpiresAt: lotExpiry(now, deps.expiry),
        },
        (a) => planCredit(a, points),
      );
    });
  } catch (e) {
    if (e instanceof UniqueViolation) throw phoneTaken();
    throw e;
  }
  return { memberId: member.id, phone: maskPhone(input.phone), balance: points ?? 0 };
}

const phoneTaken = () => errors.conflict('PHONE_TAKEN', 'A member with this phone number already exists.');

/** The member a phone names, imported first if the program does not know it yet (a till's sign-up). */
export async function memberIdByPhone(deps: ImportDeps, phone: string, callerId: string): Promise<string> {
  const found = await findMemberByPhone(deps.store, deps.vault, phone);
  if (found) return found.id;
  try {
    return (await importMemberByPhone(deps, { phone, callerId })).memberId;
  } catch (e) {
    const raced = await findMemberByPhone(deps.store, deps.vault, phone); // another request made them first
    if (raced) return raced.id;
    throw e;
  }
}
