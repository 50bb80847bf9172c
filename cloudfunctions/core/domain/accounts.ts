/**
 * Accounts of the ledger. Member accounts hold a member's points; system
 * accounts are the other side of every posting. System accounts are touched by
 * every event, so each is split into SYSTEM_SHARDS rows ("No hot rows" in
 * DESIGN.md): a posting picks one shard, the account's balance is their sum.
 */
/** `forfeited` takes an erased member's balance (data rights): a normal posting, so the books balance. */
export const SYSTEM_ACCOUNTS = ['issued', 'redeemed', 'expired', 'adjusted', 'unclaimed', 'forfeited'] as const;
export type SystemAccount = (typeof SYSTEM_ACCOUNTS)[number];

export const SYSTEM_SHARDS = 8;

export type AccountKind = 'member' | 'system';

export interface AccountState {
  id: string;
  kind: AccountKind;
  /** Total points; negative only after a refund clawback (debt). */
  balance: number;
  /** Points reserved by open holds; never negative. */
  held: number;
  version: number;
}

export function systemShardId(name: SystemAccount, shard: number): string {
  return `sys:${name}:${shard}`;
}

export function systemShardIds(name: SystemAccount): string[] {
  return Array.from({ length: SYSTEM_SHARDS }, (_, i) => systemShardId(name, i));
}

/**
 * The shard a member's postings use. Any shard is correct; hashing the member
 * spreads writers over the shards while one transaction that posts twice for
 * a member (an earning and a clawback) locks one shard row, not two in random
 * order, which could deadlock against another transaction doing the same.
 */
export function shardFor(name: SystemAccount, memberId: string): string {
  let h = 0;
  for (let i = 0; i < memberId.length; i++) h = (h * 31 + memberId.charCodeAt(i)) >>> 0;
  return systemShardId(name, h % SYSTEM_SHARDS);
}

export function available(account: Pick<AccountState, 'balance' | 'held'>): number {
  return account.balance - account.held;
}
