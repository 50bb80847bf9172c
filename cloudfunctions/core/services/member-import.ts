/**
 * Members created by phone alone (a POS or CRM import, before they ever open
 * the mini-program). Their points wait; binding the same phone in the app
 * merges them (phone-binding.ts).
 */
import { errors } from '../domain/errors.js';
import { UniqueViolation, type MemberRow, type Store } from '../store/port.js';
import type { Ledger } from './ledger.js';
import { newId } from './ids.js';
import type { PhoneVault } from './phones.js';
import { requestHash } from './request-hash.js';

export async function importMemberByPhone(
  deps: { store: Store; clock: () => number; vault: PhoneVault; ledger: Ledger },
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
  try {
    await store.transaction(async (tx) => {
      if (await tx.findMemberByPhoneHash(hash)) throw phoneTaken();
      await tx.insertMember(member);
      await tx.insertAccount(member.id, 'member', now);
      await tx.setMemberPhone(member.id, vault.encrypt(input.phone), hash);
    });
  } catch (e) {
    if (e instanceof UniqueViolation) throw phoneTaken();
    throw e;
  }
  if (input.points) {
    const reason = input.reason ?? '导入会员积分';
    await deps.ledger.credit({
      key: {
        source: `admin:${input.callerId}`,
        externalId: `import:${member.id}`,
        requestHash: requestHash({ reason }),
      },
      memberId: member.id,
      points: input.points,
      kind: 'adjust',
      counterparty: 'adjusted',
      meta: { reason, by: input.callerId },
    });
  }
  return { memberId: member.id, phone: vault.masked(vault.encrypt(input.phone))!, balance: input.points ?? 0 };
}

const phoneTaken = () => errors.conflict('PHONE_TAKEN', 'A member with this phone number already exists.');
