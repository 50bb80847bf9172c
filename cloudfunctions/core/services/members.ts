/** Members: found or created by the identity WeChat vouches for, and shown as the app sees them. */
import { present } from '../domain/assert.js';
import { available } from '../domain/accounts.js';
import { errors } from '../domain/errors.js';
import { expiringSoon, nextExpiry } from '../domain/expiry.js';
import { isoInZone } from '../domain/time.js';
import { tierFor } from '../domain/tiers.js';
import type { Tiers, TierView } from './tiers.js';
import type { MemberRow, Store, Tx } from '../store/port.js';
import { newId } from './ids.js';
import type { PhoneVault } from './phones.js';

export interface MemberView {
  id: string;
  balance: number;
  available: number;
  held: number;
  /** Masked (138****1234), null until bound. */
  phone: string | null;
  status: MemberRow['status'];
  /** MM-DD or YYYY-MM-DD as the member gave it; set once (PUT /api/member/profile). */
  birthday: string | null;
  tier: TierView;
  expiring: { points: number; firstAt: string } | null;
  /** The next expiry date and the points that expire at its end. */
  nextExpiry: { points: number; at: string } | null;
  createdAt: string;
}

/** Inside a caller's transaction: find the member by openid or create them with an empty account. */
export async function memberByOpenid(tx: Tx, openid: string, unionid: string | null, now: number): Promise<MemberRow> {
  const found = await tx.findMemberByOpenid(openid);
  if (found) {
    if (unionid && !found.unionid) await tx.setMemberUnionid(found.id, unionid);
    return found;
  }
  const fresh: MemberRow = { id: newId('m'), openid, unionid, status: 'active', growth: 0, createdAt: now };
  const inserted = await tx.insertMember(fresh);
  // A concurrent first sight won the race: theirs is the member.
  if (!inserted)
    return present(await tx.findMemberByOpenid(openid), 'the member whose insert collided on the openid exists');
  await tx.insertAccount(fresh.id, 'member', now);
  return fresh;
}

/** The member whose bound phone this is, or null (the port reads the phone index inside a transaction). */
export function findMemberByPhone(store: Store, vault: PhoneVault, phone: string): Promise<MemberRow | null> {
  return store.transaction((tx) => tx.findMemberByPhoneHash(vault.hash(phone)));
}

export class Members {
  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      timeZone: string;
      vault: PhoneVault;
      /** The configured ladder and rolling growth; absent, the default ladder over lifetime growth. */
      tiers?: Tiers;
    },
  ) {}

  /** The member with this openid, created (with an empty account) on first sight. */
  findOrCreateByOpenid(openid: string, unionid: string | null = null): Promise<MemberRow> {
    return this.deps.store.transaction((tx) => memberByOpenid(tx, openid, unionid, this.deps.clock()));
  }

  /** The member's page; `known` is their row when the caller has just read it (member auth has). */
  async view(memberId: string, known: MemberRow | null = null): Promise<MemberView> {
    const { store, clock, timeZone } = this.deps;
    const member = known?.id === memberId ? known : await store.getMember(memberId);
    if (!member) throw errors.notFound('Member');
    const now = clock();
    // Three reads that need nothing of each other, at once: on PostgreSQL each is a round trip on the read pool.
    const [account, lots, tier] = await Promise.all([
      store.getAccount(memberId),
      store.openLots(memberId),
      this.deps.tiers ? this.deps.tiers.view(member, now) : tierFor(member.growth),
    ]);
    if (!account) throw errors.notFound('Member');
    const soon = expiringSoon(lots, now);
    const next = nextExpiry(lots);
    return {
      id: member.id,
      balance: account.balance,
      available: available(account),
      held: account.held,
      phone: this.deps.vault.masked(member.phoneEnc),
      status: member.status,
      birthday: member.birthday ?? null,
      tier,
      expiring: soon ? { points: soon.points, firstAt: isoInZone(soon.firstAt, timeZone) } : null,
      nextExpiry: next ? { points: next.points, at: isoInZone(next.at, timeZone) } : null,
      createdAt: isoInZone(member.createdAt, timeZone),
    };
  }
}
