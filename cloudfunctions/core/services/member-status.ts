/**
 * Freezing a member (DESIGN "Freeze"): a frozen member still logs in, reads
 * everything and earns from payments (they paid real money), but every
 * spending and every manual earning is refused with 403 MEMBER_FROZEN
 * (postToMember's refuseFrozen, claims, pay-code refresh). Every change is in the audit log.
 */
import { errors } from '../domain/errors.js';
import type { MemberRow, Store, Tx } from '../store/port.js';

/** The one check every spending and manual earning makes inside its transaction. */
export async function refuseIfFrozen(tx: Tx, memberId: string): Promise<void> {
  if ((await tx.getMember(memberId))?.status === 'frozen') throw errors.memberFrozen();
}

export interface StatusChange {
  actor: string;
  memberId: string;
  status: MemberRow['status'];
  reason: string;
}

/** Returns whether anything changed: freezing a frozen member is a no-op, not an error, and not audited twice. */
export async function setMemberStatus(deps: { store: Store; clock: () => number }, c: StatusChange): Promise<boolean> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    // The account lock first, as every posting takes it: a freeze and a spending serialize.
    const account = await tx.lockAccount(c.memberId);
    const member = await tx.getMember(c.memberId);
    if (!account || !member) throw errors.notFound('Member');
    if (member.status === c.status) return false;
    await tx.setMemberStatus(c.memberId, c.status);
    await tx.insertAudit({
      actor: c.actor,
      action: c.status === 'frozen' ? 'member.freeze' : 'member.unfreeze',
      subject: c.memberId,
      detail: { reason: c.reason, before: member.status, after: c.status },
      createdAt: now,
    });
    return true;
  });
}
