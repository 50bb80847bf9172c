/** Members: found or created by the identity WeChat vouches for, and shown as the app sees them. */
import { available } from '../domain/accounts.js';
import { errors } from '../domain/errors.js';
import { expiringSoon } from '../domain/expiry.js';
import { isoInZone } from '../domain/time.js';
import { tierFor } from '../domain/tiers.js';
import type { MemberRow, Store } from '../store/port.js';
import { newId } from './ids.js';

export interface MemberView {
  id: string;
  balance: number;
  available: number;
  held: number;
  /** Masked (138****1234), null until bound. */
  phone: string | null;
  status: MemberRow['status'];
  tier: ReturnType<typeof tierFor>;
  expiring: { points: number; firstAt: string } | null;
  createdAt: string;
}

export class Members {
  constructor(private readonly deps: { store: Store; clock: () => number; timeZone: string }) {}

  /** The member with this openid, created (with an empty account) on first sight. */
  async findOrCreateByOpenid(openid: string, unionid: string | null = null): Promise<MemberRow> {
    const { store, clock } = this.deps;
    return store.transaction(async (tx) => {
      const found = await tx.findMemberByOpenid(openid);
      if (found) return found;
      const now = clock();
      const fresh: MemberRow = { id: newId('m'), openid, unionid, status: 'active', growth: 0, createdAt: now };
      const inserted = await tx.insertMember(fresh);
      // A concurrent first login won the race: theirs is the member.
      if (!inserted) return (await tx.findMemberByOpenid(openid))!;
      await tx.insertAccount(fresh.id, 'member', now);
      return fresh;
    });
  }

  async view(memberId: string): Promise<MemberView> {
    const { store, clock, timeZone } = this.deps;
    const member = await store.getMember(memberId);
    const account = await store.getAccount(memberId);
    if (!member || !account) throw errors.notFound('Member');
    const soon = expiringSoon(await store.openLots(memberId), clock());
    return {
      id: member.id,
      balance: account.balance,
      available: available(account),
      held: account.held,
      phone: null,
      status: member.status,
      tier: tierFor(member.growth),
      expiring: soon ? { points: soon.points, firstAt: isoInZone(soon.firstAt, timeZone) } : null,
      createdAt: isoInZone(member.createdAt, timeZone),
    };
  }
}
